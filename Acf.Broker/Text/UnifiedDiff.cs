namespace Acf.Broker.Text;

/// <summary>
/// A unified diff of two texts, as <c>diff -u</c> prints it, for showing an admin what a save or a commit would
/// change: the hunk writer over <see cref="TextDiff"/>'s lines (three lines of context, hunks joined when their
/// contexts meet).
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string oldText, string newText, string oldName = "a", string newName = "b")
    {
        var script = TextDiff.Lines(oldText, newText);
        if (script.All(e => e.Kind == DiffLineKind.Same)) return "";

        var output = new StringBuilder();
        output.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var index = 0;
        while (index < script.Count)
        {
            var firstChange = FindChange(script, index);
            if (firstChange < 0) break;
            var start = Math.Max(index, firstChange - Context);
            var end = firstChange;
            // Extend the hunk while the next change is within two contexts of the last one.
            for (var i = firstChange; i < script.Count; i++)
            {
                if (script[i].Kind != DiffLineKind.Same) end = i;
                else if (i - end > 2 * Context) break;
            }
            var stop = Math.Min(script.Count, end + Context + 1);
            var hunk = script.Skip(start).Take(stop - start).ToList();
            var oldStart = script.Take(start).Count(e => e.Kind != DiffLineKind.Added) + 1;
            var newStart = script.Take(start).Count(e => e.Kind != DiffLineKind.Removed) + 1;
            var oldCount = hunk.Count(e => e.Kind != DiffLineKind.Added);
            var newCount = hunk.Count(e => e.Kind != DiffLineKind.Removed);
            output.Append($"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n");
            foreach (var line in hunk)
                output.Append(line.Kind switch { DiffLineKind.Removed => '-', DiffLineKind.Added => '+', _ => ' ' }).Append(line.Text).Append('\n');
            index = stop;
        }
        return output.ToString();
    }

    private static int FindChange(IReadOnlyList<DiffLine> script, int from)
    {
        for (var i = from; i < script.Count; i++)
            if (script[i].Kind != DiffLineKind.Same) return i;
        return -1;
    }

    private static string Range(int start, int count) => count == 1 ? $"{start}" : $"{(count == 0 ? start - 1 : start)},{count}";
}
