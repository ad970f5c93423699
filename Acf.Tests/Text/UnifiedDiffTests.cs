using Acf.Broker.Text;

namespace Acf.Tests.Text;

public class UnifiedDiffTests
{
    [Fact]
    public void Create_SameText_IsEmpty()
    {
        Assert.Equal("", UnifiedDiff.Create("a\nb\n", "a\nb\n"));
    }

    [Fact]
    public void Create_OneLineChanged_ShowsItWithContext()
    {
        var diff = UnifiedDiff.Create("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", "old", "new");

        Assert.Equal("--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", diff);
    }

    /// <summary>The hunks match GNU diff's own (diffutils is part of every Debian system).</summary>
    [Theory]
    [InlineData("a\nb\nc\n", "a\nc\n")]
    [InlineData("", "x\ny\n")]
    [InlineData("x\ny\n", "")]
    [InlineData("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n", "1\nb\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\nx\n20\n21\n")]
    [InlineData("# comment\nhttp_port 3128\nacl lan src 10.0.0.0/8\nhttp_access allow lan\nhttp_access deny all\n",
        "# comment\nhttp_port 3128\nacl lan src 10.0.0.0/8\nacl office src 192.168.1.0/24\nhttp_access allow lan\nhttp_access allow office\nhttp_access deny all\n")]
    public void Create_Cases_MatchGnuDiffHunks(string before, string after)
    {
        var ours = UnifiedDiff.Create(before, after);

        Assert.Equal(GnuDiffHunks(before, after), string.Join('\n', ours.Split('\n').Skip(2)));
    }

    private static string GnuDiffHunks(string before, string after)
    {
        var dir = Directory.CreateTempSubdirectory("acf-diff-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a"), before);
            File.WriteAllText(Path.Combine(dir, "b"), after);
            var start = new ProcessStartInfo("diff") { RedirectStandardOutput = true, WorkingDirectory = dir };
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("a");
            start.ArgumentList.Add("b");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return string.Join('\n', output.Split('\n').Skip(2));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
