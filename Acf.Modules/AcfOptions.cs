using System.ComponentModel.DataAnnotations;

namespace Acf.Modules;

/// <summary>Which machine the broker drives (<c>Acf:System</c>).</summary>
public sealed class SystemOptions
{
    public const string Section = "Acf:System";

    /// <summary><c>auto</c> (Alpine where /etc/alpine-release exists, else demo), <c>alpine</c> or <c>demo</c>.</summary>
    [Required, RegularExpression("^(auto|alpine|demo)$", ErrorMessage = "Acf:System:Mode must be auto, alpine or demo.")]
    public string Mode { get; set; } = "auto";

    /// <summary>The root the broker works under; empty means <c>/</c> on Alpine and <c>&lt;Data&gt;/demo-root</c> in demo.</summary>
    public string? Root { get; set; }

    /// <summary>Where the pristine demo tree is copied from at first run; empty means the repository's <c>demo/</c>.</summary>
    public string? DemoSource { get; set; }

    /// <summary>
    /// Read-only commands (argv prefixes) that the demo host really runs instead of simulating, because they change
    /// nothing (validators, <c>df</c>). Absolute paths in their arguments are resolved inside the demo root.
    /// </summary>
    public List<List<string>> DemoReadOnlyCommands { get; set; } = [];
}

/// <summary>Where Acf keeps its state (<c>Acf:Data</c>).</summary>
public sealed class DataOptions
{
    public const string Section = "Acf:Data";

    /// <summary>History, audit log and the demo root; empty means /var/lib/acf on Alpine, else a per-user data folder.</summary>
    public string? Path { get; set; }

    /// <summary>How many previous versions of one file are kept in history.</summary>
    [Range(1, 1000)]
    public int HistoryDepth { get; set; } = 20;
}

/// <summary>Where modules come from and what one action may use (<c>Acf:Modules</c>).</summary>
public sealed class ModulesOptions
{
    public const string Section = "Acf:Modules";

    /// <summary>The folder holding one folder per module plus <c>lib/</c>; empty means <c>modules-lua</c> next to the app.</summary>
    public string? Path { get; set; }

    [Range(10_000, 10_000_000_000)]
    public long InstructionLimit { get; set; } = 50_000_000;

    [Range(1 << 20, 1L << 32)]
    public long MemoryLimitBytes { get; set; } = 64L << 20;

    [Range(1, 600)]
    public int WallTimeSeconds { get; set; } = 10;

    /// <summary>
    /// Where module code runs: <c>process</c> (a pool of worker processes that are killed and replaced when an action
    /// overruns its wall time, even inside a C call) or <c>thread</c> (in the app's own process, for debugging).
    /// </summary>
    [Required, RegularExpression("^(process|thread)$", ErrorMessage = "Acf:Modules:Isolation must be process or thread.")]
    public string Isolation { get; set; } = "process";

    /// <summary>How many worker processes run module code at once (<c>process</c> isolation).</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 2;

    /// <summary>
    /// The system user the workers run as when the app is started as root (e.g. <c>acf-worker</c>); empty: the
    /// app's own user. The app resolves it in /etc/passwd and the worker drops to it before it reads any request.
    /// </summary>
    [RegularExpression("^([a-z_][a-z0-9_-]{0,31})?$", ErrorMessage = "Acf:Modules:WorkerUser must be a user name.")]
    public string WorkerUser { get; set; } = "";

    public bool InProcess => Isolation == "thread";
}

/// <summary>Command execution limits (<c>Acf:Exec</c>).</summary>
public sealed class ExecOptions
{
    public const string Section = "Acf:Exec";

    [Range(1, 3600)]
    public int DefaultTimeoutSeconds { get; set; } = 30;

    [Range(1, 3600)]
    public int MaxTimeoutSeconds { get; set; } = 300;

    [Range(1024, 64L << 20)]
    public int OutputLimitBytes { get; set; } = 1 << 20;
}

/// <summary>lbu persistence (<c>Acf:Lbu</c>).</summary>
public sealed class LbuOptions
{
    public const string Section = "Acf:Lbu";

    /// <summary>Commit after each successful save (used from the Alpine core issue on).</summary>
    public bool AutoCommit { get; set; }
}
