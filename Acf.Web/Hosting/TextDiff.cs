using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Acf.Web.Hosting;

public enum DiffLineKind { Same, Removed, Added }

/// <summary>One line of a diff with its line numbers in the old and the new text (null where it has none).</summary>
public sealed record DiffLine(DiffLineKind Kind, int? Old, int? New, string Text);

/// <summary>Line diffs of two versions of a config file (DiffPlex); the text is shown as text by the page, never as markup.</summary>
public static class TextDiff
{
    public static IReadOnlyList<DiffLine> Lines(string older, string newer)
    {
        var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(older, newer, ignoreWhitespace: false);
        var lines = new List<DiffLine>(model.Lines.Count);
        int oldNumber = 0, newNumber = 0;
        foreach (var piece in model.Lines)
        {
            switch (piece.Type)
            {
                case ChangeType.Deleted:
                    lines.Add(new DiffLine(DiffLineKind.Removed, ++oldNumber, null, piece.Text));
                    break;
                case ChangeType.Inserted:
                    lines.Add(new DiffLine(DiffLineKind.Added, null, ++newNumber, piece.Text));
                    break;
                default:
                    lines.Add(new DiffLine(DiffLineKind.Same, ++oldNumber, ++newNumber, piece.Text));
                    break;
            }
        }
        // "a\n" splits into "a" and an empty last piece: a final newline is not a line of its own.
        if (lines is [.., { Kind: DiffLineKind.Same, Text: "" }] && older.EndsWith('\n') && newer.EndsWith('\n')) lines.RemoveAt(lines.Count - 1);
        return lines;
    }
}
