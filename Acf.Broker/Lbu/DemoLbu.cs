namespace Acf.Broker.Lbu;

/// <summary>
/// lbu on the demo host, done in C# over the demo root and never outside it (alpine-conf's lbu.in with apk-tools'
/// <c>audit --backup</c> rules, see <see cref="LbuScanner"/> and <see cref="ProtectedPaths"/>). Archives go to
/// LBU_BACKUPDIR, else <c>/media/&lt;LBU_MEDIA&gt;</c>, else <see cref="DefaultBackupDir"/>, all under the root;
/// they are real <c>&lt;hostname&gt;.apkovl.tar.gz</c> files (encrypted as <c>openssl enc -aes-*-cbc -salt</c> with a
/// password). Results are marked simulated and carry what <c>lbu -v</c> prints. Operations are serialised.
/// <para>Where it differs from lbu: <c>status</c> compares content only (lbu also wants the file newer than the
/// archived copy) and lists files and symlinks, not directories; the current archive is found whatever its cipher
/// suffix (lbu looks only for the ENCRYPTION one); an encrypted archive is opened with PASSWORD from lbu.conf, and
/// without one <see cref="Status"/> and <see cref="Committed"/> throw (lbu would ask on the terminal).</para>
/// </summary>
internal sealed class DemoLbu(SystemHost host, TimeProvider time) : ILbu
{
    /// <summary>Where the demo keeps archives when lbu.conf sets neither LBU_BACKUPDIR nor LBU_MEDIA.</summary>
    public const string DefaultBackupDir = "/var/lib/lbu";

    private readonly Lock _gate = new();

    public IReadOnlyList<LbuStatusEntry> Status()
    {
        lock (_gate)
        {
            var settings = LbuConfFile.Load(host.Root);
            var items = Scan().Where(i => i.Kind != ItemKind.Directory).ToList();
            var archived = Folder(settings).ReadCurrent(settings.Password);
            var changes = new List<LbuStatusEntry>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                present.Add(item.Path);
                if (!archived.TryGetValue(item.Path, out var old) || old.Kind == ItemKind.Directory)
                    changes.Add(new LbuStatusEntry(LbuChange.Added, item.Path));
                else if (Differs(item, old))
                    changes.Add(new LbuStatusEntry(LbuChange.Updated, item.Path));
            }
            foreach (var old in archived.Values)
                if (old.Kind != ItemKind.Directory && !present.Contains(old.Path))
                    changes.Add(new LbuStatusEntry(LbuChange.Deleted, old.Path));
            return changes.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<string> List()
    {
        lock (_gate)
        {
            return Scan().Where(i => i.Kind != ItemKind.Directory).Select(i => i.Path).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The file's bytes in the current archive (a symlink's target as text); <paramref name="path"/> with or
    /// without the leading slash.</summary>
    public byte[]? Committed(string path)
    {
        var relative = RelativePath(path);
        lock (_gate)
        {
            var settings = LbuConfFile.Load(host.Root);
            return ContentOf(Folder(settings).ReadCurrent(settings.Password), relative);
        }
    }

    public ExecResult Commit(string? password = null) => Commit(password, keepOld: false);

    /// <summary><c>lbu commit</c>; with <paramref name="keepOld"/> other <c>*.apkovl.tar.gz*</c> in the folder are
    /// renamed to dated backups first (see <see cref="ILbu.Commit(string?, bool)"/>).</summary>
    public ExecResult Commit(string? password, bool keepOld)
    {
        lock (_gate)
        {
            var settings = LbuConfFile.Load(host.Root);
            string? cipher = password is not null ? settings.CipherForPassword
                : settings.Encryption.Length > 0 ? settings.Encryption : null;
            var secret = password ?? settings.Password;
            if (cipher is not null && !OpensslEnc.IsSupported(cipher))
                return Fail($"Cipher {cipher} is not supported (the demo host encrypts with {string.Join(", ", OpensslEnc.Ciphers)}).");
            if (cipher is not null && string.IsNullOrEmpty(secret))
                return Fail($"A password is needed to encrypt the overlay with {cipher}.");
            if (RootedPath.Validate(BackupDirOf(settings)) is { } invalid) return Fail($"LBU_BACKUPDIR: {invalid}");

            var folder = Folder(settings);
            Directory.CreateDirectory(folder.HostPath);
            var outName = folder.CurrentName(cipher);
            var output = new StringBuilder();
            string? rotated = null;
            if (keepOld && folder.KeepOthersAsBackups(outName, output) is { } kept) return Fail(kept);
            var overlays = folder.Overlays();
            if (overlays.Count == 1 && overlays[0] == outName)
            {
                rotated = folder.Rotate(outName);
                output.Append("Creating backup ").Append(folder.Show(rotated)).Append('\n');
            }
            else if (overlays.Count > 0)
            {
                // More than one apkovl, or one under another name: lbu refuses (a security concern, it says).
                return Fail("The following apkovl file(s) were found:\n"
                    + string.Concat(overlays.Select(o => folder.Show(o) + "\n")) + "\nPlease use -d to replace.");
            }

            List<BackupItem> items;
            var newFile = Path.Combine(folder.HostPath, outName + ".new");
            try
            {
                items = Scan();
                File.WriteAllBytes(newFile, Apkovl.Create(items, cipher, secret));
                File.Move(newFile, Path.Combine(folder.HostPath, outName), overwrite: true);
                File.SetLastWriteTimeUtc(Path.Combine(folder.HostPath, outName), time.GetUtcNow().UtcDateTime);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (File.Exists(newFile)) File.Delete(newFile);
                if (rotated is not null) File.Move(Path.Combine(folder.HostPath, rotated), Path.Combine(folder.HostPath, outName), overwrite: true);
                return Fail($"Problems creating archive. aborting\n{e.Message}");
            }
            folder.Prune(settings.BackupLimit ?? 0);

            output.Append("Archiving the following files:\n");
            foreach (var item in items) output.Append(item.Path).Append(item.Kind == ItemKind.Directory ? "/\n" : "\n");
            output.Append("Created ").Append(folder.Show(outName)).Append('\n');
            output.Append("Successfully saved apk overlay files\n");
            return LbuResults.Ok(output.ToString(), simulated: true);
        }
    }

    public byte[] Package()
    {
        lock (_gate) return Apkovl.Create(Scan(), cipher: null, password: null);
    }

    /// <summary>The rotated archives as <c>lbu list-backup</c> orders them (oldest first), then the current one.</summary>
    public IReadOnlyList<LbuBackup> Backups()
    {
        lock (_gate)
        {
            var settings = LbuConfFile.Load(host.Root);
            return RootedPath.Validate(BackupDirOf(settings)) is null ? Folder(settings).Backups() : [];
        }
    }

    public ExecResult Revert(string backupName)
    {
        lock (_gate)
        {
            var settings = LbuConfFile.Load(host.Root);
            if (RootedPath.Validate(BackupDirOf(settings)) is { } invalid) return Fail($"LBU_BACKUPDIR: {invalid}");
            return Folder(settings).Revert(backupName, simulated: true);
        }
    }

    public LbuConfig Config() => LbuConfFile.Load(host.Root).ToConfig();

    /// <summary><c>lbu include &lt;path&gt;</c>: adds <c>+path</c> to lbu.list and drops its <c>-path</c>.</summary>
    public ExecResult Include(string path)
    {
        lock (_gate) return LbuListFile.Include(host.Root, path);
    }

    /// <summary><c>lbu exclude &lt;path&gt;</c>: adds <c>-path</c> to lbu.list and drops its <c>+path</c>.</summary>
    public ExecResult Exclude(string path)
    {
        lock (_gate) return LbuListFile.Exclude(host.Root, path);
    }

    /// <summary><c>lbu include -r</c> and <c>lbu exclude -r</c>: drops the path's <c>+</c> and <c>-</c> lines.</summary>
    public ExecResult RemoveRule(string path)
    {
        lock (_gate) return LbuListFile.RemoveRule(host.Root, path);
    }

    private List<BackupItem> Scan() =>
        LbuScanner.Scan(host.Root, ProtectedPaths.Load(host.Root), InstalledFiles.Load(host.Root));

    private static string BackupDirOf(LbuSettings settings) =>
        settings.BackupDir.Length > 0 ? settings.BackupDir
        : settings.Media.Length > 0 ? "/media/" + settings.Media
        : DefaultBackupDir;

    private ApkovlFolder Folder(LbuSettings settings)
    {
        var dir = BackupDirOf(settings);
        if (RootedPath.Validate(dir) is { } invalid) throw new InvalidOperationException($"LBU_BACKUPDIR: {invalid}");
        var hostname = LbuHostname.FromEtc(host.Root);
        return new ApkovlFolder(host.Root, dir, hostname);
    }

    private static bool Differs(BackupItem item, ArchivedEntry old)
    {
        if (item.Kind != old.Kind) return true;
        if (item.Kind == ItemKind.Symlink) return item.LinkTarget != old.LinkTarget;
        if (item.Size != old.Content.Length) return true;
        try
        {
            return !File.ReadAllBytes(item.HostPath).AsSpan().SequenceEqual(old.Content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>A file's bytes or a symlink's target in an archive; null for a directory or a path not in it.</summary>
    internal static byte[]? ContentOf(Dictionary<string, ArchivedEntry> archived, string relative) =>
        !archived.TryGetValue(relative, out var entry) ? null
        : entry.Kind == ItemKind.Symlink ? Encoding.UTF8.GetBytes(entry.LinkTarget ?? "")
        : entry.Kind == ItemKind.File ? entry.Content
        : null;

    internal static string RelativePath(string path)
    {
        var relative = path.Trim('/');
        var invalid = relative.Length == 0 ? "No path given." : RootedPath.Validate("/" + relative);
        if (invalid is not null) throw new ArgumentException(invalid, nameof(path));
        return RootedPath.Normalize("/" + relative)[1..];
    }

    private static ExecResult Fail(string message) => LbuResults.Fail(message, simulated: true);
}
