using System.Net.Sockets;
using Acf.Modules.Privsep;
using Acf.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Acf.Tests.Isolation;

/// <summary>
/// Issue 16, item 1: <c>Acf:Broker:Process = separate</c>. The app starts the broker as its own child process
/// (<c>Acf.Web --acf-broker</c>), reaches it only over its Unix socket, and a save goes through it end to end (the
/// file and the audit line are the broker process's work); the socket refuses what is not the app.
/// </summary>
public sealed class BrokerProcessTests : IDisposable
{
    private readonly AcfAppFactory _factory = new();

    public BrokerProcessTests() => _factory.Settings["Acf:Broker:Process"] = "separate";

    public void Dispose() => _factory.Dispose();

    private BrokerClient Client => Assert.IsType<BrokerClient>(_factory.Services.GetRequiredService<ISystemBroker>());

    private string SocketPath => Path.Combine(_factory.DataPath, "run", "broker.sock");

    [Fact]
    public async Task Save_GoesThroughTheBrokerChild_AndIsAuditedThere()
    {
        var client = await _factory.LoggedInClientAsync();
        var broker = ChildBrokers();
        Assert.Single(broker);

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit",
            new StringContent("""{"hostname":"split-box"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("split-box", _factory.ReadRootFile("/etc/hostname").Trim());
        Assert.Contains("/etc/hostname", File.ReadAllText(Path.Combine(_factory.DataPath, "audit.log")));
        Assert.IsType<BrokerClient>(_factory.Services.GetRequiredService<ISystemBroker>());
        // The socket's folder is the broker user's alone, the socket too.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(SocketPath)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    /// <summary>
    /// The pages' reads of the broker's own files (history, audit log) and the app bar's host name go to the broker
    /// process too: the app's process neither reads those files nor counts the audit lines the broker writes (the
    /// host name was stale for up to 30 s after a save through the API, since the app counted only its own appends).
    /// </summary>
    [Fact]
    public async Task HistoryAuditAndHostName_FromTheBrokerChild_FollowItsSave()
    {
        var client = await _factory.LoggedInClientAsync();
        var facts = _factory.Services.GetRequiredService<HostFacts>();
        var actions = _factory.Services.GetRequiredService<HostActions>();
        var before = facts.HostName();

        var response = await client.PostAsync("/api/alpine-baselayout/hostname/edit",
            new StringContent("""{"hostname":"split-box"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("split-box", before);
        Assert.Equal("split-box", facts.HostName());
        Assert.Contains("/etc/hostname", actions.HistoryFiles(ModuleTestHost.Admin).Value!);
        var entries = actions.AuditQuery(ModuleTestHost.Admin, new AuditQuery(Text: "/etc/hostname"), 0, 10).Value!.Entries;
        Assert.Contains(entries, e => e is { User: "root", Module: "alpine-baselayout", Action: "write" });
        var chain = actions.VerifyAudit(ModuleTestHost.Admin).Value!;
        Assert.True(chain.Intact, chain.Message);
    }

    [Fact]
    public void BrokerChild_EndsWithTheApp()
    {
        _ = Client;
        var pid = Assert.Single(ChildBrokers());

        _factory.Dispose();

        // Still running, not only still listed: a /proc entry of the same number may be a zombie not yet reaped, or
        // another process that got the number since (the suite starts many at once).
        Assert.DoesNotContain(pid, ChildBrokers().Where(p => !IsZombie(p)));
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:\tZ", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return true; // gone while we looked
        }
    }

    /// <summary>A connection of our own to the app's broker socket, past the broker's ready frame.</summary>
    private NetworkStream ConnectPastReady()
    {
        _ = Client;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        var stream = new NetworkStream(socket, ownsSocket: true);
        using (var ready = WorkerFrame.Read(stream)) Assert.Equal(WorkerFrame.Ready, ready!.Kind);
        return stream;
    }

    [Fact]
    public void ForgedFrame_EndsTheConnection_WithoutAnAnswer()
    {
        using var stream = ConnectPastReady();

        // A call to no broker method, then a request with a member its record does not have: each closes the connection.
        stream.Write(WorkerFrame.Encode(WorkerFrame.Call, "Shell", Forged(new { caller = new { user = "root", module = "x" }, request = new { } })));
        Assert.Null(WorkerFrame.Read(stream));
    }

    /// <summary>A request with a member its record does not have. (Written as anonymous objects, as it was, the frame
    /// went out as <c>{}</c>: the frames' JSON leaves out read-only properties, and an anonymous type has only those; so
    /// the connection closed for the missing caller, not for the extra member.)</summary>
    [Fact]
    public void MalformedRequest_EndsTheConnection()
    {
        using var stream = ConnectPastReady();
        void Call(string request) => stream.Write(WorkerFrame.Encode(WorkerFrame.Call, "ReadFile",
            new BrokerSocketCall(new BrokerCaller("root", "alpine-baselayout"), System.Text.Json.JsonDocument.Parse(request).RootElement)));

        Call("""{"Path":"/etc/hostname"}""");
        using (var reply = WorkerFrame.Read(stream)) Assert.Equal(WorkerFrame.Reply, reply!.Kind); // the well-formed one is answered
        Call("""{"Path":"/etc/hostname","Command":"id"}""");
        Assert.Null(WorkerFrame.Read(stream));
    }

    [Fact]
    public async Task PeerOfAnotherUser_IsRefusedBeforeAnyFrame()
    {
        // A broker that serves only `nobody` (as the appliance's serves only `acf`): this test process is another user.
        var path = Path.Combine(_factory.DataPath, "other", "broker.sock");
        using var server = new BrokerServer(Client, new AuditChainStatus(), _factory.Services.GetRequiredService<SystemHost>(),
            Options.Create(new BrokerProcessOptions { Process = "separate", Socket = path, PeerUser = "nobody" }),
            Options.Create(new ModulesOptions()), NullLogger<BrokerServer>.Instance, NewTrim());
        await server.StartAsync(CancellationToken.None);
        Assert.Equal(BrokerSocket.FindUser("nobody")!.Value.Uid, server.AllowedUid);

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        using var stream = new NetworkStream(socket);

        Assert.Null(WorkerFrame.Read(stream)); // closed without the ready frame: no call can be made
        // The folder is the broker's and the peer group's only (0750), the socket 0660.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
    }

    /// <summary>
    /// A <c>worker</c> frame when the broker has no <c>Acf:Modules:WorkerUser</c>: the broker would start the worker as
    /// itself (root on the appliance), so it refuses, says so in its log and closes the connection.
    /// </summary>
    [Fact]
    public async Task WorkerFrame_WithoutWorkerUser_IsRefused_AndTheConnectionClosed()
    {
        var path = Path.Combine(_factory.DataPath, "workers", "broker.sock");
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var logs = new Microsoft.Extensions.Logging.LoggerFactory([new AcfAppFactory.CollectingLoggerProvider(lines)]);
        using var server = new BrokerServer(Client, new AuditChainStatus(), _factory.Services.GetRequiredService<SystemHost>(),
            Options.Create(new BrokerProcessOptions { Process = "separate", Socket = path }),
            Options.Create(new ModulesOptions { WorkerUser = "" }), Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<BrokerServer>(logs),
            NewTrim());
        await server.StartAsync(CancellationToken.None);
        var (stream, _) = BrokerClient.Open(path);
        using var _ = stream;

        stream.Write(WorkerFrame.Encode(BrokerSocket.Worker, null, null));

        Assert.Null(WorkerFrame.Read(stream)); // no pid: closed
        Assert.Contains(lines, m => m.Contains("WorkerUser is empty", StringComparison.Ordinal));
        // The app cannot choose: a worker frame that names a user (or anything) breaks the protocol.
        var (named, _) = BrokerClient.Open(path);
        using (named)
        {
            named.Write(WorkerFrame.Encode(BrokerSocket.Worker, null, Forged(new { User = "root", FileName = "/bin/sh" })));
            Assert.Null(WorkerFrame.Read(named));
        }
        Assert.Contains(lines, m => m.Contains("A worker frame carries nothing", StringComparison.Ordinal));
        // Through the app's own launch, the refusal is the worker's failure to start, named plainly.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WorkerProcess.StartAsync(WorkerLaunch.ThroughBroker(path), NullLogger.Instance, TimeSpan.FromSeconds(30)));
        Assert.Contains("the broker refused to start it", error.Message);
    }

    private static IdleMemoryTrim NewTrim() => new(TimeProvider.System, NullLogger<IdleMemoryTrim>.Instance);

    /// <summary>
    /// Issue 19: the broker process gives back what a burst took once it is quiet, as the app does. It parses the package
    /// indexes and reads the files the pages ask for; before it had no trim of its own, and 60 s after the bench's
    /// mixed load it held 77 MB more than at rest (PSS 25 -> 102 MB) while the app gave its memory back. A call that
    /// allocated much is activity (the period with it waits, the quiet one after it trims); a small one is not, so an
    /// open dashboard's reads of /proc every 2 s do not keep the broker from trimming after a burst.
    /// </summary>
    [Fact]
    public async Task ABigCall_IsActivity_ForTheBrokersIdleTrim_ASmallOneIsNot()
    {
        var path = Path.Combine(_factory.DataPath, "trim", "broker.sock");
        var trim = NewTrim();
        using var server = new BrokerServer(Client, new AuditChainStatus(), _factory.Services.GetRequiredService<SystemHost>(),
            Options.Create(new BrokerProcessOptions { Process = "separate", Socket = path }), Options.Create(new ModulesOptions()),
            NullLogger<BrokerServer>.Instance, trim);
        await server.StartAsync(CancellationToken.None);
        Assert.False(trim.Tick()); // the start
        Assert.True(trim.Tick()); // quiet: trimmed
        var (stream, _) = BrokerClient.Open(path);
        using var _ = stream;
        void ReadHostname()
        {
            var request = System.Text.Json.JsonSerializer.SerializeToElement(new ReadFileRequest("/etc/hostname"), WorkerFrame.Json);
            stream.Write(WorkerFrame.Encode(WorkerFrame.Call, "ReadFile", new BrokerSocketCall(new BrokerCaller("root", "alpine-baselayout"), request)));
            using var reply = WorkerFrame.Read(stream);
            Assert.Equal(WorkerFrame.Reply, reply!.Kind);
        }

        var hostname = Path.Combine(_factory.DemoRoot, "etc/hostname");
        // The connection's calls are served in order, each counted after its reply: the second call's reply says the
        // first one is counted.
        ReadHostname(); // a few bytes
        ReadHostname();
        Assert.False(trim.Tick());
        Assert.False(trim.Tick()); // not activity: nothing new since the trim
        File.WriteAllText(hostname, new string('a', (int)BrokerServer.BurstCallBytes));
        ReadHostname();
        File.WriteAllText(hostname, "small\n");
        ReadHostname();

        Assert.False(trim.Tick()); // the period of the big call
        Assert.True(trim.Tick()); // the quiet one after it gives its memory back
    }

    /// <summary>The broker process's host (<c>Acf.Web --acf-broker</c>) runs the trim beside its socket, and the trim
    /// drops the parsed package indexes: the first read after it parses them again.</summary>
    [Fact]
    public void BrokerProcessHost_RunsTheIdleTrim_WhichDropsTheParsedIndexes()
    {
        _ = Client; // the app has made its demo root
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder([
            "--Acf:System:Mode=demo", $"--Acf:System:Root={_factory.DemoRoot}", $"--Acf:Data:Path={_factory.DataPath}",
            $"--Acf:Broker:Socket={Path.Combine(_factory.DataPath, "host", "broker.sock")}"]);
        builder.AddAcfBrokerProcess();
        using var services = builder.Services.BuildServiceProvider();
        var hosted = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        var packages = services.GetRequiredService<SystemTools>().Packages;
        var parsed = packages.ReadState().Available;
        Assert.NotEmpty(parsed);
        Assert.Same(parsed, packages.ReadState().Available); // kept while the process is busy

        var trim = Assert.Single(hosted.OfType<IdleMemoryTrim>());
        Assert.Contains(hosted, s => s is BrokerServer);
        Assert.False(trim.Tick());
        Assert.True(trim.Tick()); // quiet

        var again = packages.ReadState().Available;
        Assert.NotSame(parsed, again);
        Assert.Equal(parsed.Select(p => $"{p.Name} {p.Version}"), again.Select(p => $"{p.Name} {p.Version}"));
    }

    /// <summary>The pids of this test process's children that run the broker mode for this test's app (its socket: other
    /// test classes start brokers of their own in the same process, at the same time).</summary>
    private List<int> ChildBrokers() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                    var status = File.ReadAllText($"/proc/{pid}/status");
                    return cmdline.Contains(BrokerChild.Argument) && cmdline.Any(a => a.EndsWith("=" + SocketPath, StringComparison.Ordinal))
                        && status.Contains($"PPid:\t{Environment.ProcessId}\n");
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .ToList();

    /// <summary>A body of no record the protocol knows (the pipes' JSON lists only those): written as plain JSON.</summary>
    private static System.Text.Json.JsonElement Forged(object body) => System.Text.Json.JsonSerializer.SerializeToElement(body);
}
