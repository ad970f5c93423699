using System.ComponentModel.DataAnnotations;

namespace Acf.Broker;

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

/// <summary>Where the modules are (<c>Acf:Modules:Path</c>): the broker reads their manifests, the runtime their code.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Acf:Modules";

    /// <summary>The folder holding one folder per module plus <c>lib/</c>; empty means <c>modules-lua</c> next to the app.</summary>
    public string? Path { get; set; }
}
