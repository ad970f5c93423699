using System.Globalization;

namespace Acf.Broker.Lbu;

/// <summary>
/// The folder lbu keeps apkovls in (LBU_BACKUPDIR, or the media under /media), with lbu's naming: the current
/// archive is <c>&lt;host&gt;.apkovl.tar.gz</c> (plus <c>.&lt;cipher&gt;</c> when encrypted); before it is replaced it
/// is renamed to <c>&lt;host&gt;.&lt;YYYYmmddHHMMSS&gt;.tar.gz[.&lt;cipher&gt;]</c>, the stamp being its own modification
/// time in UTC (lbu's <c>date -u -r</c>); after a commit only the newest BACKUP_LIMIT of those are kept.
/// All paths stay under the system root: the folder is resolved inside it and files are named by plain names.
/// </summary>
internal sealed class ApkovlFolder
{
    private const string OverlaySuffix = ".apkovl.tar.gz";

    private readonly string _root;

    public ApkovlFolder(string root, string folder, string hostname)
    {
        _root = root;
        Folder = RootedPath.Normalize(folder);
        Hostname = hostname;
        HostPath = RootedPath.Resolve(root, Folder).HostPath;
    }

    /// <summary>The folder as the system sees it (<c>/var/lib/lbu</c>), as lbu's messages name it.</summary>
    public string Folder { get; }

    public string HostPath { get; }

    public string Hostname { get; }

    public bool Exists => Directory.Exists(HostPath);

    /// <summary>The path the system sees, for messages: <c>/var/lib/lbu/host.apkovl.tar.gz</c>.</summary>
    public string Show(string name) => Folder.TrimEnd('/') + "/" + name;

    public string CurrentName(string? cipher) => Hostname + OverlaySuffix + (cipher is null ? "" : "." + cipher);

    /// <summary>Every <c>*.apkovl.tar.gz*</c> (any host), as lbu commit checks before writing.</summary>
    public IReadOnlyList<string> Overlays() => Names("*" + OverlaySuffix + "*");

    /// <summary>The rotated archives as <c>lbu list-backup</c> shows them (<c>*.[0-9][0-9]*[0-9][0-9].tar.gz*</c>), oldest first.</summary>
    public IReadOnlyList<string> Rotated() => Names("*.[0-9][0-9]*[0-9][0-9].tar.gz*");

    public static bool IsRotatedName(string name) =>
        name.Length > 0 && !name.Contains('/') && !name.Any(char.IsControl) && Glob.Match("*.[0-9][0-9]*[0-9][0-9].tar.gz*", name);

    /// <summary>This host's current archive and its cipher (null when plain); the plain one first.</summary>
    public (string Name, string? Cipher)? Current()
    {
        var plain = CurrentName(null);
        if (File.Exists(Host(plain))) return (plain, null);
        foreach (var name in Names(Hostname + OverlaySuffix + ".*"))
        {
            var cipher = name[(plain.Length + 1)..];
            if (cipher != "new") return (name, cipher); // "<pkg>.new" is lbu's half-written archive, not a cipher
        }
        return null;
    }

    /// <summary>The cipher an archive's name ends with (<c>.tar.gz.aes-256-cbc</c>), null when plain.</summary>
    public static string? CipherOf(string name)
    {
        var at = name.LastIndexOf(".tar.gz", StringComparison.Ordinal);
        return at >= 0 && at + 7 < name.Length && name[at + 7] == '.' ? name[(at + 8)..] : null;
    }

    /// <summary>Renames the current archive to its dated name (lbu's backup_apkovl); returns that name.</summary>
    public string Rotate(string currentName)
    {
        var backup = BackupNameOf(currentName);
        File.Move(Host(currentName), Host(backup), overwrite: true);
        return backup;
    }

    /// <summary>An overlay's dated backup name: <c>host.apkovl.tar.gz[.cipher]</c> to <c>host.STAMP.tar.gz[.cipher]</c>.</summary>
    private string BackupNameOf(string overlay)
    {
        var stamp = File.GetLastWriteTimeUtc(Host(overlay)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var at = overlay.IndexOf(OverlaySuffix, StringComparison.Ordinal);
        return overlay[..at] + "." + stamp + ".tar.gz" + overlay[(at + OverlaySuffix.Length)..];
    }

    /// <summary>
    /// Renames every overlay but <paramref name="currentName"/> (another host name's, after the host name changed, or
    /// this host's in another cipher) to its dated backup name, as lbu rotates its own: what an admin does by hand
    /// instead of <c>lbu commit -d</c>, which deletes them (possibly the only backup). Says each rename in
    /// <paramref name="output"/>; returns null, or why a rename failed (a read-only medium, a backup of that name).
    /// </summary>
    public string? KeepOthersAsBackups(string currentName, StringBuilder output)
    {
        foreach (var overlay in Overlays().Where(o => o != currentName && !o.EndsWith(".new", StringComparison.Ordinal)))
        {
            var backup = BackupNameOf(overlay);
            if (File.Exists(Host(backup))) return $"{Show(overlay)} was kept: a backup {Show(backup)} is already there.";
            try
            {
                File.Move(Host(overlay), Host(backup));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"{Show(overlay)} could not be renamed to {Show(backup)} ({e.Message}); nothing was deleted.";
            }
            output.Append("Kept ").Append(Show(overlay)).Append(" as the backup ").Append(Show(backup)).Append('\n');
        }
        return null;
    }

    /// <summary>Removes the oldest of this host's rotated archives beyond <paramref name="limit"/>; returns their names.</summary>
    public IReadOnlyList<string> Prune(int limit)
    {
        var rotated = Names(Hostname + ".[0-9][0-9][0-9][0-9]*[0-9].tar.gz*");
        var removed = rotated.Take(Math.Max(0, rotated.Count - limit)).ToList();
        foreach (var name in removed) File.Delete(Host(name));
        return removed;
    }

    public IReadOnlyList<LbuBackup> Backups()
    {
        var list = Rotated().Select(n => Describe(n, current: false)).ToList();
        if (Current() is { } current) list.Add(Describe(current.Name, current: true));
        return list;
    }

    /// <summary>Makes a rotated archive current as <c>lbu revert</c> does: the current one is rotated first. The
    /// reverted archive keeps its cipher suffix (lbu would name it after ENCRYPTION).</summary>
    public ExecResult Revert(string name, bool simulated)
    {
        if (!IsRotatedName(name))
            return LbuResults.Fail($"'{name}' is not a backup name as lbu list-backup shows it.", simulated);
        if (!File.Exists(Host(name))) return LbuResults.Fail($"file not found: {Show(name)}", simulated);
        var output = new StringBuilder();
        if (Current() is { } current)
            output.Append("Creating backup ").Append(Show(Rotate(current.Name))).Append('\n');
        output.Append("Reverting to ").Append(name).Append('\n');
        File.Move(Host(name), Host(CurrentName(CipherOf(name))), overwrite: true);
        return LbuResults.Ok(output.ToString(), simulated);
    }

    /// <summary>The current archive's entries; empty when there is none (lbu status then shows every file as
    /// added). Throws when it is encrypted and no password is known, or the password does not open it.</summary>
    public Dictionary<string, ArchivedEntry> ReadCurrent(string? password)
    {
        if (Current() is not { } current) return new Dictionary<string, ArchivedEntry>(StringComparer.Ordinal);
        var file = RootedPath.Resolve(_root, Show(current.Name)).HostPath;
        var info = new FileInfo(file);
        if (!info.Exists) return new Dictionary<string, ArchivedEntry>(StringComparer.Ordinal);
        if (info.Length > Apkovl.MaxArchiveBytes)
            throw new InvalidOperationException($"{Show(current.Name)} is larger than {Apkovl.MaxArchiveBytes >> 20} MiB.");
        if (current.Cipher is { } cipher && !OpensslEnc.IsSupported(cipher))
            throw new InvalidOperationException($"{Show(current.Name)} is encrypted with {cipher}, which Acf cannot open.");
        if (current.Cipher is not null && password is null)
            throw new InvalidOperationException(
                $"{Show(current.Name)} is encrypted: set PASSWORD in {LbuConfFile.Path} so that lbu can read it.");
        return Apkovl.Read(File.ReadAllBytes(file), current.Cipher, password)
            ?? throw new InvalidOperationException($"Failed to unpack {Show(current.Name)}: the password does not open it.");
    }

    private LbuBackup Describe(string name, bool current)
    {
        var info = new FileInfo(Host(name));
        return info.Exists
            ? new LbuBackup(name, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), current)
            : new LbuBackup(name, 0, StampOf(name) ?? DateTimeOffset.MinValue, current);
    }

    /// <summary>The UTC time in a rotated name (<c>host.20240102030405.tar.gz</c>), for media that is not mounted.</summary>
    public static DateTimeOffset? StampOf(string name)
    {
        var at = name.LastIndexOf(".tar.gz", StringComparison.Ordinal);
        if (at < 15) return null;
        var stamp = name[(at - 14)..at];
        return DateTime.TryParseExact(stamp, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;
    }

    private string Host(string name) => Path.Combine(HostPath, name);

    private List<string> Names(string pattern)
    {
        if (!Directory.Exists(HostPath)) return [];
        return Directory.EnumerateFileSystemEntries(HostPath)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.StartsWith('.') && Glob.Match(pattern, n)) // the shell's glob skips dot files
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>The ExecResults lbu's work returns.</summary>
internal static class LbuResults
{
    public static ExecResult Ok(string stdout, bool simulated) => new(0, stdout, "", false, false, simulated);

    public static ExecResult Fail(string message, bool simulated) => new(1, "", message.TrimEnd('\n') + "\n", false, false, simulated);
}
