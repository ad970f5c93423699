using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Broker;

/// <summary>Which kind of machine the broker drives.</summary>
public enum HostMode
{
    /// <summary>A real Alpine system: the real tools run.</summary>
    Alpine,

    /// <summary>A writable copy of <c>demo/</c>: system commands are simulated over its files.</summary>
    Demo,
}

/// <summary>
/// The resolved places Acf works with, computed once at start from the options: the mode (auto resolved), the
/// system root, the data folder and the modules folder. Preparing the demo root (first-run copy) happens here too.
/// </summary>
public sealed record SystemHost(HostMode Mode, string Root, string DataPath, string ModulesPath)
{
    public bool IsDemo => Mode == HostMode.Demo;

    public string HistoryPath => Path.Combine(DataPath, "history");

    public string AuditLogPath => Path.Combine(DataPath, "audit.log");

    /// <summary>Resolves the options against this machine; creates the data folder and, in demo, the demo root unless
    /// <paramref name="ownsRoot"/> is false (an app whose broker is a process of its own: the broker's root is the one
    /// every request works on, and a copy in the app's data folder would only mislead).</summary>
    public static SystemHost Resolve(SystemOptions system, DataOptions data, CatalogOptions modules, string contentRoot,
        ILogger logger, bool ownsRoot = true)
    {
        var onAlpine = File.Exists("/etc/alpine-release");
        var mode = ResolveMode(system.Mode);
        var dataPath = Full(data.Path) ?? (onAlpine ? "/var/lib/acf" : DefaultUserDataPath());
        PrepareDataFolder(dataPath);

        var modulesPath = Full(modules.Path) ?? FindNextToApp(contentRoot, "modules-lua")
            ?? throw new InvalidOperationException("No modules folder: set Acf:Modules:Path.");

        string root;
        if (mode == HostMode.Alpine)
        {
            root = Full(system.Root) ?? "/";
        }
        else if (!ownsRoot)
        {
            root = Full(system.Root) ?? Path.Combine(dataPath, "demo-root");
            logger.LogInformation("Acf's broker is a process of its own; this app keeps its data in {Data}; modules from {Modules}",
                dataPath, modulesPath);
            return new SystemHost(mode, root, dataPath, modulesPath);
        }
        else
        {
            root = Full(system.Root) ?? Path.Combine(dataPath, "demo-root");
            // A demo root planted as a link would make the broker write wherever it points.
            if (system.Root is null or "" && new DirectoryInfo(root).LinkTarget is not null)
                throw new InvalidOperationException($"The demo root {root} is a symbolic link; Acf does not trust it. Remove it and start again.");
            var source = Full(system.DemoSource) ?? FindNextToApp(contentRoot, "demo");
            PrepareDemoRoot(root, source, logger);
        }
        logger.LogInformation("Acf runs in {Mode} mode on root {Root}; data in {Data}; modules from {Modules}",
            mode, root, dataPath, modulesPath);
        return new SystemHost(mode, root, dataPath, modulesPath);
    }

    /// <summary>The mode <c>Acf:System:Mode</c> names on this machine (<c>auto</c>: Alpine where /etc/alpine-release exists).</summary>
    public static HostMode ResolveMode(string? mode) => mode switch
    {
        "alpine" => HostMode.Alpine,
        "demo" => HostMode.Demo,
        _ => File.Exists("/etc/alpine-release") ? HostMode.Alpine : HostMode.Demo,
    };

    private static string? Full(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);

    /// <summary><c>$XDG_DATA_HOME/acf</c> or <c>~/.local/share/acf</c>; never a shared temp folder, where anyone could
    /// have planted it first (issue 16).</summary>
    internal static string DefaultUserDataPath() => DefaultUserDataPath(Environment.GetEnvironmentVariable);

    internal static string DefaultUserDataPath(Func<string, string?> environment)
    {
        // The XDG rule itself: .NET's LocalApplicationData answers "" while ~/.local/share does not exist yet, which
        // is the case for a fresh HOME (a new service account), and the app must start there too.
        var xdg = environment("XDG_DATA_HOME");
        var home = environment("HOME");
        var baseDir = Path.IsPathRooted(xdg) ? xdg
            : Path.IsPathRooted(home) ? Path.Combine(home, ".local", "share")
            : throw new InvalidOperationException("No data folder: set Acf:Data:Path, or HOME or XDG_DATA_HOME.");
        return Path.Combine(baseDir, "acf");
    }

    /// <summary>Creates the data folder 0700; refuses one that is a link or that another user owns (who could then
    /// rewrite the audit log or history). Also the check of the folder an app that dropped to <c>Acf:Web:User</c>
    /// keeps its own state in, run once it is that user.</summary>
    internal static void PrepareDataFolder(string dataPath)
    {
        var folder = new DirectoryInfo(dataPath);
        if (folder.LinkTarget is not null)
            throw new InvalidOperationException($"The data folder {dataPath} is a symbolic link; Acf does not trust it.");
        if (!folder.Exists)
            Directory.CreateDirectory(dataPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (UnixFile.Owner(dataPath) is { } owner && UnixFile.EffectiveUser() is { } self && owner.Uid != self)
            throw new InvalidOperationException($"The data folder {dataPath} belongs to another user (uid {owner.Uid}); Acf does not trust it.");
    }

    /// <summary>
    /// Finds a folder that ships beside the app: in the output folder (published), or in the content root or one of
    /// its parents (<c>dotnet run</c> from the repository).
    /// </summary>
    private static string? FindNextToApp(string contentRoot, string name)
    {
        var inOutput = Path.Combine(AppContext.BaseDirectory, name);
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return Directory.Exists(inOutput) ? inOutput : null;
    }

    /// <summary>Copies the pristine demo tree at first run; later runs keep the admin's changes.</summary>
    private static void PrepareDemoRoot(string root, string? source, ILogger logger)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any()) return;
        if (source is null || !Directory.Exists(source))
            throw new InvalidOperationException($"The demo root {root} is empty and no demo tree was found to copy: set Acf:System:DemoSource.");
        var staging = root.TrimEnd('/') + ".copying";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        CopyTree(new DirectoryInfo(source), staging);
        if (Directory.Exists(root)) Directory.Delete(root);
        Directory.Move(staging, root);
        logger.LogInformation("Copied the demo tree {Source} to {Root}", source, root);
    }

    private static void CopyTree(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
                File.CreateSymbolicLink(target, link); // runlevels and similar trees are symlinks on Alpine: keep them as such
            else if (entry is DirectoryInfo dir)
                CopyTree(dir, target);
            else if (entry.Name.EndsWith("_key", StringComparison.Ordinal))
            {
                // A private key (the demo's sshd host key): a checkout makes it 0644, and sshd ignores a key others can read.
                ((FileInfo)entry).CopyTo(target);
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            else
                ((FileInfo)entry).CopyTo(target);
        }
    }
}

/// <summary>Binds and validates the options, then resolves the <see cref="SystemHost"/>.</summary>
internal sealed class SystemHostFactory(IOptions<SystemOptions> system, IOptions<DataOptions> data,
    IOptions<CatalogOptions> modules, IHostEnvironment environment, ILogger<SystemHost> logger)
{
    public SystemHost Create(bool ownsRoot = true) =>
        SystemHost.Resolve(system.Value, data.Value, modules.Value, environment.ContentRootPath, logger, ownsRoot);
}
