using Acf.Modules.System;
using Acf.Modules.System.Apk;

namespace Acf.Tests.SystemTests.Apk;

/// <summary>The streaming runner behind a real <c>apk</c> run, tried on the shell tools of the test machine.</summary>
public sealed class LineCommandRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Run_Lines_HandedOnAsTheyComeAndKept()
    {
        var lines = new List<string>();

        var result = LineCommandRunner.Run(["sh", "-c", "echo one; echo two; echo oops >&2; echo three"], Timeout, 4096, lines.Add);

        Assert.Equal(0, result.Status);
        Assert.Equal("one\ntwo\nthree\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
        Assert.Equal(["one", "two", "three"], lines.Where(l => l != "oops"));
        Assert.Contains("oops", lines);
        Assert.False(result.Simulated);
    }

    [Fact]
    public void Run_FixedEnvironment_OnlyPathAndLocale()
    {
        var lines = new List<string>();

        LineCommandRunner.Run(["sh", "-c", "echo \"$PATH|$LC_ALL|$HOME\""], Timeout, 4096, lines.Add);

        Assert.Equal([string.Join(':', CommandRunner.FixedPath) + "|C|"], lines);
    }

    [Fact]
    public void Run_PastTheTimeout_KilledWithStatus124()
    {
        var result = LineCommandRunner.Run(["sleep", "30"], TimeSpan.FromMilliseconds(300), 4096, _ => { });

        Assert.True(result.TimedOut);
        Assert.Equal(124, result.Status);
    }

    [Fact]
    public void Run_OutputPastTheCap_TruncatedAndDrained()
    {
        var handed = 0;

        var result = LineCommandRunner.Run(["seq", "1", "100000"], Timeout, 1000, _ => handed++);

        Assert.Equal(0, result.Status);
        Assert.True(result.Truncated);
        Assert.True(result.Stdout.Length <= 1000);
        Assert.Equal(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, handed);
    }

    [Fact]
    public void Run_UnknownCommand_Status127WithoutStarting()
    {
        var lines = new List<string>();

        var result = LineCommandRunner.Run(["no-such-command-acf"], Timeout, 4096, lines.Add);

        Assert.Equal(127, result.Status);
        Assert.Equal(["no-such-command-acf: command not found"], lines);
    }
}
