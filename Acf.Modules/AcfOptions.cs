using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Acf.Modules;

/// <summary>Where modules come from and what one action may use (<c>Acf:Modules</c>).</summary>
public sealed class ModulesOptions
{
    public const string Section = "Acf:Modules";

    [Range(10_000, 10_000_000_000)]
    public long InstructionLimit { get; set; } = 50_000_000;

    [Range(1 << 20, 1L << 32)]
    public long MemoryLimitBytes { get; set; } = 64L << 20;

    [Range(1, 600)]
    public int WallTimeSeconds { get; set; } = 10;

    /// <summary>
    /// How many worker processes run module code at once. Module code runs nowhere else: a worker is killed and replaced
    /// when an action overruns its wall time, even inside a C call (the key <c>Isolation</c>, which could put it on a
    /// thread of the app, is gone: <see cref="RetiredSettings"/>).
    /// </summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 3;

    /// <summary>
    /// Seconds a worker may stay without an action before it stops (its slot starts a new one when needed; about 0.3 s
    /// on a quiet box). 0 keeps workers until the app stops. Each idle worker holds about 20 MB (issue 19).
    /// </summary>
    [Range(0, 86400)]
    public int WorkerIdleSeconds { get; set; } = 120;

    /// <summary>
    /// Actions one user may run at once; a further one waits for one of them to end (see
    /// <see cref="ActionsQueuedPerUser"/>). Below <see cref="Workers"/>, so one user's slow actions always leave a
    /// worker to the others.
    /// </summary>
    [Range(1, 64)]
    public int ActionsPerUser { get; set; } = 2;

    /// <summary>
    /// A user's actions that may wait for a place among their <see cref="ActionsPerUser"/> (first come, first run);
    /// a further one is refused ("busy"). Opening a page starts several at once, so this is well above what pages
    /// start; it bounds what one user's flood of requests can keep waiting.
    /// </summary>
    [Range(0, 1024)]
    public int ActionsQueuedPerUser { get; set; } = 32;

    /// <summary>Actions of one module that run at once; a further one waits for its turn (a hung tool queues only its module).</summary>
    [Range(1, 64)]
    public int ActionsPerModule { get; set; } = 2;

    /// <summary>
    /// One action's whole time, its broker calls (commands, validators, apk) included; past it every further broker
    /// call of the action is refused. <see cref="WallTimeSeconds"/> counts only the module code's own turns.
    /// </summary>
    [Range(1, 3600)]
    public int ActionTimeSeconds { get; set; } = 900;

    /// <summary>
    /// The system user the workers run as when the app is started as root (e.g. <c>acf-worker</c>); empty: the
    /// app's own user. The app resolves it in /etc/passwd and the worker drops to it before it reads any request.
    /// </summary>
    [RegularExpression("^([a-z_][a-z0-9_-]{0,31})?$", ErrorMessage = "Acf:Modules:WorkerUser must be a user name.")]
    public string WorkerUser { get; set; } = "";
}

/// <summary>Checks ModulesOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateModulesOptions : IValidateOptions<ModulesOptions>;
