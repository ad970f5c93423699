using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Broker;

/// <summary>The broker on a real Alpine box: declared commands really run.</summary>
internal sealed class AlpineSystemBroker(SystemHost host, ModuleCatalog catalog, AuditLog audit, CommandRunner runner,
    IOptions<DataOptions> data, IOptions<ExecOptions> exec, TimeProvider time, ILogger<AlpineSystemBroker> logger,
    SystemTools tools, ValidatorSandbox sandbox)
    : SystemBroker(host, catalog, audit, data, time, logger, tools, sandbox)
{
    protected override bool RunsValidator(IReadOnlyList<string> validator) => true;

    protected override BrokerResult<ExecResult> RunCommand(BrokerCaller caller, ExecRequest request, Action<string>? output)
    {
        var result = runner.Run(request.Argv, request.Stdin, Timeout(request, exec.Value), exec.Value.OutputLimitBytes, onLine: output);
        Audit.Write(caller, "exec", string.Join(' ', request.Argv), argv: request.Argv,
            result: new AuditResult(result.Status), detail: $"status {result.Status}");
        return BrokerResult<ExecResult>.Success(result);
    }
}

/// <summary>
/// The broker of the demo host. It never changes the machine it runs on: commands that would act on the system are
/// simulated and audited as such; only the configured read-only commands (validators, <c>df</c>) really run, with
/// absolute paths in their arguments resolved inside the demo root.
/// </summary>
internal sealed class DemoSystemBroker(SystemHost host, ModuleCatalog catalog, AuditLog audit, CommandRunner runner,
    IOptions<SystemOptions> system, IOptions<DataOptions> data, IOptions<ExecOptions> exec, TimeProvider time,
    ILogger<DemoSystemBroker> logger, SystemTools tools, ValidatorSandbox sandbox)
    : SystemBroker(host, catalog, audit, data, time, logger, tools, sandbox)
{
    /// <summary>A validator really runs only when it is one of the read-only commands; confined, it sees the demo root.</summary>
    protected override bool RunsValidator(IReadOnlyList<string> validator) =>
        system.Value.DemoReadOnlyCommands.Any(prefix => ModuleCapabilities.IsArgvPrefix(prefix, validator));

    protected override BrokerResult<ExecResult> RunCommand(BrokerCaller caller, ExecRequest request, Action<string>? output)
    {
        var readOnly = system.Value.DemoReadOnlyCommands.Any(prefix => ModuleCapabilities.IsArgvPrefix(prefix, request.Argv));
        if (!readOnly)
        {
            Audit.Write(caller, "exec-simulated", string.Join(' ', request.Argv), argv: request.Argv,
                result: new AuditResult(0, Simulated: true));
            var recorded = RecordedOutput(request.Argv);
            // A recording is handed on line by line, as the real command's output would be.
            if (output is not null && recorded.Length > 0)
                foreach (var line in recorded.TrimEnd('\n').Split('\n')) output(line);
            return BrokerResult<ExecResult>.Success(new ExecResult(0, recorded, "", false, false, Simulated: true));
        }

        var argv = new List<string> { request.Argv[0] };
        foreach (var word in request.Argv.Skip(1))
        {
            if (IntoDemoRoot(word) is not { } mapped)
                return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid,
                    $"'{word}' may not be handed to a command on the demo host: paths must be absolute, without '..'.");
            argv.Add(mapped);
        }
        var result = runner.Run(argv, request.Stdin, Timeout(request, exec.Value), exec.Value.OutputLimitBytes,
            workingDirectory: Host.Root, onLine: output);
        Audit.Write(caller, "exec", string.Join(' ', request.Argv), argv: request.Argv,
            result: new AuditResult(result.Status), detail: $"status {result.Status}");
        return BrokerResult<ExecResult>.Success(result);
    }

    /// <summary>The folder of the demo root that holds recorded progressions of counter files under /proc.</summary>
    public const string ProgressionFolder = "/usr/share/acf-demo/progressions";

    /// <summary>How long the demo shows one frame of a progression (the dashboard reads every 2 s).</summary>
    public static readonly TimeSpan FrameLength = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Counters on a real box move (<c>/proc/stat</c>, <c>/proc/net/dev</c>); a fixed snapshot would show an idle
    /// machine with no traffic. Where <c>/usr/share/acf-demo/progressions/PATH/</c> holds frames (files named by
    /// number), a read of PATH under /proc answers the frame of the current 2 s step, going round; otherwise the file.
    /// </summary>
    protected override string ReadSource(RootedPath path)
    {
        if (!path.Canonical.StartsWith("/proc/", StringComparison.Ordinal)) return path.HostPath;
        var folder = Path.Combine(Host.Root, ProgressionFolder.TrimStart('/'), path.Canonical.TrimStart('/'));
        try
        {
            var frames = new DirectoryInfo(folder);
            if (!frames.Exists || frames.LinkTarget is not null) return path.HostPath;
            var names = frames.GetFiles().Where(f => f.LinkTarget is null && int.TryParse(f.Name, out _))
                .OrderBy(f => int.Parse(f.Name, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (names.Count == 0) return path.HostPath;
            var step = Clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)FrameLength.TotalMilliseconds;
            return names[(int)(step % names.Count)].FullName;
        }
        catch (IOException)
        {
            return path.HostPath;
        }
    }

    /// <summary>The folder of the demo root that holds what status commands print on a real box.</summary>
    public const string RecordedOutputFolder = "/usr/share/acf-demo/outputs";

    /// <summary>
    /// What a simulated command prints on the demo host: the file <c>/usr/share/acf-demo/outputs/NAME.out</c> of the
    /// demo root, where NAME is the argv joined with '_' and every character other than a letter, digit, '.' or '-'
    /// made '_' (<c>vtysh -c 'show ip nhrp'</c> reads <c>vtysh_-c_show_ip_nhrp.out</c>), so status pages (NHRP cache,
    /// IPsec SAs, iptables-save) show believable output; empty when there is no such file.
    /// </summary>
    public static string RecordedOutputName(IReadOnlyList<string> argv) =>
        new string(string.Join('_', argv).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray()) + ".out";

    private string RecordedOutput(IReadOnlyList<string> argv)
    {
        var name = RecordedOutputName(argv);
        if (name.Length > 200) return "";
        var path = Path.Combine(Host.Root, RecordedOutputFolder.TrimStart('/'), name);
        try
        {
            // Inside the demo root only: the folder is the demo's own and a symlink out of it is not followed.
            var info = new FileInfo(path);
            return info.Exists && info.LinkTarget is null && info.Length <= 1 << 20 ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>
    /// A read-only command's argument as the real command must see it: absolute paths (also as <c>--opt=/path</c>)
    /// moved inside the demo root; null for anything that could reach outside it (<c>..</c>, relative paths with a
    /// slash), so that a validator can never read the real machine's files.
    /// </summary>
    private string? IntoDemoRoot(string word)
    {
        var equals = word.IndexOf('=');
        var (head, value) = word.StartsWith('-') && equals > 0 ? (word[..(equals + 1)], word[(equals + 1)..]) : ("", word);
        if (value.Split('/').Contains("..")) return null;
        if (!value.StartsWith('/')) return value.Contains('/') ? null : word;
        if (RootedPath.Validate(value) is not null) return null;
        try
        {
            return head + RootedPath.Resolve(Host.Root, value).HostPath;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
