namespace Acf.Tests.Crash;

/// <summary>
/// The data folder (and demo root) of one crash run, copied from one the app has already set up: the demo tree is in
/// place and root exists, so a run armed with a fault point meets no write of the app's own start before the save
/// under test. After the run it checks what issue 15 promises across a crash (<see cref="AssertInvariants"/>).
/// </summary>
public sealed class CrashFolder : IDisposable
{
    private static readonly Lazy<Task<string>> Template = new(MakeTemplateAsync);

    private CrashFolder(string top, string dataPath, string root)
    {
        Top = top;
        DataPath = dataPath;
        Root = root;
    }

    /// <summary>The folder holding this run's data folder and demo root, removed at Dispose.</summary>
    public string Top { get; }

    public string DataPath { get; }

    public string Root { get; }

    /// <summary>A fresh copy of the set-up data folder, the demo root inside it as the app makes it.</summary>
    public static async Task<CrashFolder> CopyAsync()
    {
        var template = await Template.Value;
        var top = Directory.CreateTempSubdirectory("acf-crash-").FullName;
        var data = Path.Combine(top, "data");
        Copy(template, data);
        return new CrashFolder(top, data, Path.Combine(data, "demo-root"));
    }

    /// <summary>
    /// A copy whose data folder is <paramref name="dataPath"/> (a mount the caller made, empty) and whose demo root is
    /// beside it (or <paramref name="root"/>), so that each can be a disk of its own.
    /// </summary>
    public static async Task<CrashFolder> CopyAsync(string top, string dataPath, string root)
    {
        var template = await Template.Value;
        foreach (var entry in Directory.EnumerateFileSystemEntries(template).Where(e => Path.GetFileName(e) != "demo-root"))
            Copy(entry, Path.Combine(dataPath, Path.GetFileName(entry)));
        Copy(Path.Combine(template, "demo-root") + "/.", root);
        return new CrashFolder(top, dataPath, root);
    }

    private static async Task<string> MakeTemplateAsync()
    {
        var template = Directory.CreateTempSubdirectory("acf-crash-template-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(template, recursive: true);
        using (await AcfProcess.StartAsync(template)) { } // listening: the demo tree is copied and root is created
        return template;
    }

    /// <summary><c>cp -a</c>: modes, owners and the demo tree's links as they are.</summary>
    private static void Copy(string from, string to)
    {
        var info = new ProcessStartInfo("cp") { RedirectStandardError = true };
        foreach (var argument in new[] { "-a", "--", from, to }) info.ArgumentList.Add(argument);
        using var cp = Process.Start(info)!;
        var error = cp.StandardError.ReadToEnd();
        cp.WaitForExit();
        Assert.True(cp.ExitCode == 0, $"cp -a {from} {to}: {error}");
    }

    public string HostPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    public byte[] Read(string path) => File.ReadAllBytes(HostPath(path));

    public string PendingApplyPath => Path.Combine(DataPath, "pending-apply.json");

    internal AuditLog Audit => new(new SystemHost(HostMode.Demo, Root, DataPath, Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua")),
        TimeProvider.System);

    /// <summary>The audit lines of changes made to <paramref name="path"/> (writes and removals that carry an intent).</summary>
    public IReadOnlyList<AuditEntry> Changes(string path) =>
        Audit.ReadAll().Where(e => e.Target == path && e.Action is "write" or "remove" && e.Intent is not null).ToList();

    /// <summary>The kept versions of <paramref name="path"/>: file name to SHA-256 of the content.</summary>
    public IReadOnlyDictionary<string, string> History(string path)
    {
        var folder = Path.Combine(DataPath, "history", path.TrimStart('/'));
        return !Directory.Exists(folder) ? new Dictionary<string, string>()
            : Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.'))
                .ToDictionary(f => Path.GetFileName(f), f => SystemBroker.Sha256(File.ReadAllBytes(f)));
    }

    /// <summary>
    /// What must hold after any crash and the restart that follows, for each file a run saved:
    /// the file is its original or a version whose change is audited (so never torn, never unrecorded); every audited
    /// change has its history copy of what was there before, and every history version belongs to an audited change
    /// (none empty or orphaned); no <c>.NAME.acf-*.tmp</c> is left in the root or the data folder; no intent is left
    /// unsettled; the audit chain verifies.
    /// </summary>
    public void AssertInvariants(string because, params (string Path, byte[] Original)[] files)
    {
        foreach (var (path, original) in files)
        {
            var current = SystemBroker.Sha256(Read(path));
            var changes = Changes(path);
            Assert.True(current == SystemBroker.Sha256(original) || changes.Any(c => c.Files![0].After == current),
                $"{because}: {path} is neither its original nor an audited version (torn or unrecorded)");
            var history = History(path);
            foreach (var change in changes.Where(c => c.Files![0].Before is not null))
                Assert.True(history.Values.Contains(change.Files![0].Before!),
                    $"{because}: the change of {path} in audit entry {change.Seq} has no history copy of what was there before");
            foreach (var (version, hash) in history)
                Assert.True(changes.Any(c => c.Files![0].Before == hash),
                    $"{because}: history version {version} of {path} belongs to no audited change (empty or orphaned)");
        }
        AssertNoTempOrIntent(because);
        var chain = Audit.Verify();
        Assert.True(chain.Intact, $"{because}: the audit chain is broken: {chain.Message}");
    }

    /// <summary>No <c>.NAME.acf-*.tmp</c> in the root or the data folder, and no intent left unsettled.</summary>
    public void AssertNoTempOrIntent(string because)
    {
        var temps = new[] { Root, DataPath }
            .SelectMany(folder => Directory.EnumerateFiles(folder, ".*.tmp", SearchOption.AllDirectories))
            .Where(f => DurableFile.IsAcfTemp(Path.GetFileName(f))).ToList();
        Assert.True(temps.Count == 0, $"{because}: temp files left: {string.Join(", ", temps)}");
        var intents = Path.Combine(DataPath, "intents");
        Assert.True(!Directory.Exists(intents) || !Directory.EnumerateFileSystemEntries(intents).Any(), $"{because}: intents left unsettled");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Top, recursive: true);
        }
        catch (IOException)
        {
            // a mount still busy: the caller's unmount comes first; /tmp is cleaned anyway
        }
    }
}
