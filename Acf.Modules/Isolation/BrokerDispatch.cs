using Acf.Broker.Catalog;
using System.Collections.Frozen;
using Acf.Modules.Lua;
using Acf.Broker;

namespace Acf.Modules.Isolation;

/// <summary>
/// What a worker's calls reach in the app, for one action: the broker (journalling under confirm-or-rollback), the
/// caller fixed by the app (user and module of the action it started), the libraries, and the live output of apk.
/// </summary>
public sealed record BrokerCallContext(ISystemBroker Broker, BrokerCaller Caller, ILuaLibraries Libraries, Action<string>? Output);

/// <summary>
/// The app's side of the broker protocol: a table from method name to the broker call it makes. A worker sends only
/// the method and its request record; the caller comes from <see cref="BrokerCallContext"/>, so a worker can never
/// act as another user or module, and every capability check stays in the broker. Adding a broker method is one
/// line here and one in <see cref="WorkerBroker"/>.
/// </summary>
public static class BrokerDispatch
{
    private delegate object? Handler(BrokerCallContext context, WorkerFrame frame);

    private static readonly FrozenDictionary<string, Handler> Handlers = new Dictionary<string, Handler>(StringComparer.Ordinal)
    {
        [nameof(ISystemBroker.ReadFile)] = With<ReadFileRequest>((c, r) => c.Broker.ReadFile(c.Caller, r)),
        // Secret writes (mode 0600, no history) are the host's own (/etc/acf/otp); no module asks for one.
        [nameof(ISystemBroker.WriteFile)] = With<WriteFileRequest>((c, r) => r.Secret
            ? throw new WorkerProtocolException("A module cannot ask for a secret write.")
            : c.Broker.WriteFile(c.Caller, r)),
        [nameof(ISystemBroker.ListDirectory)] = With<ListDirectoryRequest>((c, r) => c.Broker.ListDirectory(c.Caller, r)),
        [nameof(ISystemBroker.Stat)] = With<StatRequest>((c, r) => c.Broker.Stat(c.Caller, r)),
        [nameof(ISystemBroker.Exec)] = With<ExecRequest>((c, r) => c.Broker.Exec(c.Caller, r)),
        [nameof(ISystemBroker.ListServices)] = Without(c => c.Broker.ListServices(c.Caller)),
        [nameof(ISystemBroker.ListRunlevels)] = Without(c => c.Broker.ListRunlevels(c.Caller)),
        [nameof(ISystemBroker.ControlService)] = With<ServiceControlRequest>((c, r) => c.Broker.ControlService(c.Caller, r)),
        [nameof(ISystemBroker.SetServiceRunlevels)] = With<ServiceRunlevelsRequest>((c, r) => c.Broker.SetServiceRunlevels(c.Caller, r)),
        [nameof(ISystemBroker.ReadPackages)] = Without(c => c.Broker.ReadPackages(c.Caller)),
        [nameof(ISystemBroker.RunApk)] = With<ApkRequest>((c, r) => c.Broker.RunApk(c.Caller, r, c.Output)),
        [nameof(ISystemBroker.ReadLbu)] = With<LbuReadRequest>((c, r) => c.Broker.ReadLbu(c.Caller, r)),
        [nameof(ISystemBroker.ChangeLbu)] = With<LbuChangeRequest>((c, r) => c.Broker.ChangeLbu(c.Caller, r)),
        [nameof(ISystemBroker.RemoveFile)] = With<RemoveFileRequest>((c, r) => c.Broker.RemoveFile(c.Caller, r)),
        [nameof(ISystemBroker.SetAwallPolicy)] = With<AwallPolicyRequest>((c, r) => c.Broker.SetAwallPolicy(c.Caller, r)),
        [nameof(ISystemBroker.ListHistory)] = With<HistoryRequest>((c, r) => c.Broker.ListHistory(c.Caller, r)),
        [nameof(ISystemBroker.ReadVersion)] = With<VersionRequest>((c, r) => c.Broker.ReadVersion(c.Caller, r)),
        [nameof(ISystemBroker.RestoreFile)] = With<RestoreFileRequest>((c, r) => c.Broker.RestoreFile(c.Caller, r)),
        // The worker names its module so that a library request reads as one on both sides; the app still decides.
        [nameof(ILuaLibraries.ReadLibrary)] = With<LibraryRequest>((c, r) => r.Module == c.Caller.Module
            ? new LibrarySource(c.Libraries.ReadLibrary(r))
            : throw new WorkerProtocolException("A worker asked for the libraries of another module.")),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The method names a worker may call (tests check that the interface and the table agree).</summary>
    public static IReadOnlyCollection<string> Methods => Handlers.Keys;

    /// <summary>
    /// Answers one <c>call</c> frame. An unknown method or a malformed request is a protocol violation (the worker is
    /// then killed); a broker that throws becomes a failed result, as it would in the sandbox.
    /// </summary>
    public static object? Answer(BrokerCallContext context, WorkerFrame frame)
    {
        if (frame.Method is not { } method || !Handlers.TryGetValue(method, out var handler))
            throw new WorkerProtocolException($"There is no broker method '{WorkerFrame.Printable(frame.Method ?? "")}'.");
        try
        {
            return handler(context, frame);
        }
        catch (WorkerProtocolException)
        {
            throw;
        }
        catch (Exception e)
        {
            return BrokerResult<object>.Fail(BrokerErrorKind.Failed, $"{method}: {e.Message}");
        }
    }

    private static Handler With<TRequest>(Func<BrokerCallContext, TRequest, object?> call) =>
        (context, frame) => call(context, frame.Read<TRequest>());

    private static Handler Without(Func<BrokerCallContext, object?> call) => (context, frame) =>
    {
        if (frame.Body.ValueKind != global::System.Text.Json.JsonValueKind.Null)
            throw new WorkerProtocolException($"{frame.Method} takes no request.");
        return call(context);
    };
}

/// <summary>The reply to <c>ReadLibrary</c>: the library, or null when there is none.</summary>
public sealed record LibrarySource(LuaLibrary? Library);
