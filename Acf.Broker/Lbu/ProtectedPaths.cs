namespace Acf.Broker.Lbu;

/// <summary>apk's protection modes (apk-protected_paths(5)) and what <c>apk audit --backup</c>, hence lbu, does with each.</summary>
internal enum ProtectMode
{
    /// <summary>Not protected (no rule, or <c>-</c>): never backed up.</summary>
    None,

    /// <summary><c>+</c> (or no symbol): backed up when it belongs to no package or differs from the installed database.</summary>
    Changed,

    /// <summary><c>@</c>: like <see cref="Changed"/>, but only symlinks are considered.</summary>
    SymlinksOnly,

    /// <summary><c>!</c>: always backed up, changed or not (this is why <c>etc/apk</c> is in every apkovl).</summary>
    All,
}

/// <summary>One rule line: the mode and the glob, split into components, with leading and trailing slashes gone.</summary>
internal sealed record ProtectedPathRule(ProtectMode Mode, string Pattern)
{
    public string[] Segments { get; } = Pattern.Split('/');
}

/// <summary>
/// apk's protected paths as apk-tools' database.c evaluates them: the built-in <c>+etc @etc/init.d !etc/apk</c>
/// first, then every <c>/etc/apk/protected_paths.d/*.list</c> in name order, one rule a line (<c>#</c> and empty
/// lines skipped). A directory inherits its parent's mode; each rule whose first component matches the directory
/// name either sets the directory's mode (a one-component rule) or is handed down without that component. A file
/// takes its directory's mode unless a one-component rule matches its name. So the deepest matching rule wins,
/// and among rules at the same depth the last one read.
/// </summary>
internal sealed class ProtectedPaths
{
    public const string ListFolder = "/etc/apk/protected_paths.d";

    /// <summary>What apk adds before reading protected_paths.d (apk_db_open).</summary>
    public static readonly IReadOnlyList<string> BuiltIn = ["+etc", "@etc/init.d", "!etc/apk"];

    private ProtectedPaths(IReadOnlyList<ProtectedPathRule> rules) => Rules = rules;

    public IReadOnlyList<ProtectedPathRule> Rules { get; }

    /// <summary>The built-in rules and the <c>.list</c> files under <paramref name="root"/>.</summary>
    public static ProtectedPaths Load(string root)
    {
        var lines = new List<string>(BuiltIn);
        var folder = RootedPath.Resolve(root, ListFolder).HostPath;
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.list").Order(StringComparer.Ordinal))
                lines.AddRange(File.ReadAllText(file).Split('\n'));
        }
        return FromLines(lines);
    }

    /// <summary>Rules from lines as they are, without the built-in ones.</summary>
    public static ProtectedPaths FromLines(IEnumerable<string> lines) =>
        new(lines.Select(ParseLine).OfType<ProtectedPathRule>().ToList());

    /// <summary>One line as apk reads it (add_protected_path): nothing is trimmed but leading and trailing slashes.</summary>
    public static ProtectedPathRule? ParseLine(string line)
    {
        if (line.Length == 0 || line[0] == '#') return null;
        var (mode, pattern) = line[0] switch
        {
            '+' => (ProtectMode.Changed, line[1..]),
            '-' => (ProtectMode.None, line[1..]),
            '@' => (ProtectMode.SymlinksOnly, line[1..]),
            '!' => (ProtectMode.All, line[1..]),
            _ => (ProtectMode.Changed, line),
        };
        return new ProtectedPathRule(mode, pattern.Trim('/'));
    }

    /// <summary>The scope of the root directory: every rule still to match, from its first component.</summary>
    public Scope Root => new(ProtectMode.None, true, Rules.Select(r => new PendingRule(r, 0)).ToArray(), IsRoot: true);

    /// <summary>The scope of the directory <paramref name="name"/> inside <paramref name="parent"/>.</summary>
    public static Scope Enter(Scope parent, string name)
    {
        var mode = parent.Mode;
        var hasProtected = mode != ProtectMode.None;
        List<PendingRule>? next = null;
        foreach (var pending in parent.Pending)
        {
            if (!Glob.Match(pending.Segment, name)) continue;
            if (pending.IsLast) mode = pending.Rule.Mode;
            else (next ??= []).Add(pending with { Index = pending.Index + 1 });
            hasProtected |= pending.Rule.Mode != ProtectMode.None;
        }
        return new Scope(mode, hasProtected, next?.ToArray() ?? [], IsRoot: false);
    }

    /// <summary>The mode of the file (or symlink) <paramref name="name"/> in the directory of <paramref name="dir"/>.</summary>
    public static ProtectMode FileMode(Scope dir, string name)
    {
        // apk gives the root directory no rules of its own, so files directly under / are never protected.
        if (dir.IsRoot) return ProtectMode.None;
        var mode = dir.Mode;
        foreach (var pending in dir.Pending)
            if (pending.IsLast && Glob.Match(pending.Segment, name)) mode = pending.Rule.Mode;
        return mode;
    }

    /// <summary>The mode of a path relative to / (<c>etc/ssh/sshd_config</c>), its last component taken as a file.</summary>
    public ProtectMode ModeOfFile(string relativePath)
    {
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return ProtectMode.None;
        var scope = Root;
        foreach (var dir in parts[..^1]) scope = Enter(scope, dir);
        return FileMode(scope, parts[^1]);
    }

    /// <summary>The mode of a directory relative to / (<c>etc/init.d</c>).</summary>
    public ProtectMode ModeOfDirectory(string relativePath)
    {
        var scope = Root;
        foreach (var dir in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries)) scope = Enter(scope, dir);
        return scope.Mode;
    }

    /// <summary>A rule on its way down: <see cref="Index"/> is the component the next directory must match.</summary>
    internal readonly record struct PendingRule(ProtectedPathRule Rule, int Index)
    {
        public string Segment => Rule.Segments[Index];

        public bool IsLast => Index == Rule.Segments.Length - 1;
    }

    /// <summary>A directory's mode, whether anything below it can be protected, and the rules handed down to it.</summary>
    internal sealed record Scope(ProtectMode Mode, bool HasProtectedChildren, PendingRule[] Pending, bool IsRoot);
}
