using System.Collections.Concurrent;

namespace Acf.Tests.Crash;

/// <summary>
/// The real app as a child process (<c>dotnet Acf.Web.dll</c> from this build's output) on the demo host, with a data
/// folder of the test's own, configured through environment variables as an admin's service file would. Unlike
/// <see cref="AcfAppFactory"/> it can die for real: armed with <see cref="FaultPoint"/> it kills itself (SIGKILL) in
/// the broker's write path, and <see cref="KillNow"/> kills it from outside. It runs module code as the app does, in
/// its worker processes: the children it is seen to start (<see cref="Children"/>) must end on their own when it is
/// killed (<see cref="ChildrenAliveAfterAsync"/>), as nothing is left to stop them.
/// </summary>
public sealed partial class AcfProcess : IDisposable
{
    public const string AdminPassword = "crash-admin-password";

    /// <summary>The countdown of a guarded change in these runs: the shortest the options allow.</summary>
    public const int ConfirmSeconds = 10;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>At most two apps start at once (a start is the costly part of a run; the rest mostly waits).</summary>
    private static readonly SemaphoreSlim Starting = new(2);

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Dictionary<int, string> _children = []; // process id -> its start time (a reused id is another process)

    private AcfProcess(string dataPath, string? fault, string? root, string? broker)
    {
        DataPath = dataPath;
        DemoRoot = root ?? Path.Combine(dataPath, "demo-root");
        var info = new ProcessStartInfo("dotnet")
        {
            // The content root is the repository, where the defaults (appsettings.json beside Acf.sln) are found.
            WorkingDirectory = ModuleTestHost.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Acf.Web.dll"));
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Acf__System__Mode"] = "demo";
        info.Environment["Acf__Data__Path"] = dataPath;
        if (root is not null) info.Environment["Acf__System__Root"] = root; // a disk of its own (FullDiskTests)
        info.Environment["Acf__System__DemoSource"] = Path.Combine(ModuleTestHost.RepositoryRoot, "demo");
        info.Environment["Acf__Modules__Path"] = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua");
        info.Environment["Acf__Bootstrap__AdminPassword"] = AdminPassword;
        info.Environment["Acf__Data__HistoryDepth"] = "1000"; // every version of a burst is kept, so each can be checked
        info.Environment["Acf__Apply__ConfirmSeconds"] = ConfirmSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The crash runs: the broker inside the app, so that the fault point (in the broker's write path) kills the app
        // itself; null: the app's default (the broker its child).
        if (broker is not null) info.Environment["Acf__Broker__Process"] = broker;
        else info.Environment.Remove("Acf__Broker__Process");
        if (fault is null) info.Environment.Remove(FaultPoint.Variable);
        else info.Environment[FaultPoint.Variable] = fault;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Take(e.Data);
        _process.ErrorDataReceived += (_, e) => Take(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException("Acf exited before it listened:\n" + Output));
        _process.EnableRaisingEvents = true;
    }

    public string DataPath { get; }

    public string DemoRoot { get; }

    public Uri Address => _listening.Task.Result;

    /// <summary>Everything the app wrote to stdout and stderr so far (its log), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the app on <paramref name="dataPath"/> (armed with <paramref name="fault"/> when given; with the
    /// demo root at <paramref name="root"/> when given, else inside the data folder) and waits until it listens:
    /// recovery at start and confirm-or-rollback's start have run by then. <paramref name="broker"/>:
    /// <c>Acf:Broker:Process</c>, null for the app's default.</summary>
    public static async Task<AcfProcess> StartAsync(string dataPath, string? fault = null, string? root = null, string? broker = "in-process")
    {
        var app = new AcfProcess(dataPath, fault, root, broker);
        await Starting.WaitAsync();
        try
        {
            app._process.Start();
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            await app._listening.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            app.Dispose();
            throw;
        }
        finally
        {
            Starting.Release();
        }
        return app;
    }

    private void Take(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    /// <summary>A client logged in as root through the real login form, with the antiforgery header for the API.</summary>
    public async Task<HttpClient> LoggedInClientAsync()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var response = await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AdminPassword);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.EndsWith('/') == true,
            $"login failed: {response.StatusCode} {response.Headers.Location}");
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client);
        NoteChildren();
        return client;
    }

    /// <summary>Waits for the process to end (it kills itself at its fault point); false if it still runs after the
    /// timeout. Meanwhile notes its children (the worker running the action that kills it).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var until = Stopwatch.StartNew();
        while (!exited.IsCompleted && until.Elapsed < timeout)
        {
            NoteChildren();
            await Task.WhenAny(exited, Task.Delay(100));
        }
        return _process.HasExited;
    }

    /// <summary>SIGKILL from outside, as an operator's <c>kill -9</c> or the OOM killer: the app alone, its workers are
    /// left to notice.</summary>
    public void KillNow()
    {
        NoteChildren();
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        _process.WaitForExit(30_000);
    }

    /// <summary>The process ids of the app's children seen so far (its module workers).</summary>
    public IReadOnlyCollection<int> Children
    {
        get
        {
            lock (_children) return _children.Keys.ToList();
        }
    }

    /// <summary>The children seen so far that still run after <paramref name="timeout"/> (none, once each noticed the
    /// app is gone: <c>ParentWatch</c> looks twice a second).</summary>
    public async Task<IReadOnlyList<int>> ChildrenAliveAfterAsync(TimeSpan timeout)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var alive = AliveChildren();
            if (alive.Count == 0 || until.Elapsed >= timeout) return alive;
            await Task.Delay(100);
        }
    }

    private List<int> AliveChildren()
    {
        lock (_children) return _children.Where(c => StartTime(c.Key) == c.Value).Select(c => c.Key).ToList();
    }

    /// <summary>Notes the processes whose parent is the app now, with their start time.</summary>
    private void NoteChildren()
    {
        if (_process.HasExited) return;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || Stat(pid) is not { } stat) continue;
            if (stat.Parent == _process.Id) lock (_children) _children.TryAdd(pid, stat.Start);
        }
    }

    /// <summary>The start time of a running process (a zombie has ended), or null.</summary>
    private static string? StartTime(int pid) => Stat(pid) is { State: not "Z" } stat ? stat.Start : null;

    /// <summary><c>/proc/pid/stat</c>: after the name in parentheses come the state, the parent, and (field 22) the start time.</summary>
    private static (string State, int Parent, string Start)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), fields[19]);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        // A child that outlived the app (a test found it so) is not left running.
        foreach (var pid in AliveChildren())
        {
            try
            {
                using var child = Process.GetProcessById(pid);
                child.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // ended meanwhile
            }
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
