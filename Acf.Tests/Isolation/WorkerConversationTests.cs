using System.Buffers.Binary;
using System.IO.Pipes;

namespace Acf.Tests.Isolation;

/// <summary>
/// The app's side of the worker protocol, with the test playing a hostile worker over real pipes: raw frames that
/// ask for what the module may not have, or claim to be another module, are refused in the app.
/// </summary>
public sealed class WorkerConversationTests : IDisposable
{
    private readonly ModuleTestHost _host = new();
    private readonly AnonymousPipeServerStream _toWorker = new(PipeDirection.Out);
    private readonly AnonymousPipeServerStream _fromWorker = new(PipeDirection.In);
    private readonly AnonymousPipeClientStream _workerIn;
    private readonly AnonymousPipeClientStream _workerOut;
    private bool _killed;

    public WorkerConversationTests()
    {
        _workerIn = new AnonymousPipeClientStream(PipeDirection.In, _toWorker.ClientSafePipeHandle);
        _workerOut = new AnonymousPipeClientStream(PipeDirection.Out, _fromWorker.ClientSafePipeHandle);
        _host.AddModule("mine", """
            { "title": "Mine", "roles": { "GUEST": [ "ctl/run" ] }, "capabilities": { "read": [ "/etc/mine" ] } }
            """, ("ctl", "return {}"));
        _host.AddModule("other", """
            { "title": "Other", "roles": { "GUEST": [ "ctl/run" ] }, "capabilities": { "read": [ "/etc/other" ] } }
            """, ("ctl", "return {}"));
        _host.WriteRootFile("/etc/mine", "mine");
        _host.WriteRootFile("/etc/other", "secret of the other module");
    }

    public void Dispose()
    {
        _workerIn.Dispose();
        _workerOut.Dispose();
        _toWorker.Dispose();
        _fromWorker.Dispose();
        _host.Dispose();
    }

    /// <summary>Runs an action of module <c>mine</c> while <paramref name="worker"/> plays the worker's end.</summary>
    private async Task<WorkerAnswer> Converse(Action worker)
    {
        var broker = _host.ReadyBroker;
        var conversation = new WorkerConversation(_fromWorker, _toWorker, NullLogger.Instance);
        var run = new WorkerRun("mine", "ctl", "run", ModuleTestHost.Guest, [], ModuleInput.Empty, new ModulesOptions(), broker.Info);
        var context = new BrokerCallContext(broker, new BrokerCaller(ModuleTestHost.Guest.Name, "mine"), _host.Catalog, null);
        var playing = Task.Run(() =>
        {
            using var _ = WorkerFrame.Read(_workerIn); // the run
            worker();
        });
        var answer = await conversation.RunAsync(run, context, TimeSpan.FromSeconds(30), () =>
        {
            _killed = true;
            // What both ends see when the worker process dies: its pipes close.
            _fromWorker.Dispose();
            _toWorker.Dispose();
        });
        await playing.WaitAsync(TimeSpan.FromSeconds(30));
        return answer;
    }

    private void SendRaw(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        _workerOut.Write(frame);
        _workerOut.Flush();
    }

    private JsonElement ReceiveReply()
    {
        using var reply = WorkerFrame.Read(_workerIn)!;
        Assert.Equal(WorkerFrame.Reply, reply.Kind);
        return reply.Body.Clone();
    }

    /// <summary>The worker sends one call, reads its reply and says done: the run's answer and that reply.</summary>
    private async Task<(WorkerAnswer Answer, JsonElement Reply)> CallThenDone(string call)
    {
        JsonElement reply = default;
        var answer = await Converse(() =>
        {
            SendRaw(call);
            reply = ReceiveReply();
            SendDone();
        });
        return (answer, reply);
    }

    private void SendDone() => SendRaw("""{"kind":"done","body":{"Entity":{"Type":"text","Text":"done"},"Error":null}}""");

    [Fact]
    public async Task RunAsync_CallForFileOutsideCapabilities_IsDenied()
    {
        var (answer, reply) = await CallThenDone("""{"kind":"call","method":"ReadFile","body":{"Path":"/etc/other"}}""");

        Assert.True(answer.Healthy);
        Assert.Equal("done", answer.Outcome.Entity!.Text);
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("Value").ValueKind);
        Assert.Equal("Denied", reply.GetProperty("Error").GetProperty("Kind").GetString());
        Assert.Contains("Module 'mine' may not read /etc/other", reply.GetProperty("Error").GetProperty("Message").GetString());
    }

    [Fact]
    public async Task RunAsync_CallWithinCapabilities_IsAnswered()
    {
        var (answer, reply) = await CallThenDone("""{"kind":"call","method":"ReadFile","body":{"Path":"/etc/mine"}}""");

        Assert.True(answer.Healthy);
        Assert.Equal("mine", Encoding.UTF8.GetString(reply.GetProperty("Value").GetProperty("Bytes").GetBytesFromBase64()));
    }

    [Theory]
    [InlineData("""{"kind":"call","method":"ReadFile","caller":{"User":"root","Module":"other"},"body":{"Path":"/etc/other"}}""")]
    [InlineData("""{"kind":"call","method":"ReadFile","body":{"Path":"/etc/other","Caller":{"User":"root","Module":"other"}}}""")]
    [InlineData("""{"kind":"call","method":"ReadFileAsRoot","body":{"Path":"/etc/other"}}""")]
    [InlineData("""{"kind":"call","method":"ReadFile","body":{"Path":null}}""")]
    [InlineData("""{"kind":"reply","body":null}""")]
    [InlineData("""not json at all""")]
    public async Task RunAsync_ForgedOrMalformedFrame_WorkerIsKilledAndNothingAnswered(string frame)
    {
        var answered = false;

        var answer = await Converse(() =>
        {
            SendRaw(frame);
            answered = WorkerFrame.Read(_workerIn) is not null; // a reply would arrive before the pipe closes
        });

        Assert.False(answer.Healthy);
        Assert.True(_killed);
        Assert.Equal("the module worker broke the protocol and was stopped", answer.Outcome.Error);
        Assert.False(answered);
    }

    [Fact]
    public async Task RunAsync_FrameLongerThanTheProtocolAllows_WorkerIsKilled()
    {
        var answer = await Converse(() =>
        {
            var header = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(header, int.MaxValue);
            _workerOut.Write(header);
            _workerOut.Flush();
        });

        Assert.False(answer.Healthy);
        Assert.True(_killed);
    }
}
