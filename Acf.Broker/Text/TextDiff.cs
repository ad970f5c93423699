using DiffPlex;
using DiffPlex.Model;

namespace Acf.Broker.Text;

public enum DiffLineKind { Same, Removed, Added }

/// <summary>One line of a diff with its line numbers in the old and the new text (null where it has none).</summary>
public sealed record DiffLine(DiffLineKind Kind, int? Old, int? New, string Text);

/// <summary>
/// Acf's one line differ (DiffPlex's): the history page draws its lines and <see cref="UnifiedDiff"/> writes them as
/// <c>diff -u</c> hunks. Lines are split at <c>\n</c> only, so a <c>\r</c> stays part of its line (a CRLF-to-LF change
/// is a change); a final newline is not a line of its own. The text is shown as text by the page, never as markup.
/// </summary>
public static class TextDiff
{
    private static readonly Differ Engine = new();

    public static IReadOnlyList<DiffLine> Lines(string older, string newer)
    {
        var result = Engine.CreateDiffs(older, newer, ignoreWhiteSpace: false, ignoreCase: false, NewlineChunker.Instance);
        var lines = new List<DiffLine>(result.PiecesOld.Count + result.PiecesNew.Count);
        int oldIndex = 0, newIndex = 0;
        void SameUntil(int oldStop)
        {
            while (oldIndex < oldStop)
            {
                lines.Add(new DiffLine(DiffLineKind.Same, oldIndex + 1, newIndex + 1, result.PiecesOld[oldIndex]));
                oldIndex++;
                newIndex++;
            }
        }
        foreach (DiffBlock block in result.DiffBlocks)
        {
            SameUntil(block.DeleteStartA);
            for (var k = 0; k < block.DeleteCountA; k++, oldIndex++)
                lines.Add(new DiffLine(DiffLineKind.Removed, oldIndex + 1, null, result.PiecesOld[oldIndex]));
            for (var k = 0; k < block.InsertCountB; k++, newIndex++)
                lines.Add(new DiffLine(DiffLineKind.Added, null, newIndex + 1, result.PiecesNew[newIndex]));
        }
        SameUntil(result.PiecesOld.Count);
        return lines;
    }

    /// <summary>Lines as <c>diff</c> reads them: split at <c>\n</c>, the empty piece after a final newline dropped.</summary>
    private sealed class NewlineChunker : IChunker
    {
        public static readonly NewlineChunker Instance = new();

        public IReadOnlyList<string> Chunk(string text)
        {
            if (text.Length == 0) return [];
            var lines = text.Split('\n');
            return text.EndsWith('\n') ? lines[..^1] : lines;
        }
    }
}
