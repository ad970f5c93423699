using System.Net.Sockets;
using Acf.Modules.Privsep;

namespace Acf.Modules.Isolation;

/// <summary>How a worker is started: the executable, its arguments (the worker flag, and the ids it drops to).</summary>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Set: the worker is not started here but by the broker process on this socket (an unprivileged app
    /// whose workers run as <c>Acf:Modules:WorkerUser</c>); the broker decides the executable and the user.</summary>
    public string? BrokerSocketPath { get; init; }

    /// <summary>Workers started by the broker process listening on <paramref name="socketPath"/>.</summary>
    public static WorkerLaunch ThroughBroker(string socketPath) => new("", []) { BrokerSocketPath = socketPath };

    /// <summary>The host's executable, next to the app's assemblies (Acf.Web; the test output holds it as well).</summary>
    public const string Executable = "Acf.Web";

    /// <summary>The same roles compiled ahead of time (Acf.Helper), taken first when it is there (a published app).</summary>
    public const string Helper = "acf-helper";

    /// <summary>The worker's executable (<see cref="Self"/>), as <paramref name="uid"/>/<paramref name="gid"/> when given.</summary>
    public static WorkerLaunch Default(uint? uid = null, uint? gid = null)
    {
        var launch = Self(ModuleWorker.Argument);
        if (uid is null) return launch;
        var ids = new[] { uid.Value, gid ?? uid.Value }.Select(id => id.ToString(global::System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return launch with { Arguments = [.. launch.Arguments, "--uid", ids[0], "--gid", ids[1]] };
    }

    /// <summary>The executable for the mode <paramref name="mode"/> names (a worker, the broker): <see cref="Helper"/>
    /// when it is there, else the app's own; from <paramref name="folder"/> when given (tests: a copy that other users
    /// can reach), else this process's own.</summary>
    public static WorkerLaunch Self(string mode, string? folder = null)
    {
        var helper = Path.Combine(folder ?? AppContext.BaseDirectory, Helper);
        return File.Exists(helper) ? new WorkerLaunch(helper, [mode]) : App(mode, folder);
    }

    /// <summary>The app's own executable with <paramref name="firstArgument"/>, from <paramref name="folder"/> when given.</summary>
    public static WorkerLaunch App(string firstArgument, string? folder = null)
    {
        var dir = folder ?? AppContext.BaseDirectory;
        var apphost = Path.Combine(dir, Executable);
        List<string> arguments = [];
        string file;
        if (File.Exists(apphost))
        {
            file = apphost;
        }
        else
        {
            // A build without the native launcher: the shared dotnet host runs the dll.
            file = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            arguments.Add(Path.Combine(dir, Executable + ".dll"));
        }
        arguments.Add(firstArgument);
        return new WorkerLaunch(file, arguments);
    }
}

/// <summary>
/// One worker process: started with a minimal environment (nothing of the app's configuration or secrets), its
/// stdin and stdout the protocol's pipes, its stderr copied to the app's log. Runs one action at a time.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int MaxStderrLines = 200;

    /// <summary>What the worker's environment keeps of the app's: only what the .NET launcher needs to find the runtime.</summary>
    private static readonly string[] KeptEnvironment = ["PATH", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64"];

    private readonly Process? _process;
    private readonly NetworkStream? _relay;
    private readonly Stream _fromWorker;
    private readonly WorkerConversation _conversation;
    private int _closed;

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _fromWorker = process.StandardOutput.BaseStream;
        Id = process.Id;
        _conversation = new WorkerConversation(_fromWorker, process.StandardInput.BaseStream, logger);
    }

    /// <summary>A worker the broker started (<paramref name="pid"/>, as it reported), its pipes relayed over <paramref name="relay"/>.</summary>
    private WorkerProcess(NetworkStream relay, int pid, ILogger logger)
    {
        _relay = relay;
        _fromWorker = relay;
        Id = pid;
        _conversation = new WorkerConversation(relay, relay, logger);
    }

    /// <summary>The worker's process id (for a worker the broker started, the id the broker reported).</summary>
    public int Id { get; }

    /// <summary>Whether the worker ended; for a worker the broker started, whether its connection closed (the broker
    /// closes it when the worker exits, and kills the worker when it closes).</summary>
    public bool HasExited => _process?.HasExited ?? (Volatile.Read(ref _closed) == 1 || RelayClosed(_relay!.Socket));

    /// <summary>The library texts sent to this worker, and its copies found current.</summary>
    public LibraryTransfers Libraries => _conversation.Libraries;

    /// <summary>The app's own <c>DOTNET_GC*</c> environment variables (any case, as the runtime reads them).</summary>
    internal static IEnumerable<(string Name, string Value)> GcEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(name => name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            .Select(name => (name, Environment.GetEnvironmentVariable(name) ?? ""));

    /// <summary>
    /// Starts the worker process of <paramref name="launch"/>: argv only, working folder <c>/</c>, an environment of
    /// nothing but what the runtime needs (none of the app's configuration), stdin and stdout redirected for the
    /// protocol, and its stderr copied to <paramref name="logger"/> (at most <see cref="MaxStderrLines"/> lines). The
    /// one way a worker is started, by the app's pool and by the broker for an unprivileged app.
    /// </summary>
    internal static Process StartProcess(WorkerLaunch launch, ILogger logger)
    {
        var info = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in launch.Arguments) info.ArgumentList.Add(argument);
        var kept = KeptEnvironment.Select(name => (name, value: Environment.GetEnvironmentVariable(name))).ToList();
        info.Environment.Clear();
        foreach (var (name, value) in kept)
            if (value is not null) info.Environment[name] = value;
        // The GC settings the app was started with (DOTNET_GCConserveMemory, DOTNET_GCgen0size, ...) hold for its
        // workers too: they are tuning, never secrets. The fixed ones below still win.
        foreach (var (name, value) in GcEnvironment()) info.Environment[name] = value;
        info.Environment["DOTNET_gcServer"] = "0"; // one small heap, not one per core as the web app's server GC
        // 256 MiB of managed heap (Lua's own memory has its limit), in hex without "0x": the only form the GC of a
        // Native AOT acf-helper reads (with the prefix it silently has no limit); CoreCLR reads it as well.
        info.Environment["DOTNET_GCHeapHardLimit"] = "10000000";
        info.Environment["DOTNET_EnableDiagnostics"] = "0"; // no debugger or diagnostics socket into a worker

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{launch.FileName} did not start.");
        var lines = 0;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Interlocked.Increment(ref lines) <= MaxStderrLines)
                logger.LogWarning("Module worker {Pid}: {Line}", process.Id, line);
        };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Starts a worker (in this process's hands, or through the broker when the launch says so) and waits for its <c>ready</c>.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, ILogger logger, TimeSpan timeout)
    {
        if (launch.BrokerSocketPath is { } socket) return await StartThroughBrokerAsync(socket, logger, timeout);
        var process = StartProcess(launch, logger);
        return await new WorkerProcess(process, logger).ReadyAsync(timeout, $"({launch.FileName})");
    }

    /// <summary>
    /// Waits for the worker's <c>ready</c> and gives the worker back; a worker that says anything else, or nothing in
    /// time, is stopped, and the error names it as <paramref name="which"/>.
    /// </summary>
    private async Task<WorkerProcess> ReadyAsync(TimeSpan timeout, string which)
    {
        try
        {
            using var ready = await WorkerFrame.ReadAsync(_fromWorker).WaitAsync(timeout);
            if (ready?.Kind != WorkerFrame.Ready)
                throw new InvalidOperationException(ready is null
                    ? $"it exited{(_process is not null && _process.WaitForExit(2000) ? $" with code {_process.ExitCode}" : "")}"
                    : $"it said {WorkerFrame.Printable(ready.Kind)} instead of ready");
        }
        catch (Exception e) when (e is TimeoutException or WorkerProtocolException or IOException or InvalidOperationException)
        {
            Dispose();
            throw new InvalidOperationException($"The module worker {which} did not start: {e.Message}", e);
        }
        return this;
    }

    public Task<WorkerAnswer> RunAsync(WorkerRun run, BrokerCallContext context, TimeSpan budget) =>
        _conversation.RunAsync(run, context, budget, Kill);

    /// <summary>SIGKILL: the only stop that works on code stuck inside a C function. For a worker the broker started,
    /// closing its connection, on which the broker kills it.</summary>
    public void Kill()
    {
        if (_relay is not null)
        {
            // A shutdown, not a dispose: a read of the conversation waiting on it ends as at a worker's exit.
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                try
                {
                    _relay.Socket.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // the broker closed it already
                }
            }
            return;
        }
        try
        {
            _process!.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    public void Dispose()
    {
        Kill();
        _relay?.Dispose();
        if (_process is null) return;
        // SIGKILL is delivered asynchronously: wait for the exit so a stopped worker's memory is really given back
        // (and its pid gone) when the pool says it stopped, not some milliseconds later on a loaded box.
        try
        {
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }

    /// <summary>
    /// A worker started by the broker (an app that runs unprivileged, with <c>Acf:Modules:WorkerUser</c> set and the
    /// broker a process of its own): a new connection to the broker's socket, a <c>worker</c> frame, the pid the
    /// broker answers, and from then on the connection is the worker's stdin and stdout. The broker chose the user and
    /// the executable; this side only asks.
    /// </summary>
    private static async Task<WorkerProcess> StartThroughBrokerAsync(string socketPath, ILogger logger, TimeSpan timeout)
    {
        NetworkStream stream;
        int pid;
        try
        {
            (stream, _) = BrokerClient.Open(socketPath);
        }
        catch (Exception e) when (e is SocketException or IOException or WorkerProtocolException)
        {
            throw new InvalidOperationException($"The module worker did not start: the broker at {socketPath} cannot be reached: {e.Message}", e);
        }
        try
        {
            await stream.WriteAsync(WorkerFrame.Encode(BrokerSocket.Worker, null, null));
            using var started = await WorkerFrame.ReadAsync(stream).WaitAsync(timeout);
            if (started?.Kind != BrokerSocket.Worker)
                throw new InvalidOperationException(started is null
                    ? "the broker refused to start it (see the broker's log: is Acf:Modules:WorkerUser set there?)"
                    : $"the broker said {WorkerFrame.Printable(started.Kind)} instead of worker");
            pid = started.Read<BrokerWorkerStarted>().Pid;
        }
        catch (Exception e) when (e is TimeoutException or WorkerProtocolException or IOException or InvalidOperationException)
        {
            stream.Dispose();
            throw new InvalidOperationException($"The module worker did not start through the broker: {e.Message}", e);
        }
        return await new WorkerProcess(stream, pid, logger).ReadyAsync(timeout, $"{pid} (started by the broker)");
    }

    /// <summary>Whether the peer closed the connection: readable with nothing to read (an idle worker sends nothing).</summary>
    private static bool RelayClosed(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
