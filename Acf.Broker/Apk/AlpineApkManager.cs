namespace Acf.Broker.Apk;

/// <summary>
/// apk on a real Alpine system: the state is read straight from apk's files under the root (no process), and
/// changes run <c>apk</c> itself as an argv list (<c>apk --no-progress add|del|update|upgrade</c>, with
/// <c>--root</c> when the system root is not <c>/</c>). Names are checked first, so no word can become an option.
/// </summary>
internal sealed class AlpineApkManager(SystemHost host, CommandRunner runner) : IPackageManager
{
    private readonly ApkStateReader _reader = new(host);

    /// <summary>How long one apk run may take (an upgrade downloads and unpacks every package).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The most output kept (apk prints a line per package).</summary>
    public int OutputLimit { get; init; } = 1 << 20;

    public ApkState ReadState() => _reader.Read();

    public void ForgetParsed() => _reader.Forget();

    public ExecResult Run(ApkVerb verb, IReadOnlyList<string> packages, Action<string>? progress = null)
    {
        if (ApkRequestCheck.Refusal(verb, packages) is { } refusal)
        {
            progress?.Invoke(refusal);
            return new ExecResult(1, "", refusal + "\n", false, false, false);
        }
        var argv = Argv(host.Root, verb, packages);
        return runner.Run(argv, null, Timeout, OutputLimit, onLine: progress);
    }

    /// <summary>The command line for a checked request.</summary>
    internal static List<string> Argv(string root, ApkVerb verb, IReadOnlyList<string> packages)
    {
        List<string> argv = ["apk", "--no-progress"];
        if (Path.GetFullPath(root) != "/") argv.AddRange(["--root", root]);
        argv.Add(ApkRequestCheck.Applet(verb));
        argv.AddRange(packages);
        return argv;
    }
}
