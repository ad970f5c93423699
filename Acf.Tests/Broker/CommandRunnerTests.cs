namespace Acf.Tests.Broker;

/// <summary>The command runner, line by line as behind a real <c>apk</c> run, tried on the tools of the test machine.</summary>
public sealed class CommandRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Run_Lines_HandedOnAsTheyComeAndKept()
    {
        var lines = new List<string>();

        var result = new CommandRunner().Run(
            ["awk", "BEGIN { print \"one\"; print \"two\"; print \"oops\" > \"/dev/stderr\"; print \"three\" }"],
            null, Timeout, 4096, onLine: lines.Add);

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

        new CommandRunner().Run(["env"], null, Timeout, 4096, onLine: lines.Add);

        Assert.Equal(["LC_ALL=C", "PATH=" + string.Join(':', CommandRunner.FixedPath)], lines.Order());
    }

    [Fact]
    public void Run_PastTheTimeout_KilledWithStatus124()
    {
        var result = new CommandRunner().Run(["sleep", "30"], null, TimeSpan.FromMilliseconds(300), 4096, onLine: _ => { });

        Assert.True(result.TimedOut);
        Assert.Equal(124, result.Status);
    }

    [Fact]
    public void Run_OutputPastTheCap_TruncatedAndDrained()
    {
        var handed = 0;

        var result = new CommandRunner().Run(["seq", "1", "100000"], null, Timeout, 1000, onLine: _ => handed++);

        Assert.Equal(0, result.Status);
        Assert.True(result.Truncated);
        Assert.True(result.Stdout.Length <= 1000);
        Assert.Equal(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, handed);
    }

    [Fact]
    public void Run_UnknownCommand_Status127WithoutStarting()
    {
        var lines = new List<string>();

        var result = new CommandRunner().Run(["no-such-command-acf"], null, Timeout, 4096, onLine: lines.Add);

        Assert.Equal(127, result.Status);
        Assert.Equal(["no-such-command-acf: command not found"], lines);
    }
}
