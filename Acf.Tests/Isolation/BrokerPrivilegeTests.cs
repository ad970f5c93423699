using Acf.Modules.Privsep;
using Xunit.Abstractions;
using Microsoft.Extensions.Configuration;

namespace Acf.Tests.Isolation;

/// <summary>
/// A test that starts processes as other users (issue 16 item 1): skipped, with the reason in the test output, unless
/// the tests run as root with setpriv and socat and the system users <c>nobody</c> and <c>daemon</c>. CI runs as root.
/// </summary>
public class RootWithUsersFactAttribute : FactAttribute
{
    public RootWithUsersFactAttribute()
    {
        if (UnixFile.EffectiveUser() != 0)
            Skip = "needs root: it starts the broker as root and its clients as other users; run the suite as root, as CI does";
        else if (BrokerPrivilegeTests.Program("setpriv") is null || BrokerPrivilegeTests.Program("socat") is null)
            Skip = "needs setpriv (util-linux) and socat on the PATH to connect to the broker as another user";
        else if (BrokerSocket.FindUser("nobody") is null || BrokerSocket.FindUser("daemon") is null)
            Skip = "needs the system users nobody and daemon in /etc/passwd";
    }
}

/// <summary>
/// As <see cref="RootWithUsersFactAttribute"/>, for a test that runs the app's own files as <c>nobody</c> or <c>daemon</c>.
/// Those run from a copy in the temp folder (<see cref="BrokerPrivilegeTests"/>), not from the clone, which may lie in a
/// folder only root may enter (the clean-clone check's <c>mktemp -d</c>, 0700: "Failed to resolve full path of the
/// current executable"); only a temp folder that lets others through is needed, else the test is skipped so.
/// </summary>
public sealed class RootWithUsersAndReachableFilesFactAttribute : RootWithUsersFactAttribute
{
    public RootWithUsersAndReachableFilesFactAttribute()
    {
        if (Skip is not null) return;
        var closed = Ancestors(Path.GetTempPath()).FirstOrDefault(dir => (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0);
        if (closed is not null)
            Skip = $"needs the temp folder reachable by nobody to run a copy of the app as nobody; {closed} lets only its owner in";
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent) yield return dir.FullName;
    }
}

/// <summary>
/// The split as the appliance runs it: the broker process (<c>Acf.Web --acf-broker</c>) as root, serving only the app's
/// user (<c>Acf:Broker:PeerUser</c>; <c>nobody</c> stands in for <c>acf</c>). A client of that user, started with
/// setpriv, gets the broker's <c>ready</c>, and while it is connected /proc shows root only for the broker; a client
/// of another user that can reach the socket through the group (as any member of <c>acf</c> could) is closed before
/// any frame, and so is root's own test process.
/// </summary>
public sealed class BrokerPrivilegeTests(ITestOutputHelper output) : IDisposable
{
    private const uint Nobody = 65534;
    private const string AdminPassword = "unprivileged-app-password";
    private readonly string _dir = Directory.CreateTempSubdirectory("acf-privsep-").FullName;
    private AppFiles? _files;
    private readonly List<Process> _clients = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _appOutput = new();

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            try { client.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            client.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string DemoSource => Files.Demo;
    private string ModulesPath => Files.Modules;

    /// <summary>
    /// What the app's processes need, in the test's folder (0711, removed after), so that <c>nobody</c> and
    /// <c>daemon</c> reach it wherever the clone lies: the tests' build (the app's executable and assemblies), the
    /// repository's defaults (<c>appsettings.json</c> beside <c>Acf.sln</c>, as the app looks for them), the content
    /// root's <c>wwwroot</c>, <c>modules-lua</c> and <c>demo</c>. Hard links where the temp folder shares the clone's file
    /// system (as the clean-clone check's <c>mktemp -d</c> does), copies elsewhere; folders 0755.
    /// </summary>
    private AppFiles Files => _files ??= CopyAppFiles();

    private sealed record AppFiles(string Root)
    {
        public string Bin => Path.Combine(Root, "bin");
        public string ContentRoot => Path.Combine(Root, "Acf.Web");
        public string Modules => Path.Combine(Root, "modules-lua");
        public string Demo => Path.Combine(Root, "demo");
    }

    private AppFiles CopyAppFiles()
    {
        var watch = Stopwatch.StartNew();
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var files = new AppFiles(Path.Combine(_dir, "files"));
        var repository = ModuleTestHost.RepositoryRoot;
        var (linked, copied) = (0, 0);
        void Place(string source, string target)
        {
            if (Link(source, target) == 0)
            {
                linked++;
                return;
            }
            File.Copy(source, target); // another file system: the mode comes along
            copied++;
        }
        void Tree(string source, string target)
        {
            Directory.CreateDirectory(target);
            File.SetUnixFileMode(target, Reachable);
            foreach (var dir in Directory.EnumerateDirectories(source))
                if (new DirectoryInfo(dir).LinkTarget is null) Tree(dir, Path.Combine(target, Path.GetFileName(dir)));
            foreach (var file in Directory.EnumerateFiles(source))
                if (new FileInfo(file).LinkTarget is null) Place(file, Path.Combine(target, Path.GetFileName(file)));
        }
        Tree(AppContext.BaseDirectory, files.Bin);
        Tree(Path.Combine(repository, "modules-lua"), files.Modules);
        Tree(Path.Combine(repository, "demo"), files.Demo);
        Tree(Path.Combine(repository, "Acf.Web", "wwwroot"), Path.Combine(files.ContentRoot, "wwwroot"));
        File.SetUnixFileMode(files.Root, Reachable);
        Place(Path.Combine(repository, "Acf.sln"), Path.Combine(files.Root, "Acf.sln"));
        Place(Path.Combine(repository, "appsettings.json"), Path.Combine(files.Root, "appsettings.json"));
        output.WriteLine($"the app's files for other users: {linked} linked, {copied} copied in {watch.ElapsedMilliseconds} ms");
        return files;
    }

    private const UnixFileMode Reachable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The broker as root on a demo root in the test's folder, serving <c>nobody</c>, started from the copy of the
    /// app's files (its workers run from there too); the other users pass through the test's folder to the socket's
    /// (0750 root:&lt;peer's group&gt;).</summary>
    private async Task<(BrokerChild Broker, string Socket, SystemHost Host)> StartBrokerAsync(string workerUser = "", int workers = 3,
        string peerUser = "nobody")
    {
        var files = Files;
        var host = SystemHost.Resolve(new SystemOptions { Mode = "demo", DemoSource = DemoSource }, new DataOptions { Path = Path.Combine(_dir, "data") },
            new CatalogOptions { Path = ModulesPath }, files.Root, NullLogger.Instance);
        var socket = Path.Combine(_dir, "run", "broker.sock");
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Acf:Broker:Process"] = "separate",
            ["Acf:Broker:PeerUser"] = peerUser,
            ["Acf:System:DemoSource"] = DemoSource,
            ["Acf:Modules:WorkerUser"] = workerUser,
            ["Acf:Modules:Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var broker = BrokerChild.Start(settings, host, files.ContentRoot, socket, files.Bin);
        try
        {
            await ListeningAsync(socket, broker, rootServed: peerUser == "");
        }
        catch
        {
            broker.Dispose();
            throw;
        }
        return (broker, socket, host);
    }

    [RootWithUsersFact]
    public async Task BrokerAsRoot_ServesOnlyTheAppsUser_AndIsTheOnlyRootProcess()
    {
        var (peerUid, peerGid) = BrokerSocket.FindUser("nobody")!.Value;
        Assert.Equal(Nobody, peerUid);
        var (broker, socket, host) = await StartBrokerAsync();
        using var _ = broker;

        // The app's user: served.
        var app = StartAs(peerUid, peerGid, socket);
        using (var ready = await WorkerFrame.ReadAsync(app.StandardOutput.BaseStream).WaitAsync(TimeSpan.FromMinutes(2)))
            Assert.Equal(WorkerFrame.Ready, ready?.Kind);
        var uids = new Dictionary<int, uint[]> { [broker.Id] = Uids(broker.Id), [app.Id] = Uids(app.Id) };
        Assert.Equal([0u, 0u, 0u, 0u], uids[broker.Id]);
        Assert.Equal([Nobody, Nobody, Nobody, Nobody], uids[app.Id]);
        Assert.Equal([broker.Id], uids.Where(p => p.Value.Contains(0u)).Select(p => p.Key));

        // Another user in the socket's group (daemon with nobody's group): it connects, and is closed before any frame.
        var other = StartAs(1, peerGid, socket);
        var otherOutput = await other.StandardOutput.BaseStream.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromMinutes(2));
        await other.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var otherError = await other.StandardError.ReadToEndAsync();
        Assert.Equal(0, otherOutput);
        Assert.True(other.ExitCode == 0, $"daemon's socat could not connect at all (so SO_PEERCRED was not what refused it): {otherError}");
        Assert.Null(broker.Gone());
    }

    /// <summary>
    /// Workers from the broker (docs/isolation.md, step 3): an app that runs as <c>nobody</c> cannot start or kill a
    /// process of another user, so it asks the broker with a <c>worker</c> frame. The broker (root, its
    /// <c>WorkerUser=daemon</c>) starts the worker as <c>daemon</c>, its own child, answers its pid and relays its pipes:
    /// an action of a probe module runs over the connection (its file read a broker call going back and forth), and
    /// closing the connection kills the worker, which is reaped (gone from /proc, not a zombie).
    /// </summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task WorkerFrame_FromTheAppsUser_StartsAWorkerAsWorkerUser_KilledWithTheConnection()
    {
        var (peerUid, peerGid) = BrokerSocket.FindUser("nobody")!.Value;
        var (daemonUid, _) = BrokerSocket.FindUser("daemon")!.Value;
        var (broker, socket, _) = await StartBrokerAsync(workerUser: "daemon");
        using var _ = broker;
        using var module = new ModuleTestHost();
        module.AddModule("mine", """
            { "title": "Mine", "roles": { "GUEST": [ "ctl/run" ] }, "capabilities": { "read": [ "/etc/mine" ] } }
            """, ("ctl", "return {}"));
        module.WriteRootFile("/etc/mine", "relayed");

        var app = StartAs(peerUid, peerGid, socket, duplex: true);
        var fromBroker = app.StandardOutput.BaseStream;
        var toBroker = app.StandardInput.BaseStream;
        var pid = await AskForWorkerAsync(app) ?? throw new Xunit.Sdk.XunitException("the broker refused the worker");

        Assert.Equal([daemonUid, daemonUid, daemonUid, daemonUid], Uids(pid));
        Assert.Equal(broker.Id, ParentOf(pid));
        Assert.Contains("NoNewPrivs:\t1", File.ReadAllText($"/proc/{pid}/status"));
        var broker0 = module.ReadyBroker;
        var run = new WorkerRun("mine", "ctl", "run", ModuleTestHost.Guest,
            System.Text.Encoding.UTF8.GetBytes(ModuleTestHost.ProbeController("""return { type = "text", value = acf.fs.read("/etc/mine") }""")),
            Acf.Modules.Cfe.ModuleInput.Empty, new ModulesOptions(), broker0.Info);
        var context = new BrokerCallContext(broker0, new BrokerCaller(ModuleTestHost.Guest.Name, "mine"), module.Catalog, null);
        var answer = await new WorkerConversation(fromBroker, toBroker, NullLogger.Instance)
            .RunAsync(run, context, TimeSpan.FromMinutes(1), () => Assert.Fail("the action overran"));
        Assert.True(answer.Healthy, answer.Outcome.Error);
        Assert.Equal("relayed", answer.Outcome.Entity!.Text);

        // The app's side closes (its process ends): the broker kills the worker and reaps it.
        app.Kill();
        var waited = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} is still there: {(File.Exists($"/proc/{pid}/status") ? File.ReadAllText($"/proc/{pid}/status") : "")}");
        Assert.Null(broker.Gone());
    }

    /// <summary>
    /// The bound on relayed workers (<c>Workers</c>*2+2 in all, here 4 with <c>Workers=1</c>): a fifth connection's
    /// <c>worker</c> frame is refused (closed, no pid). A worker that dies (SIGKILL from outside) closes its connection
    /// and frees its place: the next connection gets a worker again.
    /// </summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task WorkerFrames_BeyondTheBound_AreRefused_AndAWorkersExitClosesItsConnection()
    {
        var (peerUid, peerGid) = BrokerSocket.FindUser("nobody")!.Value;
        var (broker, socket, _) = await StartBrokerAsync(workerUser: "daemon", workers: 1);
        using var _ = broker;
        var apps = Enumerable.Range(0, 4).Select(_ => StartAs(peerUid, peerGid, socket, duplex: true)).ToList();
        var pids = new List<int>();
        foreach (var app in apps) pids.Add(await AskForWorkerAsync(app) ?? throw new Xunit.Sdk.XunitException("refused within the bound"));

        Assert.Null(await AskForWorkerAsync(StartAs(peerUid, peerGid, socket, duplex: true)));

        Process.GetProcessById(pids[0]).Kill();
        Assert.Null(await WorkerFrame.ReadAsync(apps[0].StandardOutput.BaseStream).WaitAsync(TimeSpan.FromMinutes(1))); // closed
        var waited = Stopwatch.StartNew();
        int? again = null;
        while (again is null && waited.Elapsed < TimeSpan.FromSeconds(30))
            again = await AskForWorkerAsync(StartAs(peerUid, peerGid, socket, duplex: true));
        Assert.NotNull(again);
        Assert.Null(broker.Gone());
    }

    /// <summary>
    /// The app's own pool through the broker (the launch an unprivileged app gets): a runaway inside C overruns the wall
    /// time, the pool "kills" its worker by closing the connection, and the broker kills and reaps it (its pid, a
    /// <c>daemon</c> process, is gone); the next action gets a new worker through the broker and is served. (The broker
    /// serves root here, its own user, so that the test process can be the app.)
    /// </summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task PoolThroughTheBroker_RunawayInsideC_StopsAtWallTime_AndTheBrokerKillsTheWorker()
    {
        var (daemonUid, _) = BrokerSocket.FindUser("daemon")!.Value;
        var (broker, socket, _) = await StartBrokerAsync(workerUser: "daemon", peerUser: "");
        using var _ = broker;
        using var pool = new ModuleWorkerPool(WorkerLaunch.ThroughBroker(socket), 1, NullLogger.Instance);
        using var module = new ModuleTestHost(new ModulesOptions { InstructionLimit = 10_000_000_000, WallTimeSeconds = 1 }, workers: pool);
        module.AddModule("mod", """
            { "title": "Probe", "roles": { "GUEST": [ "ctl/run", "ctl/ok" ] }, "capabilities": { "read": [ "/etc/probe" ] } }
            """, ("ctl", ModuleTestHost.ProbeController("""
            return { type = "text", value = tostring(string.find(("a"):rep(300), (".-"):rep(16) .. "x")) }
            """, """
            function M.ok(ctx) return { type = "text", value = acf.fs.read("/etc/probe") } end
            """)));
        module.WriteRootFile("/etc/probe", "fine");

        var running = module.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
        int pid;
        while ((pid = pool.BusyProcessIds.FirstOrDefault()) == 0) await Task.Delay(20);
        var uids = Uids(pid);
        var parent = ParentOf(pid);
        var result = await running;
        var waited = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        var next = await module.RunAsync(ModuleTestHost.User, "mod", "ctl", "ok");

        Assert.Equal([daemonUid, daemonUid, daemonUid, daemonUid], uids);
        Assert.Equal(broker.Id, parent);
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("time limit of 1 s was exceeded inside a library call", result.Error);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} is still there");
        Assert.Equal(RunStatus.Ok, next.Status);
        Assert.Equal("fine", next.Entity!.Text);
        Assert.NotEqual(pid, Assert.Single(pool.RunningProcessIds));
        Assert.Null(broker.Gone());
    }

    /// <summary>Past the broker's <c>ready</c> on <paramref name="app"/> (a duplex socat), a <c>worker</c> frame: the
    /// pid the broker answers, after the worker's own <c>ready</c> came through the relay; null when the broker closed.</summary>
    private static async Task<int?> AskForWorkerAsync(Process app)
    {
        var fromBroker = app.StandardOutput.BaseStream;
        using (var ready = await WorkerFrame.ReadAsync(fromBroker).WaitAsync(TimeSpan.FromMinutes(2)))
            Assert.Equal(WorkerFrame.Ready, ready?.Kind);
        await app.StandardInput.BaseStream.WriteAsync(WorkerFrame.Encode(BrokerSocket.Worker, null, null));
        await app.StandardInput.BaseStream.FlushAsync();
        int pid;
        using (var started = await WorkerFrame.ReadAsync(fromBroker).WaitAsync(TimeSpan.FromMinutes(2)))
        {
            if (started is null) return null;
            Assert.Equal(BrokerSocket.Worker, started.Kind);
            pid = started.Read<BrokerWorkerStarted>().Pid;
        }
        using (var workerReady = await WorkerFrame.ReadAsync(fromBroker).WaitAsync(TimeSpan.FromMinutes(2)))
            Assert.Equal(WorkerFrame.Ready, workerReady?.Kind); // the worker's own first frame, relayed
        return pid;
    }

    /// <summary>
    /// The whole app unprivileged (issue 16 item 1, the <c>/proc</c> test): the broker process as root, the app itself
    /// (Kestrel, login, the runner) started by setpriv as <c>nobody</c> with <c>Process=separate</c> and a data folder of
    /// its own, its workers as <c>nobody</c> too (<c>WorkerUser</c> empty). Logging in reads <c>/etc/acf/passwd</c>
    /// through the broker, a save through the API writes the broker's demo root, and /proc shows uid 0 for the broker
    /// only: the app and every process under it run as <c>nobody</c>.
    /// </summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task WholeAppAsNobody_LogsInAndSaves_OnlyTheBrokerIsRoot()
    {
        var (broker, app, tree) = await WholeAppAsNobodySavesAsync(workerUser: "");
        using var _ = broker;
        var workers = tree.Where(IsWorker).ToList();
        Assert.NotEmpty(workers); // the save ran in a worker of the unprivileged app, its own child
        var uids = tree.Append(broker.Id).ToDictionary(pid => pid, Uids);
        Assert.Equal([0u, 0u, 0u, 0u], uids[broker.Id]);
        Assert.All(tree, pid => Assert.Equal([Nobody, Nobody, Nobody, Nobody], uids[pid]));
        Assert.Equal([broker.Id], uids.Where(p => p.Value.Contains(0u)).Select(p => p.Key));
    }

    /// <summary>
    /// As above with <c>Acf:Modules:WorkerUser=daemon</c> (standing in for <c>acf-worker</c>): the app as <c>nobody</c>
    /// cannot start workers as <c>daemon</c>, so the broker does (docs/isolation.md step 3): /proc shows the broker
    /// root, the app <c>nobody</c> with no worker of its own, and the worker that ran the save <c>daemon</c>, a child
    /// of the broker. Stopping the app closes its connections, and the broker kills its workers.
    /// </summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task WholeAppAsNobody_WorkersAsWorkerUser_StartedByTheBroker()
    {
        var (daemonUid, _) = BrokerSocket.FindUser("daemon")!.Value;
        var (broker, app, tree) = await WholeAppAsNobodySavesAsync(workerUser: "daemon");
        using var _ = broker;
        Assert.DoesNotContain(tree, IsWorker); // the app started none itself
        var workers = Descendants(broker.Id).Where(IsWorker).ToList();
        Assert.NotEmpty(workers);
        var uids = tree.Concat(workers).Append(broker.Id).ToDictionary(pid => pid, Uids);
        Assert.Equal([0u, 0u, 0u, 0u], uids[broker.Id]);
        Assert.All(tree, pid => Assert.Equal([Nobody, Nobody, Nobody, Nobody], uids[pid]));
        Assert.All(workers, pid => Assert.Equal([daemonUid, daemonUid, daemonUid, daemonUid], uids[pid]));
        Assert.All(workers, pid => Assert.Equal(broker.Id, ParentOf(pid)));
        Assert.Equal([broker.Id], uids.Where(p => p.Value.Contains(0u)).Select(p => p.Key));

        app.Kill(entireProcessTree: true);
        var waited = Stopwatch.StartNew();
        while (workers.Any(pid => Directory.Exists($"/proc/{pid}")) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.DoesNotContain(workers, pid => Directory.Exists($"/proc/{pid}"));
        Assert.Null(broker.Gone());
    }

    /// <summary>
    /// The broker process as root (its <c>WorkerUser</c> <paramref name="workerUser"/>), the app itself started by
    /// setpriv as <c>nobody</c> with <c>Process=separate</c>, a data folder of its own and the same <c>WorkerUser</c>;
    /// it logs in (the passwd file read through the broker) and saves the host name through the API, which the broker
    /// writes and audits. Returns the broker, the app and the app's process tree after the save.
    /// </summary>
    private async Task<(BrokerChild Broker, Process App, List<int> Tree)> WholeAppAsNobodySavesAsync(string workerUser)
    {
        var (peerUid, peerGid) = BrokerSocket.FindUser("nobody")!.Value;
        var (broker, socket, host) = await StartBrokerAsync(workerUser);
        var contentRoot = Files.ContentRoot;
        try
        {
            // The app's own state (cookie keys, sessions, token use times) in a folder of its user; the broker's stays root's.
            var appData = Directory.CreateDirectory(Path.Combine(_dir, "app")).FullName;
            File.SetUnixFileMode(appData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(0, Chown(appData, peerUid, peerGid));
            var port = FreePort();
            var app = StartAppAs(peerUid, peerGid, contentRoot,
                $"--urls=http://127.0.0.1:{port}", "--Acf:System:Mode=demo", $"--Acf:System:DemoSource={DemoSource}", $"--Acf:Data:Path={appData}",
                $"--Acf:Modules:Path={ModulesPath}", "--Acf:Broker:Process=separate", "--Acf:Broker:StartChild=false", $"--Acf:Broker:Socket={socket}",
                $"--Acf:Bootstrap:AdminPassword={AdminPassword}", "--Acf:Https:Mode=off", $"--Acf:Modules:WorkerUser={workerUser}");
            await LogInAndSaveAsync(port, app, host, "nobody-box");
            Assert.False(File.Exists(Path.Combine(appData, "audit.log")), "the app kept an audit log of its own");
            Assert.False(Directory.Exists(Path.Combine(appData, "demo-root")), "the app copied a demo tree it never works on");
            Assert.Null(broker.Gone());
            return (broker, app, Descendants(app.Id).Prepend(app.Id).ToList());
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Step 1 of "the split" (docs/isolation.md): the demo host's one command run as root with <c>Acf:Web:User=nobody</c>
    /// and <c>Acf:Modules:WorkerUser=daemon</c>. The app starts its broker child as root, makes <c>&lt;Data&gt;/web</c> its
    /// own, becomes <c>nobody</c> by itself and asks the child for its workers: /proc shows uid 0 only for the broker
    /// child (the app's child), the app <c>nobody</c>, the worker that ran the save <c>daemon</c> (the broker's child);
    /// login and the save over HTTP write the broker's demo root and audit log, and nothing the app wrote under
    /// <c>&lt;Data&gt;/web</c> (cookie keys, sessions) is root's.
    /// </summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task AppStartedAsRoot_WithWebUser_DropsToIt_OnlyItsBrokerChildIsRoot()
    {
        var (daemonUid, _) = BrokerSocket.FindUser("daemon")!.Value;
        var files = Files;
        var data = Path.Combine(_dir, "data");
        var port = FreePort();
        var app = StartApp(null, files.ContentRoot,
            $"--urls=http://127.0.0.1:{port}", "--Acf:System:Mode=demo", $"--Acf:System:DemoSource={DemoSource}", $"--Acf:Data:Path={data}",
            $"--Acf:Modules:Path={ModulesPath}", "--Acf:Broker:Process=separate", "--Acf:Broker:StartChild=true",
            $"--Acf:Bootstrap:AdminPassword={AdminPassword}", "--Acf:Https:Mode=off", "--Acf:Modules:WorkerUser=daemon", "--Acf:Web:User=nobody");
        var host = new SystemHost(HostMode.Demo, Path.Combine(data, "demo-root"), data, ModulesPath);

        await LogInAndSaveAsync(port, app, host, "dropped-box");

        var tree = Descendants(app.Id);
        var broker = Assert.Single(tree, pid => Arguments(pid).Contains(BrokerChild.Argument));
        Assert.Equal(app.Id, ParentOf(broker));
        var workers = Descendants(broker).Where(IsWorker).ToList();
        Assert.NotEmpty(workers); // the save ran in a worker the broker started
        var uids = tree.Prepend(app.Id).ToDictionary(pid => pid, Uids);
        Assert.Equal([0u, 0u, 0u, 0u], uids[broker]);
        Assert.Equal([Nobody, Nobody, Nobody, Nobody], uids[app.Id]);
        Assert.All(workers, pid => Assert.Equal([daemonUid, daemonUid, daemonUid, daemonUid], uids[pid]));
        Assert.Equal([broker], uids.Where(p => p.Value.Contains(0u)).Select(p => p.Key));
        var web = Path.Combine(data, "web");
        Assert.Equal(Nobody, UnixFile.Owner(web)?.Uid);
        Assert.True(Directory.Exists(Path.Combine(web, "keys")), "the app kept no cookie keys in its own folder");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(web, "*", SearchOption.AllDirectories), entry => UnixFile.Owner(entry)?.Uid == 0);
        Assert.False(Directory.Exists(Path.Combine(data, "keys")), "the app wrote its cookie keys into the broker's folder");
        // The user passes through <Data> (0710 root:its group) to its folder and the socket's, and into nothing else.
        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute, File.GetUnixFileMode(data));
        Assert.All(new DirectoryInfo(data).EnumerateFileSystemInfos().Where(entry => entry.Name is not ("web" or "run")),
            entry => Assert.True((entry.UnixFileMode & Others) == 0, $"{entry.Name} is {entry.UnixFileMode}"));
    }

    /// <summary>The same command with the broker inside the app: it would have to stay root, so it refuses to start
    /// and says why, before it created anything in its data folder.</summary>
    [RootWithUsersAndReachableFilesFact]
    public async Task AppStartedAsRoot_WithWebUser_BrokerInProcess_RefusesToStart()
    {
        var data = Path.Combine(_dir, "data");
        var app = StartApp(null, Files.ContentRoot, $"--urls=http://127.0.0.1:{FreePort()}", "--Acf:System:Mode=demo",
            $"--Acf:System:DemoSource={DemoSource}", $"--Acf:Data:Path={data}", $"--Acf:Modules:Path={ModulesPath}",
            "--Acf:Broker:Process=in-process", $"--Acf:Bootstrap:AdminPassword={AdminPassword}", "--Acf:Web:User=nobody");

        await app.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains(_appOutput, line => line.Contains("Acf:Web:User 'nobody' needs Acf:Broker:Process=separate", StringComparison.Ordinal));
        Assert.False(Directory.Exists(data), "the app prepared a data folder it then refused to use");
    }

    /// <summary>Logs in as root over HTTP once the app on <paramref name="port"/> serves, and saves the host name
    /// <paramref name="hostname"/> through the API: the broker writes it into <paramref name="host"/>'s root and audits the login.</summary>
    private async Task LogInAndSaveAsync(int port, Process app, SystemHost host, string hostname)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
        await ServingAsync(client, app);

        var login = await Acf.Tests.Web.AcfAppFactory.LoginAsync(client, "root", AdminPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        await Acf.Tests.Web.AcfAppFactory.AddAntiforgeryHeaderAsync(client);
        var save = await client.PostAsync("/api/alpine-baselayout/hostname/edit",
            new StringContent($$"""{"hostname":"{{hostname}}"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.True(save.IsSuccessStatusCode, $"{save.StatusCode}: {await save.Content.ReadAsStringAsync()} {string.Join('\n', _appOutput)}");
        Assert.Equal(hostname + "\n", File.ReadAllText(Path.Combine(host.Root, "etc", "hostname")));
        Assert.Contains("\"action\":\"login\"", File.ReadAllText(host.AuditLogPath));
    }

    private static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return []; // ended meanwhile
        }
    }

    private static bool IsWorker(int pid) => Arguments(pid).Contains(ModuleWorker.Argument);

    /// <summary>Waits until the app answers its login page, failing at once with its output when it exited.</summary>
    private async Task ServingAsync(HttpClient client, Process app)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (app.HasExited)
                Assert.Fail($"the app exited with {app.ExitCode}: {string.Join('\n', _appOutput)}");
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the app did not serve its login page within 2 minutes");
            try
            {
                using var page = await client.GetAsync("/login");
                if (page.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The app's executable (beside the tests' assemblies) started by setpriv as <paramref name="uid"/>/<paramref name="gid"/>.</summary>
    private Process StartAppAs(uint uid, uint gid, string contentRoot, params string[] arguments) =>
        StartApp((uid, gid), contentRoot, arguments);

    /// <summary>The app's executable started by setpriv as <paramref name="user"/>, or as the test's own user (root) when null.</summary>
    private Process StartApp((uint Uid, uint Gid)? user, string contentRoot, params string[] arguments)
    {
        // No mode: the app itself, its first argument the content root.
        var launch = WorkerLaunch.App("--contentRoot=" + contentRoot, Files.Bin);
        var info = new ProcessStartInfo(user is null ? launch.FileName : Program("setpriv")!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = contentRoot,
        };
        if (user is { } ids)
            foreach (var argument in new[] { $"--reuid={ids.Uid}", $"--regid={ids.Gid}", "--clear-groups", launch.FileName }) info.ArgumentList.Add(argument);
        foreach (var argument in launch.Arguments.Concat(arguments)) info.ArgumentList.Add(argument);
        info.Environment["HOME"] = _dir; // root's home is not nobody's to read
        var process = new Process { StartInfo = info };
        // Read as it comes, so that a chatty app never blocks on a full pipe; shown when it fails.
        process.OutputDataReceived += (_, line) => _appOutput.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => _appOutput.Enqueue(line.Data ?? "");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _clients.Add(process);
        return process;
    }

    /// <summary>Every process below <paramref name="pid"/>, from /proc's parent links.</summary>
    private static List<int> Descendants(int pid)
    {
        var parents = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Select(p => (Pid: p, Parent: ParentOf(p))).Where(p => p.Parent is not null).ToList();
        var found = new List<int>();
        var next = new Queue<int>([pid]);
        while (next.TryDequeue(out var current))
            foreach (var child in parents.Where(p => p.Parent == current).Select(p => p.Pid))
            {
                found.Add(child);
                next.Enqueue(child);
            }
        return found;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return int.Parse(line["PPid:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // ended meanwhile
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown(string path, uint owner, uint group);

    /// <summary>Waits until the broker listens: root's connection is then accepted, and closed before any frame (unless
    /// <paramref name="rootServed"/>: a broker without a peer user serves its own user).</summary>
    private static async Task ListeningAsync(string socket, BrokerChild broker, bool rootServed)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.Null(broker.Gone());
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the broker process did not listen within 2 minutes");
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream,
                System.Net.Sockets.ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
                continue;
            }
            using var stream = new System.Net.Sockets.NetworkStream(probe);
            using var first = await WorkerFrame.ReadAsync(stream).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(rootServed ? WorkerFrame.Ready : null, first?.Kind);
            return;
        }
    }

    /// <summary>socat connected to the socket as <paramref name="uid"/>/<paramref name="gid"/> (no other groups), the socket's bytes on its stdout.</summary>
    /// <param name="duplex">Both ways: the socat's stdin goes to the socket as well.</param>
    private Process StartAs(uint uid, uint gid, string socket, bool duplex = false)
    {
        var info = new ProcessStartInfo(Program("setpriv")!)
        {
            RedirectStandardInput = duplex,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { $"--reuid={uid}", $"--regid={gid}", "--clear-groups", Program("socat")! },
        };
        foreach (var argument in duplex ? new[] { $"UNIX-CONNECT:{socket}", "STDIO" } : ["-u", $"UNIX-CONNECT:{socket}", "STDOUT"])
            info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        _clients.Add(process);
        return process;
    }

    /// <summary>The real, effective, saved and file-system uids of a process, from /proc.</summary>
    private static uint[] Uids(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(uint.Parse).ToArray();

    internal static string? Program(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
