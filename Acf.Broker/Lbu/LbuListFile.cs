using System.Text;

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

    public static ExecResult Include(string root, string path) => Edit(root, path, [(true, '+'), (false, '-')]);

    public static ExecResult Exclude(string root, string path) => Edit(root, path, [(false, '+'), (true, '-')]);

    public static ExecResult RemoveRule(string root, string path) => Edit(root, path, [(false, '+'), (false, '-')]);

    /// <summary>The path as lbu stores it (<c>etc/foo</c>), or null with the reason when it is not a plain path.</summary>
    public static string? Normalize(string path, out string? error)
    {
        var name = path.TrimStart('/');
        error = name.Length == 0 ? "No path given." : RootedPath.Validate("/" + name);
        return error is null ? name.TrimEnd('/') : null;
    }

    /// <summary>Applies lbu's list_add (<c>Add</c>) and list_delete steps in its order, with its <c>-v</c> messages
    /// (a delete that finds nothing says so only when nothing else was done).</summary>
    private static ExecResult Edit(string root, string path, (bool Add, char Prefix)[] steps)
    {
        if (Normalize(path, out var error) is not { } name) return LbuResults.Fail(error!, simulated: true);
        var file = RootedPath.Resolve(root, Path).HostPath;
        var lines = File.Exists(file) ? File.ReadAllText(file).Split('\n').ToList() : [];
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
        if (changed) Write(file, string.Concat(lines.Select(l => l + "\n")));
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
