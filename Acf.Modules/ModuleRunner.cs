using Acf.Modules.Apply;
using Acf.Modules.Fairness;
using Microsoft.Extensions.Options;

namespace Acf.Modules;

public enum RunStatus
{
    Ok,

    /// <summary>No such module, controller or action (or the module is not available on this host).</summary>
    NotFound,

    /// <summary>The user's roles do not grant the action.</summary>
    Forbidden,

    /// <summary>The input was refused before any module code ran (too large).</summary>
    BadInput,

    /// <summary>The module raised an error or hit a limit.</summary>
    Failed,

    /// <summary>What the action was given is too large for it (a file past what the memory limit can parse); nothing was written.</summary>
    TooLarge,

    /// <summary>A change that could cut the admin off waits to be kept or rolled back: nothing ran, try again after.</summary>
    Busy,

    /// <summary>The user already runs their share of actions at once (<c>Acf:Modules:ActionsPerUser</c>) and as many
    /// wait as may (<c>ActionsQueuedPerUser</c>): nothing ran.</summary>
    TooManyActions,
}

/// <summary>The answer of one action: the CFE it returned, or why there is none. <paramref name="ConflictPath"/>: a file
/// the action could not change because it changed since it was read.</summary>
public sealed record RunResult(RunStatus Status, CfeNode? Entity = null, string? Error = null, string? ConflictPath = null);

/// <summary>
/// The one way into module code, used by the pages and the API alike: checks that the module and action exist and
/// that the user's roles grant the action (<see cref="ModuleAccess"/>), admits it among the user's and the module's share, then has it run in a
/// fresh sandbox environment by the one executor (<see cref="IActionExecutor"/>): in the app, a worker process of
/// <see cref="ModuleWorkerPool"/>, which can be killed at the wall-time limit even inside a C call.
/// </summary>
public sealed class ModuleRunner
{
    private readonly SavesInProgress _saves = new();
    private readonly ModuleCatalog _catalog;
    private readonly ISystemBroker _broker;
    private readonly ModuleAccess _access;
    private readonly GuardedChange _guarded;
    private readonly IOptions<ModulesOptions> _options;
    private readonly LbuAutoCommit _autoCommit;
    private readonly ILogger<ModuleRunner> _logger;
    private readonly IActionExecutor _executor;

    private readonly ActionAdmission _admission;

    /// <summary>Internal, as the broker, the guard and the pool are: the runtime registers it (<c>AddAcfModules</c>) for the pages.</summary>
    internal ModuleRunner(ModuleCatalog catalog, ISystemBroker broker, ModuleAccess access,
        ApplyGuard guard, IOptions<ModulesOptions> options, LbuAutoCommit autoCommit, ILogger<ModuleRunner> logger,
        IActionExecutor executor)
    {
        _catalog = catalog;
        _broker = broker;
        _access = access;
        _guarded = new GuardedChange(guard);
        _options = options;
        _autoCommit = autoCommit;
        _logger = logger;
        _executor = executor;
        _admission = new(options.Value.ActionsPerUser, options.Value.ActionsPerModule, options.Value.ActionsQueuedPerUser);
    }

    /// <summary>Starts a module worker ahead of need when none waits idle: the login page asks, so the first page
    /// after a login does not wait for a process to start.</summary>
    public void WarmUp() => _executor.Warm();

    /// <param name="output">Receives long-running commands' output lines as they come (apk), for a live view.</param>
    /// <param name="progress">Receives the steps the module names (<c>acf.progress</c>), for the page's busy state.</param>
    public async Task<RunResult> RunAsync(AcfPrincipal user, string module, string controller, string action,
        ModuleInput input, CancellationToken cancellationToken = default, Action<string>? output = null, Action<string>? progress = null)
    {
        var manifest = _access.Find(module, controller, action);
        if (manifest is null) return new RunResult(RunStatus.NotFound, Error: $"There is no action {module}/{controller}/{action}.");
        if (!_access.IsAllowed(user, manifest, controller, action))
        {
            _logger.LogWarning("{User} was refused {Module}/{Controller}/{Action}", user.Name, module, controller, action);
            return new RunResult(RunStatus.Forbidden, Error: $"Your roles do not allow {module}/{controller}/{action}.");
        }
        if (input.TotalChars > ModuleInput.MaxTotalChars)
            return new RunResult(RunStatus.BadInput, Error: "The submitted data is too large.");
        var source = _catalog.ReadController(module, controller);
        if (source is null) return new RunResult(RunStatus.NotFound, Error: $"Module {module} has no controller {controller}.");
        // Beyond the user's share the action waits for a place; refused only when the user's queue is full too.
        using var admitted = await _admission.AdmitUserAsync(user.Name, cancellationToken);
        if (admitted is null) return new RunResult(RunStatus.TooManyActions, Error: _admission.Refusal(user.Name));

        // A read waits for the same user's save in the module that still runs, and reads what it leaves (issue 20).
        if (input.Submit is null)
        {
            await _saves.DoneAsync(user.Name, module, cancellationToken);
            return await RunCheckedAsync(user, manifest, controller, action, source, input, new Observers(output, progress), cancellationToken);
        }
        using (_saves.Begin(user.Name, module))
            return await RunCheckedAsync(user, manifest, controller, action, source, input, new Observers(output, progress), cancellationToken);
    }

    /// <summary>Who hears an action while it runs: the live output of long commands and the module's named steps.</summary>
    private readonly record struct Observers(Action<string>? Output, Action<string>? Progress);

    /// <summary>How many of this user's actions wait for a place among the user's share now.</summary>
    public int WaitingActions(string user) => _admission.Waiting(user);

    /// <summary>True while a submit of this user in this module runs (a page left before its save ended).</summary>
    public bool IsSaving(string user, string module) => _saves.IsSaving(user, module);

    private async Task<RunResult> RunCheckedAsync(AcfPrincipal user, ModuleManifest manifest, string controller, string action,
        byte[] source, ModuleInput input, Observers observers, CancellationToken cancellationToken)
    {
        var module = manifest.Prefix;
        var guarded = input.Submit is not null && !input.Unchecked && manifest.IsGuarded($"{controller}/{action}", input.Values);
        if (!guarded) return await RunSandboxAsync(user, manifest, controller, action, source, input, null, observers, cancellationToken);

        return await _guarded.RunAsync(user.Name, module, $"{controller}/{action}",
            journal => RunSandboxAsync(user, manifest, controller, action, source, input, journal, observers, cancellationToken),
            cancellationToken);
    }

    private async Task<RunResult> RunSandboxAsync(AcfPrincipal user, ModuleManifest manifest, string controller, string action,
        byte[] source, ModuleInput input, ChangeJournal? journal, Observers observers, CancellationToken cancellationToken)
    {
        var module = manifest.Prefix;
        using var place = await _admission.AdmitModuleAsync(module, cancellationToken);
        var limits = _options.Value;
        // Under confirm-or-rollback the changes are journalled here, in the app, not in the process that runs the
        // module; the action's time is counted from here, its broker calls included.
        var budgeted = new ActionBudgetBroker(_broker, TimeSpan.FromSeconds(limits.ActionTimeSeconds));
        var actionBroker = new ConflictWatch(journal is null ? budgeted : new JournalingBroker(budgeted, journal));
        var run = new WorkerRun(module, controller, action, user, source, input, WorkerLimits(limits), _broker.Info);
        var caller = new BrokerCaller(user.Name, module, user.Origin?.ClientAddress, $"{controller}/{action}");
        var outcome = await _executor.RunAsync(run, new BrokerCallContext(actionBroker, caller, _catalog, observers.Output, observers.Progress), cancellationToken);
        if (outcome.Error is not null)
        {
            _logger.LogWarning("{Module}/{Controller}/{Action} failed for {User}: {Error}", module, controller, action, user.Name, outcome.Error);
            return new RunResult(outcome.Refused ? RunStatus.TooLarge : RunStatus.Failed, Error: outcome.Error);
        }
        // A guarded change is committed by lbu only once it is kept, not while it may still roll back.
        if (_autoCommit.Enabled && input.Submit is not null && journal is null && outcome.Entity!.Succeeded) _autoCommit.Commit(user, module);
        return new RunResult(RunStatus.Ok, outcome.Entity, ConflictPath: actionBroker.ConflictPath);
    }

    /// <summary>Only the limits travel to a worker, not the app's paths or the worker settings.</summary>
    private static ModulesOptions WorkerLimits(ModulesOptions limits) => new()
    {
        InstructionLimit = limits.InstructionLimit,
        MemoryLimitBytes = limits.MemoryLimitBytes,
        WallTimeSeconds = limits.WallTimeSeconds,
    };
}
