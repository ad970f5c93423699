using Acf.Broker.OpenRc;
using Microsoft.Extensions.Options;

namespace Acf.Modules.Apply;

/// <summary>Confirm-or-rollback (<c>Acf:Apply</c>).</summary>
public sealed class ApplyOptions
{
    public const string Section = "Acf:Apply";

    /// <summary>How long the admin has to press Keep before the previous files and services come back.</summary>
    [global::System.ComponentModel.DataAnnotations.Range(10, 3600)]
    public int ConfirmSeconds { get; set; } = 90;
}

/// <summary>Checks ApplyOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateApplyOptions : IValidateOptions<ApplyOptions>;

/// <summary>A change that is live but not yet confirmed, as the pages show it: who made it, where, and until when it
/// may be kept. What undoes it (the files' previous content among it) stays inside confirm-or-rollback.</summary>
public sealed record PendingApply(string Id, string User, string Module, string Action, DateTimeOffset Started,
    DateTimeOffset Deadline);

/// <summary>A change that is live but not yet confirmed, and what undoes it (the files' previous content among it).
/// Kept on disk until it is settled.</summary>
internal sealed record PendingChange(string Id, string User, string Module, string Action, DateTimeOffset Started,
    DateTimeOffset Deadline, IReadOnlyList<JournalFile> Files, IReadOnlyList<JournalService> Services,
    IReadOnlyList<JournalLink>? Links = null, IReadOnlyList<JournalCommand>? Commands = null)
{
    public PendingApply ForPages() => new(Id, User, Module, Action, Started, Deadline);
}

/// <summary>How a pending change ended.</summary>
public enum ApplyOutcome
{
    Kept,
    RolledBack,
}

/// <summary>
/// What became of the last pending change, for the pages to say exactly that (and reload after a rollback).
/// <paramref name="Failed"/>: the rollback steps that could not be done (their errors are in the log).
/// </summary>
public sealed record SettledApply(string Id, string User, string Module, string Action, ApplyOutcome Outcome,
    DateTimeOffset At, IReadOnlyList<string> Failed);

/// <summary>
/// An admin far away must not lose the box. A change made by an action that the manifest marks as able to cut the
/// admin off (interfaces, routes, DNS, later the firewall) stays pending after it is applied: unless the admin keeps
/// it within the countdown, the previous files come back and the services are controlled again as the action did.
/// Only one change is pending at a time. The record is on disk before the action's first change (<see cref="Open"/>:
/// every journal entry is written, fsynced, before the change it undoes), so a crash at any point leaves it behind; at
/// start it rolls back at once when its countdown has passed, else the countdown goes on (a change nobody could
/// confirm is never kept).
/// </summary>
internal sealed class ApplyGuard(ISystemBroker broker, SystemHost host, IOptions<ApplyOptions> options, TimeProvider time,
    ILogger<ApplyGuard> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private PendingChange? _pending;
    private bool _rollingBack; // a rollback is running: no new change may begin until it is done
    private string? _openId; // a guarded action is running with its record open (Open)
    private ITimer? _timer;
    private SettledApply? _settled;

    /// <summary>Raised after a change begins, is kept or is rolled back (from any thread).</summary>
    public event Action? Changed;

    public PendingChange? Pending
    {
        get { lock (_gate) return _pending; }
    }

    /// <summary>The last change that was kept or rolled back since the app started, or null.</summary>
    public SettledApply? LastSettled
    {
        get { lock (_gate) return _settled; }
    }

    public int ConfirmSeconds => options.Value.ConfirmSeconds;

    private string StatePath => Path.Combine(host.DataPath, "pending-apply.json");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(StatePath)) return Task.CompletedTask;
        PendingChange? pending;
        try
        {
            pending = JsonSerializer.Deserialize(File.ReadAllText(StatePath), PendingChangeJson.Default.PendingChange);
        }
        catch (JsonException e)
        {
            logger.LogError("The pending change in {Path} cannot be read ({Error}); it is left for the admin", StatePath, e.Message);
            return Task.CompletedTask;
        }
        if (pending is null) return Task.CompletedTask;
        var left = pending.Deadline - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            lock (_gate) _pending = pending;
            RollBack(pending.Id, "Acf restarted after the change's countdown ran out");
            return Task.CompletedTask;
        }
        // Interrupted by a restart, not yet due: the countdown goes on where it was, and the admin may still keep it.
        lock (_gate) Arm(pending, left);
        logger.LogWarning("{User}'s change {Module}/{Action} is still pending after a restart: it rolls back at {Deadline} unless kept",
            pending.User, pending.Module, pending.Action, pending.Deadline);
        Changed?.Invoke();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Why a new guarded change may not start now, or null.</summary>
    public string? Refusal()
    {
        PendingChange? pending;
        bool rollingBack;
        lock (_gate) (pending, rollingBack) = (_pending, _rollingBack);
        if (rollingBack) return "A change is being rolled back; try again in a moment.";
        return pending is null ? null
            : $"A change by {pending.User} ({pending.Module}/{pending.Action}) is waiting to be kept or rolled back; settle it first.";
    }

    /// <summary>
    /// Opens the durable record of a guarded action before it runs: the returned journal writes the pending change
    /// (with a countdown from its latest entry) to disk with every entry, before the change that entry undoes.
    /// <see cref="Begin"/> or <see cref="Discard"/> closes it.
    /// </summary>
    public ChangeJournal Open(string user, string module, string action)
    {
        var id = Guid.NewGuid().ToString("N");
        var started = time.GetUtcNow();
        lock (_gate) _openId = id;
        return new ChangeJournal(journal =>
        {
            var now = time.GetUtcNow();
            Save(new PendingChange(id, user, module, action, started, now.AddSeconds(options.Value.ConfirmSeconds),
                journal.Files, journal.Services, journal.Links, journal.Commands));
        });
    }

    /// <summary>Closes an opened record whose action changed nothing or failed (its changes stay without a countdown).</summary>
    public void Discard()
    {
        lock (_gate)
        {
            if (_openId is null) return;
            _openId = null;
            if (_pending is null && !_rollingBack) DeleteState();
        }
    }

    /// <summary>Starts the countdown for a change that was just applied; false when another one is pending.</summary>
    public bool Begin(string user, string module, string action, ChangeJournal journal)
    {
        var now = time.GetUtcNow();
        PendingChange pending;
        lock (_gate)
        {
            pending = new PendingChange(_openId ?? Guid.NewGuid().ToString("N"), user, module, action, now,
                now.AddSeconds(options.Value.ConfirmSeconds), journal.Files, journal.Services, journal.Links, journal.Commands);
            _openId = null;
            if (_pending is not null || _rollingBack) return false;
            try
            {
                Save(pending);
            }
            catch (IOException e)
            {
                // The record opened before the first change is on disk with a countdown of its own: a restart still
                // rolls the change back. The countdown runs anyway.
                logger.LogError("The pending change's final record cannot be written: {Error}", e.Message);
            }
            Arm(pending, pending.Deadline - now);
        }
        logger.LogWarning("{User} applied {Module}/{Action}: it rolls back at {Deadline} unless kept", user, module, action, pending.Deadline);
        Changed?.Invoke();
        return true;
    }

    private void Arm(PendingChange pending, TimeSpan left)
    {
        _pending = pending;
        _timer?.Dispose();
        _timer = time.CreateTimer(_ => RollBack(pending.Id, "not kept in time"), null, left, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keeps the pending change (only the one named by <paramref name="id"/>, when given); false when there is
    /// none (it was already rolled back, or another change is pending now).</summary>
    public bool Keep(string user, string? id = null)
    {
        PendingChange? kept;
        lock (_gate)
        {
            kept = _pending;
            if (kept is null || id is not null && kept.Id != id) return false;
            Clear();
            _settled = new SettledApply(kept.Id, kept.User, kept.Module, kept.Action, ApplyOutcome.Kept, time.GetUtcNow(), []);
        }
        DropStashes(kept);
        logger.LogInformation("{User} kept {Module}/{Action}", user, kept.Module, kept.Action);
        Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Puts back the previous files and controls the services again; only the change named by <paramref name="id"/>.
    /// It never throws (it runs on a timer, where an exception would end the app): a step that fails is logged and the
    /// others still run. The pending change stays on disk until every step has run, so an app that dies in the middle
    /// rolls back again at start; no new change may begin meanwhile.
    /// </summary>
    public void RollBack(string id, string reason)
    {
        PendingChange? pending;
        lock (_gate)
        {
            pending = _pending;
            if (pending is null || pending.Id != id) return;
            _pending = null;
            _rollingBack = true;
            _timer?.Dispose();
            _timer = null;
        }
        var failed = new List<string>();
        try
        {
            RunRollback(pending, reason, failed);
        }
        finally
        {
            lock (_gate)
            {
                _rollingBack = false;
                _settled = new SettledApply(pending.Id, pending.User, pending.Module, pending.Action, ApplyOutcome.RolledBack,
                    time.GetUtcNow(), failed);
                Step("forget the pending change", DeleteState);
            }
            Step("tell the pages", () => Changed?.Invoke());
        }
    }

    private void RunRollback(PendingChange pending, string reason, List<string> failed)
    {
        // A step that could not be done is logged where it fails and named to the admin.
        void Undo(string what, Func<bool> step)
        {
            if (!Try(what, step)) failed.Add(what);
        }

        logger.LogWarning("Rolling back {Module}/{Action} of {User}: {Reason}", pending.Module, pending.Action, pending.User, reason);
        var caller = new BrokerCaller($"{pending.User} (rollback)", pending.Module);
        foreach (var file in pending.Files)
        {
            // A file the change created goes away again; one it changed or removed comes back.
            Undo($"restore {file.Path}", () =>
            {
                if (file.Stash is { } stash) return RestoreStash(caller, file.Path, stash);
                var result = file.Previous is null
                    ? broker.Send(caller, new RemoveFileRequest(file.Path))
                    : broker.Send(caller, new WriteFileRequest(file.Path, file.Previous));
                if (!result.Ok) logger.LogError("Rollback could not restore {Path}: {Error}", file.Path, result.Error!.Message);
                return result.Ok;
            });
        }
        foreach (var link in pending.Links ?? [])
        {
            Undo($"put back the link {link.Path}", () =>
            {
                var result = broker.Send(caller, new LinkRequest(link.Path, link.Previous));
                if (!result.Ok) logger.LogError("Rollback could not put back the link {Path}: {Error}", link.Path, result.Error!.Message);
                return result.Ok;
            });
        }
        // The action's service controls applied the new files; done again, they apply the old ones. A stopped service
        // (sshd, networking: the admin's way in) is started again.
        foreach (var service in pending.Services.DistinctBy(s => (s.Name, s.Verb)))
        {
            var verb = service.Verb switch
            {
                ServiceVerb.Start or ServiceVerb.Stop => ServiceVerb.Start,
                _ => ServiceVerb.Restart,
            };
            Undo($"{verb} {service.Name}", () =>
            {
                var result = broker.Send(caller, new ServiceControlRequest(service.Name, verb));
                var done = result.Ok && result.Value!.Status == 0;
                if (!done)
                    logger.LogError("Rollback could not {Verb} {Service}: {Error}", verb, service.Name,
                        result.Error?.Message ?? result.Value!.Stderr);
                return done;
            });
        }
        // Declared by the action (acf.exec's rollback option): run once the old files are back, e.g. awall activate.
        foreach (var command in pending.Commands ?? [])
        {
            Undo(string.Join(' ', command.Argv), () =>
            {
                var result = broker.Send(caller, new ExecRequest(command.Argv));
                var done = result.Ok && result.Value!.Status == 0;
                if (!done)
                    logger.LogError("Rollback command {Command} failed: {Error}", string.Join(' ', command.Argv),
                        result.Error?.Message ?? result.Value!.Stderr);
                return done;
            });
        }
    }

    /// <summary>A secret file comes back from its stash, which then goes.</summary>
    private bool RestoreStash(BrokerCaller caller, string path, string stash)
    {
        var kept = broker.Send(caller, new ReadFileRequest(stash, Whole: true));
        var result = kept.Ok ? broker.Send(caller, new WriteFileRequest(path, kept.Value!.Bytes)) : new BrokerResult<WriteFileResult>(default, kept.Error);
        if (!result.Ok)
        {
            logger.LogError("Rollback could not restore {Path} from {Stash}: {Error}", path, stash, result.Error!.Message);
            return false;
        }
        broker.Send(caller, new RemoveFileRequest(stash));
        return true;
    }

    /// <summary>A kept change's stashes (secret files' previous content) go: nothing will restore them.</summary>
    private void DropStashes(PendingChange kept)
    {
        var caller = new BrokerCaller($"{kept.User} (kept)", kept.Module);
        foreach (var file in kept.Files)
            if (file.Stash is { } stash)
                Step($"remove {stash}", () =>
                {
                    var removed = broker.Send(caller, new RemoveFileRequest(stash));
                    if (!removed.Ok) logger.LogError("The stash {Stash} cannot be removed: {Error}", stash, removed.Error!.Message);
                });
    }

    private void Step(string what, Action step) => Try(what, () =>
    {
        step();
        return true;
    });

    private bool Try(string what, Func<bool> step)
    {
        try
        {
            return step();
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Rollback step '{Step}' failed", what);
            return false;
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Clear()
    {
        _pending = null;
        _timer?.Dispose();
        _timer = null;
        DeleteState();
    }

    private void DeleteState() => DurableFile.Delete(StatePath);

    /// <summary>Written whole and flushed (file and folder) before the change it undoes; throws on a full disk.</summary>
    private void Save(PendingChange pending)
    {
        FaultPoint.DataDisk();
        DurableFile.Write(StatePath, JsonSerializer.SerializeToUtf8Bytes(pending, PendingChangeJson.Default.PendingChange));
    }
}
