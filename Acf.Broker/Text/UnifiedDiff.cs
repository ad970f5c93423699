using System.Text;

namespace Acf.Broker.Text;

/// <summary>
/// A unified diff of two texts, line by line, as <c>diff -u</c> prints it, for showing an admin what a save or a
/// commit would change. Common prefix and suffix are cut first; the middle is matched by longest common subsequence
/// when it is small enough, else shown as replaced whole (config files are small; this keeps memory bounded).
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;
    private const long MaxMatrixCells = 4_000_000;

    private enum Op { Same, Removed, Added }

    public static string Create(string oldText, string newText, string oldName = "a", string newName = "b")
    {
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var script = Script(a, b);
        if (script.All(e => e.Op == Op.Same)) return "";

        var output = new StringBuilder();
        output.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var index = 0;
        while (index < script.Count)
        {
            var firstChange = script.FindIndex(index, e => e.Op != Op.Same);
            if (firstChange < 0) break;
            var start = Math.Max(index, firstChange - Context);
            var end = firstChange;
            // Extend the hunk while the next change is within two contexts of the last one.
            for (var i = firstChange; i < script.Count; i++)
            {
                if (script[i].Op != Op.Same) end = i;
                else if (i - end > 2 * Context) break;
            }
            var stop = Math.Min(script.Count, end + Context + 1);
            var hunk = script.GetRange(start, stop - start);
            var oldStart = script.Take(start).Count(e => e.Op != Op.Added) + 1;
            var newStart = script.Take(start).Count(e => e.Op != Op.Removed) + 1;
            var oldCount = hunk.Count(e => e.Op != Op.Added);
            var newCount = hunk.Count(e => e.Op != Op.Removed);
            output.Append($"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n");
            foreach (var (op, line) in hunk)
                output.Append(op switch { Op.Removed => '-', Op.Added => '+', _ => ' ' }).Append(line).Append('\n');
            index = stop;
        }
        return output.ToString();
    }

    private static string Range(int start, int count) => count == 1 ? $"{start}" : $"{(count == 0 ? start - 1 : start)},{count}";

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static List<(Op Op, string Line)> Script(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;

        var script = new List<(Op, string)>();
        script.AddRange(a.Take(prefix).Select(l => (Op.Same, l)));
        var midA = a[prefix..(a.Length - suffix)];
        var midB = b[prefix..(b.Length - suffix)];
        if ((long)midA.Length * midB.Length <= MaxMatrixCells)
            script.AddRange(Lcs(midA, midB));
        else
        {
            script.AddRange(midA.Select(l => (Op.Removed, l)));
            script.AddRange(midB.Select(l => (Op.Added, l)));
        }
        script.AddRange(a.Skip(a.Length - suffix).Select(l => (Op.Same, l)));
        return script;
    }

    private static IEnumerable<(Op, string)> Lcs(string[] a, string[] b)
    {
        var n = a.Length;
        var m = b.Length;
        var lengths = new int[(n + 1) * (m + 1)];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lengths[i * (m + 1) + j] = a[i] == b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : Math.Max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1]);
        int x = 0, y = 0;
        while (x < n && y < m)
        {
            if (a[x] == b[y]) { yield return (Op.Same, a[x]); x++; y++; }
            else if (lengths[(x + 1) * (m + 1) + y] >= lengths[x * (m + 1) + y + 1]) yield return (Op.Removed, a[x++]);
            else yield return (Op.Added, b[y++]);
        }
        while (x < n) yield return (Op.Removed, a[x++]);
        while (y < m) yield return (Op.Added, b[y++]);
    }
}
