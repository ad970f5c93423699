using Acf.Broker.Apk;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua.Host;

/// <summary>
/// What the host functions of one action see: its Lua state and memory account, the broker and the caller it acts
/// as, and the little state the functions keep between calls of the same action (the tags of files read, the apk
/// state, the stop reason). One per <see cref="LuaSandbox"/>, used by one thread.
/// </summary>
internal sealed class HostCall(LuaState lua, MemoryBudget budget, SandboxRequest request, ISystemBroker broker,
    ILuaLibraries libraries, ModulesOptions limits, ILogger logger)
{
    public LuaState Lua => lua;

    public MemoryBudget Budget => budget;

    public SandboxRequest Request => request;

    public ISystemBroker Broker => broker;

    public ILuaLibraries Libraries => libraries;

    public ModulesOptions Limits => limits;

    public ILogger Logger => logger;

    /// <summary>Who the broker checks: the user and module of the action (never anything Lua code says).</summary>
    public BrokerCaller Caller { get; } = new(request.User.Name, request.Module.Prefix, request.User.Origin?.ClientAddress,
        $"{request.Controller}/{request.Action}");

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Why the limits stopped the action, once they did.</summary>
    public string? StopReason { get; set; }

    /// <summary>The tag of each file this action read or wrote: a later write without a tag is guarded by it.</summary>
    public Dictionary<string, string> ReadTags { get; } = new(StringComparer.Ordinal);

    /// <summary>apk's lists this action has read, each once: several calls of one action see the same lists.</summary>
    public Dictionary<ApkList, ApkListing> ApkLists { get; } = [];

    public int LogLines { get; set; }

    /// <summary>The largest file this action read (path and size): what most likely filled its memory.</summary>
    public (string Path, long Bytes)? LargestRead { get; set; }

    /// <summary>A file of this size or more that meets the memory limit is named as the reason.</summary>
    public const long LargeFileBytes = 1 << 20;

    public string MemoryMessage => $"stopped: the memory limit of {limits.MemoryLimitBytes >> 20} MiB was exceeded";

    public static string TooLargeMessage(string path, long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{path} is too large to edit here ({bytes / 1048576.0:0.#} MiB); use the expert page. Nothing was written.");
}
