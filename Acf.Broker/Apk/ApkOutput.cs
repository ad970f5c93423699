namespace Acf.Broker.Apk;

/// <summary>What a simulated apk run prints: lines to standard output or error, each handed on as it comes.</summary>
internal sealed class ApkOutput(Action<string>? progress)
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public void Line(string line)
    {
        _stdout.Append(line).Append('\n');
        progress?.Invoke(line);
    }

    public void Error(string line)
    {
        _stderr.Append(line).Append('\n');
        progress?.Invoke(line);
    }

    public ExecResult Result(int status) => new(status, _stdout.ToString(), _stderr.ToString(), false, false, Simulated: true);
}

/// <summary>The checks both hosts make before apk runs: names apk accepts, and a sensible number of them.</summary>
internal static class ApkRequestCheck
{
    public const int MaxPackages = 200;

    /// <summary>apk's own message for a request it would refuse; null when it may run.</summary>
    public static string? Refusal(ApkVerb verb, IReadOnlyList<string> packages)
    {
        if (verb is ApkVerb.Add or ApkVerb.Del && packages.Count == 0)
            return $"ERROR: apk {Applet(verb)} needs at least one package name";
        if (verb == ApkVerb.Update && packages.Count > 0) return "ERROR: apk update takes no package names";
        if (packages.Count > MaxPackages) return $"ERROR: at most {MaxPackages} packages at a time";
        foreach (var name in packages)
            if (!IPackageManager.IsValidName(name))
                return $"ERROR: '{Printable(name)}' is not a valid world dependency, format is name(@tag)([<>~=]version)";
        return null;
    }

    public static string Applet(ApkVerb verb) => verb switch
    {
        ApkVerb.Add => "add",
        ApkVerb.Del => "del",
        ApkVerb.Update => "update",
        _ => "upgrade",
    };

    private static string Printable(string name) =>
        new(name.Take(130).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
