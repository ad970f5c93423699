using System.Text.Json.Serialization;

namespace Acf.Broker.Catalog;

/// <summary>
/// A module's <c>manifest.json</c>: where it shows in the menu, which roles may call which <c>controller/action</c>,
/// what it may touch on the machine and when it is shown at all. The broker derives every permission from it.
/// A member the file leaves out keeps its default: the generated JSON reader (BrokerFilesJson) sets every init-only
/// member, a missing one to null (dotnet/runtime#84484), which the members here take as their default.
/// </summary>
public sealed record ModuleManifest
{
    /// <summary>The module id: its folder name, reused for the URL prefix, the roles key and the log category.</summary>
    [JsonIgnore]
    public string Prefix { get; init; } = "";

    public required string Title { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<MenuEntry> Menu { get; init => field = value ?? []; } = [];

    /// <summary>Role name to the <c>controller/action</c> pairs it grants (ACF's <c>.roles</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; init => field = value ?? new Dictionary<string, IReadOnlyList<string>>(); } =
        new Dictionary<string, IReadOnlyList<string>>();

    public ModuleCapabilities Capabilities { get; init => field = value ?? new(); } = new();

    public ModuleConditions Conditions { get; init => field = value ?? new(); } = new();

    /// <summary><c>controller/action</c> pairs whose saves can cut the admin off: applied under confirm-or-rollback.</summary>
    public IReadOnlyList<string> Confirm { get; init => field = value ?? []; } = [];

    /// <summary>Every <c>controller/action</c> that some role grants; nothing else can be called.</summary>
    [JsonIgnore]
    public IEnumerable<string> Actions => Roles.Values.SelectMany(a => a).Distinct(StringComparer.Ordinal);

    /// <summary>True when one of the user's roles (expanded by <see cref="AcfRoles.Expand"/>) grants the action.</summary>
    public bool Allows(IReadOnlySet<string> expandedRoles, string controllerAction) =>
        expandedRoles.Contains(AcfRoles.Admin) && Actions.Contains(controllerAction, StringComparer.Ordinal)
        || Roles.Any(r => expandedRoles.Contains(r.Key) && r.Value.Contains(controllerAction, StringComparer.Ordinal));

    /// <summary>
    /// True when a submit of the action with these input values is applied under confirm-or-rollback: <see cref="Confirm"/>
    /// names the action (<c>rc/control</c>), or the action with values its input must carry
    /// (<c>rc/control?service=sshd</c>: only controlling sshd can cut the admin off).
    /// </summary>
    public bool IsGuarded(string controllerAction, IReadOnlyDictionary<string, IReadOnlyList<string>> input) =>
        Confirm.Any(entry => ConfirmEntryMatches(entry, controllerAction, input));

    private static bool ConfirmEntryMatches(string entry, string controllerAction, IReadOnlyDictionary<string, IReadOnlyList<string>> input)
    {
        var query = entry.IndexOf('?');
        if (query < 0) return entry == controllerAction;
        if (entry[..query] != controllerAction) return false;
        return entry[(query + 1)..].Split('&').All(pair =>
        {
            var equals = pair.IndexOf('=');
            return equals > 0 && input.TryGetValue(pair[..equals], out var values) && values.Contains(pair[(equals + 1)..]);
        });
    }
}

/// <summary>One menu entry, as in ACF's <c>.menu</c> files.</summary>
public sealed record MenuEntry(string Category, string Group, string Tab, string Action, int Order = 100);

/// <summary>
/// What a module may touch. Paths are absolute inside the system root; an entry that ends with <c>/</c> covers
/// everything below that folder; a <c>*</c> segment stands for any one name (<c>/home/*/.ssh/authorized_keys</c>). A
/// write entry also allows reading. Commands are argv prefixes: the leading words are fixed, further arguments are free.
/// </summary>
public sealed record ModuleCapabilities
{
    public IReadOnlyList<string> Read { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> Write { get; init => field = value ?? []; } = [];

    public IReadOnlyList<IReadOnlyList<string>> Exec { get; init => field = value ?? []; } = [];

    /// <summary>Paths only the module's confined validators see, never its Lua code (sshd's private host keys).</summary>
    public IReadOnlyList<string> ValidatorRead { get; init => field = value ?? []; } = [];

    /// <summary>
    /// Written paths that hold private keys (<c>/etc/wireguard/</c>): the broker keeps every write, restore and
    /// removal of them at mode 0600, copies no previous version into history (the history page could show a key) and
    /// audits them by name only (no content hashes). Only there may <see cref="WriteNewKeyRequest"/> write a key.
    /// </summary>
    public IReadOnlyList<string> Secret { get; init => field = value ?? []; } = [];

    /// <summary>OpenRC services the module may see and control; <c>*</c> for all.</summary>
    public IReadOnlyList<string> Services { get; init => field = value ?? []; } = [];

    /// <summary>apk operations: <c>read</c>, <c>add</c>, <c>del</c>, <c>update</c>, <c>upgrade</c>.</summary>
    public IReadOnlyList<string> Apk { get; init => field = value ?? []; } = [];

    /// <summary>lbu operations: <c>read</c>, <c>commit</c>, <c>revert</c>, <c>config</c> (include/exclude rules).</summary>
    public IReadOnlyList<string> Lbu { get; init => field = value ?? []; } = [];

    /// <summary>
    /// Folders (ending in <c>/</c>) or files a link the module makes may point to besides what it may write: files
    /// a package owns and anyone may read, such as <c>/usr/share/zoneinfo/</c> for <c>/etc/localtime</c>.
    /// </summary>
    public IReadOnlyList<string> LinkTargets { get; init => field = value ?? []; } = [];

    public bool MayControl(string service) => Services.Contains("*") || Services.Contains(service);

    public bool MayRead(string path) => Matches(Read, path) || Matches(Write, path);

    public bool MayWrite(string path) => Matches(Write, path);

    public bool HoldsSecrets(string path) => Matches(Secret, path);

    /// <summary>A link may point to a file the module may write or to one under its declared link targets.</summary>
    public bool MayLinkTo(string path) => Matches(Write, path) || Matches(LinkTargets, path);

    /// <summary>A folder may be listed when it is granted itself or lies below a granted folder entry.</summary>
    public bool MayList(string dir)
    {
        var asFolder = dir.EndsWith('/') ? dir : dir + "/";
        return MayRead(dir) || MayRead(asFolder);
    }

    public bool MayExec(IReadOnlyList<string> argv) => Exec.Any(prefix => IsArgvPrefix(prefix, argv));

    /// <summary>True when <paramref name="argv"/> starts with every word of the non-empty <paramref name="prefix"/>.</summary>
    public static bool IsArgvPrefix(IReadOnlyList<string> prefix, IReadOnlyList<string> argv) =>
        prefix.Count > 0 && prefix.Count <= argv.Count && prefix.Select((word, i) => word == argv[i]).All(same => same);

    private static bool Matches(IReadOnlyList<string> patterns, string path) =>
        patterns.Any(p => p.Contains('*') ? MatchesSegments(p, path)
            : p.EndsWith('/') ? path.StartsWith(p, StringComparison.Ordinal) || path + "/" == p : path == p);

    /// <summary>A pattern with <c>*</c> segments (<c>/home/*/.ssh/authorized_keys</c>: each user's keys file): a
    /// <c>*</c> stands for exactly one whole path segment, never for a '/', an empty segment, '.' or '..'.</summary>
    private static bool MatchesSegments(string pattern, string path)
    {
        var wanted = pattern.Split('/');
        var given = path.Split('/');
        return wanted.Length == given.Length && wanted.Zip(given).All(pair => pair.First == "*"
            ? pair.Second is { Length: > 0 } and not "." and not ".."
            : pair.First == pair.Second);
    }
}

/// <summary>When a module is shown at all (Cockpit's conditions): every listed path exists, every package is installed.</summary>
public sealed record ModuleConditions
{
    public IReadOnlyList<string> PathExists { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> PackageInstalled { get; init => field = value ?? []; } = [];
}

/// <summary>ACF's roles, weakest first; a role includes the grants of every weaker role, and ADMIN may do everything.</summary>
public static class AcfRoles
{
    public const string Guest = "GUEST";
    public const string User = "USER";
    public const string Editor = "EDITOR";
    public const string Expert = "EXPERT";
    public const string Admin = "ADMIN";

    private static readonly string[] OrderedArray = [Guest, User, Editor, Expert, Admin];

    public static IReadOnlyList<string> Ordered => OrderedArray;

    /// <summary>The roles a user effectively has: each listed role plus every weaker built-in one; unknown roles stay as they are.</summary>
    public static IReadOnlySet<string> Expand(IEnumerable<string> roles)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            result.Add(role);
            var rank = Array.IndexOf(OrderedArray, role);
            for (var i = 0; i < rank; i++) result.Add(OrderedArray[i]);
        }
        return result;
    }
}
