using Microsoft.Extensions.Options;
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
public sealed class ExecOptions : IValidatableObject
{
    public const string Section = "Acf:Exec";

    [Range(1, 3600)]
    public int DefaultTimeoutSeconds { get; set; } = 30;

    [Range(1, 3600)]
    public int MaxTimeoutSeconds { get; set; } = 300;

    [Range(1024, 64L << 20)]
    public int OutputLimitBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Lab only, never on a real box: an argv prefix through which the Alpine broker runs every command (modules'
    /// <c>exec</c>, validators, OpenRC, apk, lbu), e.g. <c>nsenter --target PID --mount --net --uts --</c>, so the
    /// commands act on a lab node whose <c>/etc</c> is <c>Acf:System:Root</c>'s. Empty: commands run on this machine.
    /// The demo host ignores it.
    /// </summary>
    public List<string> Through { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Named by absolute path: a bare name would be looked up in a PATH, and a prefix is run before every command.
        if (Through.Count > 0 && (!Through[0].StartsWith('/') || Through[0].Split('/').Contains("..")))
            yield return new ValidationResult("Acf:Exec:Through must start with the absolute path of a program.", [nameof(Through)]);
        if (Through.Any(word => word.Length == 0 || word.Any(char.IsControl)))
            yield return new ValidationResult("Acf:Exec:Through has an empty word or a control character.", [nameof(Through)]);
    }
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

/// <summary>Checks SystemOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateSystemOptions : IValidateOptions<SystemOptions>;

/// <summary>Checks DataOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateDataOptions : IValidateOptions<DataOptions>;

/// <summary>Checks ExecOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateExecOptions : IValidateOptions<ExecOptions>;
