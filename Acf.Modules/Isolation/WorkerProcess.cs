using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Acf.Modules.Isolation;

/// <summary>How a worker is started: the executable, its arguments (the worker flag, and the ids it drops to).</summary>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The host's executable, next to the app's assemblies (Acf.Web; the test output holds it as well).</summary>
    public const string Executable = "Acf.Web";

    /// <summary>The app's own executable as a worker, as <paramref name="uid"/>/<paramref name="gid"/> when given.</summary>
    public static WorkerLaunch Default(uint? uid = null, uint? gid = null)
    {
        var launch = Self(ModuleWorker.Argument);
        if (uid is null) return launch;
        var ids = new[] { uid.Value, gid ?? uid.Value }.Select(id => id.ToString(global::System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return launch with { Arguments = [.. launch.Arguments, "--uid", ids[0], "--gid", ids[1]] };
    }

    /// <summary>The app's own executable in the mode <paramref name="mode"/> names (a worker, the broker).</summary>
    public static WorkerLaunch Self(string mode)
    {
        var dir = AppContext.BaseDirectory;
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
        arguments.Add(mode);
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

    private readonly Process _process;
    private readonly WorkerConversation _conversation;
    private int _stderrLines;

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _conversation = new WorkerConversation(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, logger);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The library texts sent to this worker, and its copies found current.</summary>
    public LibraryTransfers Libraries => _conversation.Libraries;

    /// <summary>The app's own <c>DOTNET_GC*</c> environment variables (any case, as the runtime reads them).</summary>
    internal static IEnumerable<(string Name, string Value)> GcEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(name => name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            .Select(name => (name, Environment.GetEnvironmentVariable(name) ?? ""));

    /// <summary>Starts a worker and waits for its <c>ready</c>.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, ILogger logger, TimeSpan timeout)
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
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x10000000"; // 256 MiB of managed heap; Lua's own memory has its limit
        info.Environment["DOTNET_EnableDiagnostics"] = "0"; // no debugger or diagnostics socket into a worker

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{launch.FileName} did not start.");
        var worker = new WorkerProcess(process, logger);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Interlocked.Increment(ref worker._stderrLines) <= MaxStderrLines)
                logger.LogWarning("Module worker {Pid}: {Line}", process.Id, line);
        };
        process.BeginErrorReadLine();
        try
        {
            using var ready = await WorkerFrame.ReadAsync(process.StandardOutput.BaseStream).WaitAsync(timeout);
            if (ready?.Kind != WorkerFrame.Ready)
                throw new InvalidOperationException(ready is null
                    ? $"it exited{(process.WaitForExit(2000) ? $" with code {process.ExitCode}" : "")}"
                    : $"it said {WorkerFrame.Printable(ready.Kind)} instead of ready");
        }
        catch (Exception e) when (e is TimeoutException or WorkerProtocolException or IOException or InvalidOperationException)
        {
            worker.Dispose();
            throw new InvalidOperationException($"The module worker ({launch.FileName}) did not start: {e.Message}", e);
        }
        return worker;
    }

    public Task<WorkerAnswer> RunAsync(WorkerRun run, BrokerCallContext context, TimeSpan budget) =>
        _conversation.RunAsync(run, context, budget, Kill);

    /// <summary>SIGKILL: the only stop that works on code stuck inside a C function.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    public void Dispose()
    {
        Kill();
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
}
