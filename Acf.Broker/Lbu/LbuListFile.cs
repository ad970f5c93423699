namespace Acf.Broker.Lbu;

/// <summary>
/// <c>/etc/apk/protected_paths.d/lbu.list</c> as <c>lbu include</c> and <c>lbu exclude</c> edit it: the argument
/// loses its leading slashes and becomes a line <c>+path</c> or <c>-path</c>; adding a line that is there already
/// changes nothing; include removes the path's <c>-</c> line and exclude its <c>+</c> line. Every other line is kept
/// as it is, in its place; the file is replaced atomically.
/// </summary>
internal static class LbuListFile
{
    public const string Path = ProtectedPaths.ListFolder + "/lbu.list";

    private static readonly (bool Add, char Prefix)[] IncludeSteps = [(true, '+'), (false, '-')];
    private static readonly (bool Add, char Prefix)[] ExcludeSteps = [(false, '+'), (true, '-')];
    private static readonly (bool Add, char Prefix)[] RemoveSteps = [(false, '+'), (false, '-')];

    public static ExecResult Include(string root, string path) => EditFile(root, path, IncludeSteps);

    public static ExecResult Exclude(string root, string path) => EditFile(root, path, ExcludeSteps);

    public static ExecResult RemoveRule(string root, string path) => EditFile(root, path, RemoveSteps);

    /// <summary>
    /// The list <paramref name="text"/> (null: no list yet) after <c>lbu include</c>, <c>exclude</c> or the removal of a
    /// rule, as <paramref name="changed"/> (null when nothing changes), and lbu's <c>-v</c> messages: for the broker,
    /// which writes the list itself (history, audit).
    /// </summary>
    public static ExecResult Change(string? text, string path, LbuChangeKind kind, out string? changed) =>
        Edit(text, path, kind switch
        {
            LbuChangeKind.Include => IncludeSteps,
            LbuChangeKind.Exclude => ExcludeSteps,
            _ => RemoveSteps,
        }, out changed);

    private static ExecResult EditFile(string root, string path, (bool Add, char Prefix)[] steps)
    {
        var file = RootedPath.Resolve(root, Path).HostPath;
        var result = Edit(File.Exists(file) ? File.ReadAllText(file) : null, path, steps, out var changed);
        if (changed is not null) Write(file, changed);
        return result;
    }

    /// <summary>The path as lbu stores it (<c>etc/foo</c>), or null with the reason when it is not a plain path.</summary>
    public static string? Normalize(string path, out string? error)
    {
        var name = path.TrimStart('/');
        error = name.Length == 0 ? "No path given." : RootedPath.Validate("/" + name);
        return error is null ? name.TrimEnd('/') : null;
    }

    /// <summary>Applies lbu's list_add (<c>Add</c>) and list_delete steps in its order, with its <c>-v</c> messages
    /// (a delete that finds nothing says so only when nothing else was done).</summary>
    private static ExecResult Edit(string? text, string path, (bool Add, char Prefix)[] steps, out string? result)
    {
        result = null;
        if (Normalize(path, out var error) is not { } name) return LbuResults.Fail(error!, simulated: true);
        var lines = text is not null ? text.Split('\n').ToList() : [];
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var output = new StringBuilder();
        var changed = false;
        foreach (var (add, prefix) in steps)
        {
            var rule = prefix + name;
            if (add && lines.Any(l => Same(l, rule)))
            {
                output.Append($"{name} is already in {Path}.\n");
            }
            else if (add)
            {
                lines.Add(rule);
                output.Append($"Adding {name} to {Path}.\n");
                changed = true;
            }
            else if (lines.RemoveAll(l => Same(l, rule)) > 0)
            {
                output.Append($"Removing {name} from {Path}.\n");
                changed = true;
            }
        }
        if (output.Length == 0) output.Append($"{name} is not in {Path}\n");
        if (changed) result = string.Concat(lines.Select(l => l + "\n"));
        return LbuResults.Ok(output.ToString(), simulated: true);
    }

    /// <summary>lbu compares what <c>read line</c> gives: the line without surrounding blanks.</summary>
    private static bool Same(string line, string rule) => line.Trim(' ', '\t', '\r') == rule;

    private static void Write(string file, string text)
    {
        var folder = global::System.IO.Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(folder);
        var temp = global::System.IO.Path.Combine(folder, $".lbu.list.acf-{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.SetUnixFileMode(temp, File.Exists(file)
                ? File.GetUnixFileMode(file)
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
