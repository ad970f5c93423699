namespace Acf.Broker.Apk;

/// <summary>A package as apk's installed database or an APKINDEX describes it (the fields apk uses, by their letters).</summary>
public sealed record ApkPackage(
    string Name,            // P:
    string Version,         // V:
    string Architecture,    // A:
    long Size,              // S: (package file size)
    long InstalledSize,     // I:
    string Description,     // T:
    string Url,             // U:
    string License,         // L:
    string Origin,          // o:
    string Checksum,        // C:
    IReadOnlyList<string> Depends,   // D: (space separated; may hold "so:libc.musl-x86_64.so.1", "!conflict", "name>=1.2")
    IReadOnlyList<string> Provides,  // p:
    DateTimeOffset? BuildTime);      // t:

/// <summary>What is installed and what could be: apk's state read straight from its files. Each part is read when it
/// is first asked for, so a call for one list reads only that list's files: the available page's two calls (its page,
/// then the installed names it marks) read the installed database once, not twice (issue 19).</summary>
public sealed class ApkState(
    Func<IReadOnlyList<ApkPackage>> installed,
    Func<IReadOnlyList<string>> world,
    Func<IReadOnlyList<ApkPackage>> available,
    Func<IReadOnlyList<string>> repositories)
{
    private readonly Lazy<IReadOnlyList<ApkPackage>> _installed = new(installed);
    private readonly Lazy<IReadOnlyList<string>> _world = new(world);
    private readonly Lazy<IReadOnlyList<ApkPackage>> _available = new(available);
    private readonly Lazy<IReadOnlyList<string>> _repositories = new(repositories);

    public IReadOnlyList<ApkPackage> Installed => _installed.Value;

    /// <summary>/etc/apk/world lines as written ("nginx", "busybox>=1.36", "foo@testing").</summary>
    public IReadOnlyList<string> World => _world.Value;

    /// <summary>Every APKINDEX under /var/cache/apk and /lib/apk/db (newest version per name first).</summary>
    public IReadOnlyList<ApkPackage> Available => _available.Value;

    /// <summary>/etc/apk/repositories lines that are not comments.</summary>
    public IReadOnlyList<string> Repositories => _repositories.Value;
}

/// <summary>One of apk's lists, as a module asks for it (<c>acf.apk.list(name)</c>).</summary>
public enum ApkList { Installed, Available, Upgradable, World, Repositories }

/// <summary>One list of apk's state: packages for the package lists, lines for world and repositories. Only the list
/// asked for crosses to the module's worker: the 20,000 available packages of a full index are not sent along with
/// the 150 installed ones (issue 19). <see cref="Total"/>: how many packages matched before a query's page was cut.</summary>
public sealed record ApkListing(IReadOnlyList<ApkPackage> Packages, IReadOnlyList<string> Lines, int Total)
{
    public static ApkListing Of(ApkState state, ApkList list, ApkQuery? query = null) => list switch
    {
        ApkList.Installed => Whole(state.Installed),
        ApkList.Available => query is null ? Whole(state.Available) : query.Select(state.Available),
        ApkList.Upgradable => Whole(ApkUpgrades.Upgradable(state)),
        ApkList.World => new([], state.World, state.World.Count),
        ApkList.Repositories => new([], state.Repositories, state.Repositories.Count),
        _ => throw new ArgumentOutOfRangeException(nameof(list)),
    };

    private static ApkListing Whole(IReadOnlyList<ApkPackage> packages) => new(packages, [], packages.Count);
}

public enum ApkVerb { Add, Del, Update, Upgrade }

/// <summary>
/// apk: state is read from <c>/lib/apk/db/installed</c>, <c>/etc/apk/world</c> and the cached APKINDEX files on both
/// hosts; changes go through <c>apk</c> on Alpine and are resolved against the demo APKINDEX and written to the
/// installed database and world in their real formats on the demo host.
/// </summary>
internal interface IPackageManager
{
    ApkState ReadState();

    /// <summary>Lets go of the indexes it keeps parsed (a 20,000-package index is about 22 MB of objects), so that a
    /// quiet broker gives that memory back (its <c>IdleMemoryTrim</c>, issue 19); the next read parses them again.</summary>
    void ForgetParsed();

    /// <summary>Runs <c>apk add/del/update/upgrade</c> with the package names (none for update/upgrade); each
    /// line of output is handed to <paramref name="progress"/> as it comes, and the whole result returned.</summary>
    ExecResult Run(ApkVerb verb, IReadOnlyList<string> packages, Action<string>? progress = null);

    /// <summary>A package name or world constraint apk accepts: <c>[A-Za-z0-9][A-Za-z0-9+._-]*</c> with an optional
    /// version constraint (<c>=, &gt;=, &lt;=, ~, &gt;, &lt;</c>) and <c>@tag</c>; at most 128 characters.</summary>
    static bool IsValidName(string name) => ApkNames.IsValid(name);
}
