using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Acf.Modules.Lua;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Modules.Isolation;

/// <summary>
/// A small, fixed number of worker processes (<c>Acf:Modules:Workers</c>) that run module code, one action at a
/// time each, a fresh Lua state per action. A worker that overran its wall time, died or broke the protocol is
/// thrown away and a replacement starts at once, so the next action (of any user) finds a working one. Workers
/// start with the app (a hosted service), or on first use where the pool is built by hand (tests).
/// </summary>
public sealed class ModuleWorkerPool : IHostedService, IDisposable
{
    /// <summary>How long a stuck action may stay past the wall time, so the Lua hook can stop it with its own message first.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60); // a loaded 2-core box starts .NET slowly

    private readonly WorkerLaunch _launch;
    private readonly int _size;
    private readonly ILogger _logger;
    private readonly Channel<Lazy<Task<WorkerProcess>>> _available = Channel.CreateUnbounded<Lazy<Task<WorkerProcess>>>();
    private readonly ConcurrentDictionary<int, WorkerProcess> _busy = new();
    private readonly ConcurrentDictionary<Lazy<Task<WorkerProcess>>, byte> _all = new();
    private bool _disposed;

    public ModuleWorkerPool(WorkerLaunch launch, int size, ILogger logger)
    {
        _launch = launch;
        _size = size;
        _logger = logger;
        for (var i = 0; i < size; i++) _available.Writer.TryWrite(NewEntry(start: false));
    }

    /// <summary>The pool as configured: <c>Acf:Modules:Workers</c> processes, as <c>Acf:Modules:WorkerUser</c> when set.</summary>
    public ModuleWorkerPool(IOptions<ModulesOptions> options, ILogger<ModuleWorkerPool> logger)
        : this(LaunchFor(options.Value.WorkerUser), options.Value.Workers, logger)
    {
    }

    /// <summary>The process ids of workers running an action now (tests kill one to see it replaced).</summary>
    public IReadOnlyCollection<int> BusyProcessIds => _busy.Keys.ToList();

    /// <summary>The library transfers of the workers running now (tests: a worker is sent a library's text once).</summary>
    public IReadOnlyList<LibraryTransfers> LibraryTransfers =>
        _all.Keys.Where(e => e.IsValueCreated && e.Value.IsCompletedSuccessfully).Select(e => e.Value.Result.Libraries).ToList();

    /// <summary>Runs one action in a worker; waits while every worker is busy.</summary>
    public async Task<SandboxOutcome> RunAsync(WorkerRun run, BrokerCallContext context, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entry = await _available.Reader.ReadAsync(cancellationToken);
        WorkerProcess worker;
        try
        {
            worker = await entry.Value;
        }
        catch (Exception e)
        {
            _logger.LogError("The module worker could not start: {Error}", e.Message);
            Replace(entry, start: false); // the next action tries again
            return new SandboxOutcome(null, "the module could not be run: " + e.Message);
        }
        _busy[worker.Id] = worker;
        WorkerAnswer answer;
        try
        {
            answer = await worker.RunAsync(run, context, TimeSpan.FromSeconds(run.Limits.WallTimeSeconds) + Grace);
        }
        finally
        {
            _busy.TryRemove(worker.Id, out _);
        }
        if (answer.Healthy && !worker.HasExited)
        {
            _available.Writer.TryWrite(entry);
        }
        else
        {
            _logger.LogWarning("Module worker {Pid} is replaced after {Module}/{Controller}/{Action}", worker.Id, run.Module, run.Controller, run.Action);
            worker.Dispose();
            Replace(entry, start: true);
        }
        return answer.Outcome;
    }

    /// <summary>Starts every worker now, in the background, so the first action does not wait for one.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in _all.Keys) _ = entry.Value; // Lazy starts it; a failure is reported to the action that waits for it
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var entry in _all.Keys)
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully) entry.Value.Result.Dispose();
    }

    private Lazy<Task<WorkerProcess>> NewEntry(bool start)
    {
        var entry = new Lazy<Task<WorkerProcess>>(() => WorkerProcess.StartAsync(_launch, _logger, StartTimeout));
        _all[entry] = 0;
        if (start) _ = entry.Value;
        return entry;
    }

    private void Replace(Lazy<Task<WorkerProcess>> old, bool start)
    {
        _all.TryRemove(old, out _);
        if (!_disposed) _available.Writer.TryWrite(NewEntry(start));
    }

    /// <summary>
    /// The launch for <c>Acf:Modules:WorkerUser</c>: its ids from /etc/passwd, handed to the worker to drop to.
    /// A user that does not exist, or one the app cannot become, stops the app at start rather than run workers
    /// with more rights than the admin asked for.
    /// </summary>
    internal static WorkerLaunch LaunchFor(string user)
    {
        if (string.IsNullOrEmpty(user)) return WorkerLaunch.Default();
        var line = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 4 && f[0] == user)
            ?? throw new InvalidOperationException($"Acf:Modules:WorkerUser '{user}' is not in /etc/passwd.");
        var uid = uint.Parse(line[2], CultureInfo.InvariantCulture);
        var gid = uint.Parse(line[3], CultureInfo.InvariantCulture);
        var self = geteuid();
        if (self == uid) return WorkerLaunch.Default();
        if (self != 0) throw new InvalidOperationException($"Acf:Modules:WorkerUser '{user}' needs the app to start as root (it runs as uid {self}).");
        return WorkerLaunch.Default(uid, gid);
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
