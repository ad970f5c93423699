using Acf.Broker.Text;

namespace Acf.Tests.Text;

/// <summary>The one line differ the history page draws (and <see cref="UnifiedDiff"/> writes as hunks).</summary>
public class TextDiffTests
{
    [Fact]
    public void Lines_OneLineReplaced_NumbersEachSideAndKeepsTheRestSame()
    {
        var lines = TextDiff.Lines("a\nb\nc\n", "a\nB\nc\n");

        Assert.Equal(
            [
                new DiffLine(DiffLineKind.Same, 1, 1, "a"),
                new DiffLine(DiffLineKind.Removed, 2, null, "b"),
                new DiffLine(DiffLineKind.Added, null, 2, "B"),
                new DiffLine(DiffLineKind.Same, 3, 3, "c"),
            ],
            lines);
    }

    [Fact]
    public void Lines_CrlfTurnedLf_IsAChangeOfThatLine()
    {
        var lines = TextDiff.Lines("a\r\nb\n", "a\nb\n");

        Assert.Equal([DiffLineKind.Removed, DiffLineKind.Added, DiffLineKind.Same], lines.Select(l => l.Kind));
        Assert.Equal("a\r", lines[0].Text);
    }

    [Fact]
    public void Lines_EmptyOld_EveryLineAdded()
    {
        var lines = TextDiff.Lines("", "x\ny");

        Assert.Equal([new DiffLine(DiffLineKind.Added, null, 1, "x"), new DiffLine(DiffLineKind.Added, null, 2, "y")], lines);
    }
}
