using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Acf.Modules.Isolation;

/// <summary>
/// A small, fixed number of worker slots (<c>Acf:Modules:Workers</c>) that run module code, one action at a time
/// each, a fresh Lua environment per action (in a state the worker kept for that module and user, or a new one). A
/// slot starts its process when an action first needs it and stops it again
/// after <c>Acf:Modules:WorkerIdleSeconds</c> without an action, so an idle box pays for no worker (about 20 MB of
/// memory each, issue 19); <see cref="Warm"/> starts one ahead of need (the login page asks for it). Among idle workers
/// an action goes to one that served its module and user lately, which most likely keeps a Lua state for it. A
/// worker that overran its wall time, died or broke the protocol is thrown away and a replacement starts at once, so
/// the next action (of any user) finds a working one.
/// </summary>
internal sealed class ModuleWorkerPool : IActionExecutor, IHostedService, IDisposable
{
    /// <summary>How long a stuck action may stay past the wall time, so the Lua hook can stop it with its own message first.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60); // a loaded 2-core box starts .NET slowly

    private readonly WorkerLaunch _launch;
    private readonly ILogger _logger;
    private readonly TimeSpan _idle;
    private readonly TimeProvider _time;
    private readonly Slot[] _slots;
    private readonly Channel<Slot> _available = Channel.CreateUnbounded<Slot>();
    private readonly ConcurrentDictionary<int, WorkerProcess> _busy = new();
    private readonly ITimer? _retire;
    private bool _disposed;

    /// <summary>A pool of <paramref name="size"/> slots whose workers stop after <paramref name="idle"/> unused
    /// (<see cref="Timeout.InfiniteTimeSpan"/> or none: they stay until the pool is disposed).</summary>
    public ModuleWorkerPool(WorkerLaunch launch, int size, ILogger logger, TimeSpan? idle = null, TimeProvider? time = null)
    {
        _launch = launch;
        _logger = logger;
        _idle = idle ?? Timeout.InfiniteTimeSpan;
        _time = time ?? TimeProvider.System;
        _slots = Enumerable.Range(0, size).Select(_ => new Slot { IdleSince = _time.GetTimestamp() }).ToArray();
        foreach (var slot in _slots) _available.Writer.TryWrite(slot);
        if (_idle > TimeSpan.Zero && _idle != Timeout.InfiniteTimeSpan)
        {
            var tick = TimeSpan.FromTicks(Math.Clamp(_idle.Ticks / 4, TimeSpan.TicksPerSecond, 15 * TimeSpan.TicksPerSecond));
            _retire = _time.CreateTimer(_ => RetireIdle(), null, tick, tick);
        }
    }

    /// <summary>The pool as configured: <c>Acf:Modules:Workers</c> slots, as <c>Acf:Modules:WorkerUser</c> when set;
    /// <paramref name="brokerSocket"/>: the broker process's socket (<c>Acf:Broker:Process = separate</c>), which starts
    /// the workers when the app cannot.</summary>
    public ModuleWorkerPool(IOptions<ModulesOptions> options, ILogger<ModuleWorkerPool> logger, string? brokerSocket = null)
        : this(LaunchFor(options.Value.WorkerUser, brokerSocket), options.Value.Workers, logger,
            options.Value.WorkerIdleSeconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(options.Value.WorkerIdleSeconds))
    {
    }

    /// <summary>The process ids of workers running an action now (tests kill one to see it replaced).</summary>
    public IReadOnlyCollection<int> BusyProcessIds => _busy.Keys.ToList();

    /// <summary>The process ids of every worker that is started or running, busy or not.</summary>
    public IReadOnlyCollection<int> RunningProcessIds => _slots
        .Select(slot => slot.Worker)
        .Where(task => task is { IsCompletedSuccessfully: true } && !task.Result.HasExited)
        .Select(task => task!.Result.Id).ToList();

    /// <summary>The library transfers of the workers started now (tests: a worker is sent a library's text once).</summary>
    public IReadOnlyList<LibraryTransfers> LibraryTransfers => _slots
        .Select(slot => slot.Worker)
        .Where(task => task is { IsCompletedSuccessfully: true })
        .Select(task => task!.Result.Libraries).ToList();

    /// <summary>Runs one action in a worker; waits while every worker is busy.</summary>
    public async Task<SandboxOutcome> RunAsync(WorkerRun run, BrokerCallContext context, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var domain = LuaStatePool.DomainOf(run.Module, run.User, run.Host);
        var slot = Prefer(await _available.Reader.ReadAsync(cancellationToken), domain);
        Task<WorkerProcess> starting;
        lock (slot)
        {
            slot.InUse = true;
            if (slot.Worker is null) slot.Domains.Clear();
            starting = slot.Worker ??= Start();
            slot.Served(domain);
        }
        WorkerProcess worker;
        try
        {
            worker = await starting;
        }
        catch (Exception e)
        {
            _logger.LogError("The module worker could not start: {Error}", e.Message);
            Release(slot, replace: null); // the next action tries again
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
            Release(slot, replace: starting);
        }
        else
        {
            _logger.LogWarning("Module worker {Pid} is replaced after {Module}/{Controller}/{Action}", worker.Id, run.Module, run.Controller, run.Action);
            worker.Dispose();
            Release(slot, replace: _disposed ? null : Start());
        }
        return answer.Outcome;
    }

    /// <summary>Starts the first idle slot's worker in the background, unless one already runs idle: the action that
    /// comes next (a login's first page) then does not wait for a process to start.</summary>
    public void Warm()
    {
        if (_disposed) return;
        foreach (var slot in _slots)
            lock (slot)
                if (!slot.InUse && slot.Worker is not null) return;
        foreach (var slot in _slots)
        {
            lock (slot)
            {
                if (slot.InUse || slot.Worker is not null) continue;
                slot.Worker = Start();
                slot.IdleSince = _time.GetTimestamp();
                return;
            }
        }
    }

    /// <summary>Workers start when an action needs one (or <see cref="Warm"/> asks), not with the app.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _retire?.Dispose();
        foreach (var slot in _slots)
            lock (slot)
                if (slot.Worker is { IsCompletedSuccessfully: true } worker) worker.Result.Dispose();
    }

    private Task<WorkerProcess> Start() => WorkerProcess.StartAsync(_launch, _logger, StartTimeout);

    /// <summary>
    /// An idle worker that served <paramref name="domain"/> lately, when there is one, else <paramref name="first"/>:
    /// it most likely keeps a Lua state for it (<see cref="LuaStatePool"/>), so the action does not build one, and the
    /// other workers are not made to build theirs. Only a preference among idle workers: an action never waits for one.
    /// </summary>
    private Slot Prefer(Slot first, string domain)
    {
        if (first.Holds(domain)) return first;
        Slot? match = null;
        var others = new List<Slot>();
        while (_available.Reader.TryRead(out var other))
        {
            if (match is null && other.Holds(domain)) match = other;
            else others.Add(other);
        }
        if (match is not null) others.Insert(0, first);
        foreach (var other in others) _available.Writer.TryWrite(other);
        return match ?? first;
    }

    private void Release(Slot slot, Task<WorkerProcess>? replace)
    {
        lock (slot)
        {
            if (!ReferenceEquals(slot.Worker, replace)) slot.Domains.Clear(); // a new worker keeps no state
            slot.Worker = replace;
            slot.InUse = false;
            slot.IdleSince = _time.GetTimestamp();
        }
        _available.Writer.TryWrite(slot);
    }

    /// <summary>Stops the workers no action used for the idle time; their slots start a new one when needed.</summary>
    private void RetireIdle()
    {
        if (_disposed) return;
        foreach (var slot in _slots)
        {
            lock (slot)
            {
                if (slot.InUse || slot.Worker is not { IsCompleted: true } worker) continue;
                if (_time.GetElapsedTime(slot.IdleSince) < _idle) continue;
                if (worker.IsCompletedSuccessfully)
                {
                    _logger.LogDebug("Module worker {Pid} stops after {Idle} idle", worker.Result.Id, _idle);
                    worker.Result.Dispose();
                }
                slot.Worker = null;
            }
        }
    }

    /// <summary>One place for a worker: its process (started, starting or none) and whether an action holds it.</summary>
    private sealed class Slot
    {
        public Task<WorkerProcess>? Worker;
        public bool InUse;
        public long IdleSince;

        /// <summary>The domains of this worker's latest actions, the latest first: those it may keep a state for.</summary>
        public readonly List<string> Domains = [];

        public bool Holds(string domain)
        {
            lock (this) return Worker is not null && Domains.Contains(domain);
        }

        public void Served(string domain)
        {
            Domains.Remove(domain);
            Domains.Insert(0, domain);
            if (Domains.Count > LuaStatePool.DefaultCapacity) Domains.RemoveAt(Domains.Count - 1);
        }
    }

    /// <summary>
    /// The launch for <c>Acf:Modules:WorkerUser</c>: its ids from /etc/passwd, handed to the worker to drop to.
    /// An app that is not root cannot start or kill another user's processes: with a broker process
    /// (<paramref name="brokerSocket"/>) the broker starts each worker and relays its pipes; without one, the app
    /// refuses to start. A user that does not exist stops the app at start as well, rather than run workers with
    /// more rights than the admin asked for.
    /// </summary>
    internal static WorkerLaunch LaunchFor(string user, string? brokerSocket = null)
    {
        if (string.IsNullOrEmpty(user)) return WorkerLaunch.Default();
        var line = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 4 && f[0] == user)
            ?? throw new InvalidOperationException($"Acf:Modules:WorkerUser '{user}' is not in /etc/passwd.");
        var uid = uint.Parse(line[2], CultureInfo.InvariantCulture);
        var gid = uint.Parse(line[3], CultureInfo.InvariantCulture);
        var self = geteuid();
        if (self == uid) return WorkerLaunch.Default();
        if (self != 0 && brokerSocket is not null) return WorkerLaunch.ThroughBroker(brokerSocket);
        if (self != 0) throw new InvalidOperationException($"Acf:Modules:WorkerUser '{user}' needs the app to start as root (it runs as uid {self}).");
        return WorkerLaunch.Default(uid, gid);
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
