using System.Text.Json;
using Acf.Broker;
using Acf.Broker.OpenRc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

/// <summary>A change that is live but not yet confirmed, and what undoes it. Kept on disk until it is settled.</summary>
public sealed record PendingApply(string Id, string User, string Module, string Action, DateTimeOffset Started,
    DateTimeOffset Deadline, IReadOnlyList<JournalFile> Files, IReadOnlyList<JournalService> Services,
    IReadOnlyList<JournalLink>? Links = null, IReadOnlyList<JournalCommand>? Commands = null);

/// <summary>
/// An admin far away must not lose the box. A change made by an action that the manifest marks as able to cut the
/// admin off (interfaces, routes, DNS, later the firewall) stays pending after it is applied: unless the admin keeps
/// it within the countdown, the previous files come back and the services are controlled again as the action did.
/// Only one change is pending at a time. The pending change is on disk, so a restart in the middle rolls it back at
/// start (a change nobody could confirm is not kept).
/// </summary>
public sealed class ApplyGuard(ISystemBroker broker, SystemHost host, IOptions<ApplyOptions> options, TimeProvider time,
    ILogger<ApplyGuard> logger) : IHostedService, IDisposable
{
    private static readonly JsonSerializerOptions StateJson = new() { WriteIndented = true };
    private readonly Lock _gate = new();
    private PendingApply? _pending;
    private bool _rollingBack; // a rollback is running: no new change may begin until it is done
    private ITimer? _timer;

    /// <summary>Raised after a change begins, is kept or is rolled back (from any thread).</summary>
    public event Action? Changed;

    public PendingApply? Pending
    {
        get { lock (_gate) return _pending; }
    }

    public int ConfirmSeconds => options.Value.ConfirmSeconds;

    private string StatePath => Path.Combine(host.DataPath, "pending-apply.json");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(StatePath)) return Task.CompletedTask;
        try
        {
            var pending = JsonSerializer.Deserialize<PendingApply>(File.ReadAllText(StatePath), StateJson);
            if (pending is not null)
            {
                lock (_gate) _pending = pending;
                RollBack(pending.Id, "Acf restarted before the change was confirmed");
            }
        }
        catch (JsonException e)
        {
            logger.LogError("The pending change in {Path} cannot be read ({Error}); it is left for the admin", StatePath, e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Why a new guarded change may not start now, or null.</summary>
    public string? Refusal()
    {
        PendingApply? pending;
        bool rollingBack;
        lock (_gate) (pending, rollingBack) = (_pending, _rollingBack);
        if (rollingBack) return "A change is being rolled back; try again in a moment.";
        return pending is null ? null
            : $"A change by {pending.User} ({pending.Module}/{pending.Action}) is waiting to be kept or rolled back; settle it first.";
    }

    /// <summary>Starts the countdown for a change that was just applied; false when another one is pending.</summary>
    public bool Begin(string user, string module, string action, ChangeJournal journal)
    {
        var now = time.GetUtcNow();
        var pending = new PendingApply(Guid.NewGuid().ToString("N"), user, module, action, now,
            now.AddSeconds(options.Value.ConfirmSeconds), journal.Files, journal.Services, journal.Links, journal.Commands);
        lock (_gate)
        {
            if (_pending is not null || _rollingBack) return false;
            _pending = pending;
            Save(pending);
            _timer?.Dispose();
            _timer = time.CreateTimer(_ => RollBack(pending.Id, "not kept in time"), null,
                pending.Deadline - now, Timeout.InfiniteTimeSpan);
        }
        logger.LogWarning("{User} applied {Module}/{Action}: it rolls back at {Deadline} unless kept", user, module, action, pending.Deadline);
        Changed?.Invoke();
        return true;
    }

    /// <summary>Keeps the pending change; false when there is none (it was already rolled back).</summary>
    public bool Keep(string user)
    {
        PendingApply? kept;
        lock (_gate)
        {
            kept = _pending;
            if (kept is null) return false;
            Clear();
        }
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
        PendingApply? pending;
        lock (_gate)
        {
            pending = _pending;
            if (pending is null || pending.Id != id) return;
            _pending = null;
            _rollingBack = true;
            _timer?.Dispose();
            _timer = null;
        }
        try
        {
            RunRollback(pending, reason);
        }
        finally
        {
            lock (_gate)
            {
                _rollingBack = false;
                Step("forget the pending change", DeleteState);
            }
            Step("tell the pages", () => Changed?.Invoke());
        }
    }

    private void RunRollback(PendingApply pending, string reason)
    {
        logger.LogWarning("Rolling back {Module}/{Action} of {User}: {Reason}", pending.Module, pending.Action, pending.User, reason);
        var caller = new BrokerCaller($"{pending.User} (rollback)", pending.Module);
        foreach (var file in pending.Files)
        {
            // A file the change created goes away again; one it changed or removed comes back.
            Step($"restore {file.Path}", () =>
            {
                var result = file.Previous is null
                    ? broker.Send(caller, new RemoveFileRequest(file.Path))
                    : broker.Send(caller, new WriteFileRequest(file.Path, file.Previous));
                if (!result.Ok) logger.LogError("Rollback could not restore {Path}: {Error}", file.Path, result.Error!.Message);
            });
        }
        foreach (var link in pending.Links ?? [])
        {
            Step($"put back the link {link.Path}", () =>
            {
                var result = broker.Send(caller, new LinkRequest(link.Path, link.Previous));
                if (!result.Ok) logger.LogError("Rollback could not put back the link {Path}: {Error}", link.Path, result.Error!.Message);
            });
        }
        // The action's service controls applied the new files; done again, they apply the old ones.
        foreach (var service in pending.Services.DistinctBy(s => (s.Name, s.Verb)))
        {
            var verb = service.Verb is ServiceVerb.Start or ServiceVerb.Stop ? service.Verb : ServiceVerb.Restart;
            Step($"{verb} {service.Name}", () =>
            {
                var result = broker.Send(caller, new ServiceControlRequest(service.Name, verb));
                if (!result.Ok || result.Value!.Status != 0)
                    logger.LogError("Rollback could not {Verb} {Service}: {Error}", verb, service.Name,
                        result.Error?.Message ?? result.Value!.Stderr);
            });
        }
        // Declared by the action (acf.exec's rollback option): run once the old files are back, e.g. awall activate.
        foreach (var command in pending.Commands ?? [])
        {
            Step(string.Join(' ', command.Argv), () =>
            {
                var result = broker.Send(caller, new ExecRequest(command.Argv));
                if (!result.Ok || result.Value!.Status != 0)
                    logger.LogError("Rollback command {Command} failed: {Error}", string.Join(' ', command.Argv),
                        result.Error?.Message ?? result.Value!.Stderr);
            });
        }
    }

    private void Step(string what, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Rollback step '{Step}' failed", what);
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

    private void DeleteState()
    {
        if (File.Exists(StatePath)) File.Delete(StatePath);
    }

    private void Save(PendingApply pending)
    {
        var temp = StatePath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(pending, StateJson));
        File.Move(temp, StatePath, overwrite: true);
    }
}
