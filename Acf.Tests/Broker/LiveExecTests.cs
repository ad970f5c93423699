namespace Acf.Tests.Broker;

/// <summary>
/// Live commands (<see cref="ExecRequest.Live"/>): their lines reach the call's output as they come, a plain command's
/// do not, and the broker runs one live command per user at a time.
/// </summary>
public sealed class LiveExecTests : IDisposable
{
    private const string Module = "probe";
    private static readonly BrokerCaller Alice = new("alice", Module);
    private static readonly BrokerCaller Bob = new("bob", Module);

    private readonly ModuleTestHost _host;

    public LiveExecTests()
    {
        _host = new ModuleTestHost(system: new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["cat"]] });
        _host.AddCapabilityProbe(Module, """{ "exec": [ [ "ping" ], [ "cat" ] ] }""");
        _host.WriteRootFile(DemoSystemBroker.RecordedOutputFolder + "/" + DemoSystemBroker.RecordedOutputName(["ping", "192.0.2.1"]),
            "PING 192.0.2.1\nreply 1\nreply 2\n");
    }

    public void Dispose() => _host.Dispose();

    private ISystemBroker Broker => _host.ReadyBroker;

    [Fact]
    public void Send_LiveSimulatedCommand_HandsEachRecordedLineToOutput()
    {
        var lines = new List<string>();

        var result = Broker.Send(Alice, new ExecRequest(["ping", "192.0.2.1"], Live: true), lines.Add);

        Assert.True(result.Ok);
        Assert.Equal(["PING 192.0.2.1", "reply 1", "reply 2"], lines);
        Assert.Equal("PING 192.0.2.1\nreply 1\nreply 2\n", result.Value!.Stdout);
    }

    [Fact]
    public void Send_LiveRealCommand_HandsItsLinesToOutput()
    {
        var lines = new List<string>();

        var result = Broker.Send(Alice, new ExecRequest(["cat"], Stdin: "one\ntwo\n", Live: true), lines.Add);

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Equal(["one", "two"], lines);
    }

    [Fact]
    public void Send_PlainCommand_KeepsItsOutputToTheResult()
    {
        var lines = new List<string>();

        var result = Broker.Send(Alice, new ExecRequest(["ping", "192.0.2.1"]), lines.Add);

        Assert.True(result.Ok);
        Assert.Empty(lines);
    }

    [Fact]
    public async Task Send_SecondLiveCommandOfTheSameUserWhileOneRuns_RefusedBusyAndNotRun()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // The first command's output callback holds it "running" until the test has tried the others.
        var first = Task.Run(() => Broker.Send(Alice, new ExecRequest(["ping", "192.0.2.1"], Live: true), _ =>
        {
            started.Set();
            release.Wait();
        }));
        started.Wait();

        var second = Broker.Send(Alice, new ExecRequest(["ping", "192.0.2.1"], Live: true));
        var otherUser = Broker.Send(Bob, new ExecRequest(["ping", "192.0.2.1"], Live: true));
        release.Set();
        var firstResult = await first;
        var afterwards = Broker.Send(Alice, new ExecRequest(["ping", "192.0.2.1"], Live: true));

        Assert.Equal(BrokerErrorKind.Busy, second.Error?.Kind);
        Assert.True(otherUser.Ok);
        Assert.True(firstResult.Ok);
        Assert.True(afterwards.Ok);
        Assert.Equal(3, _host.Audit.ReadAll().Count(e => e.Action == "exec-simulated"));
    }
}
