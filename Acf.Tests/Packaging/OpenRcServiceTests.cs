using System.Security.Cryptography;

namespace Acf.Tests.Packaging;

/// <summary>
/// The Alpine package's OpenRC services (<c>packaging/alpine</c>) as OpenRC reads them: each script is sourced by
/// <c>sh</c> with its conf.d settings in the environment (as openrc-run does), and the app's configuration it exports is
/// compared. The default is the split: the app as <c>acf</c>, the broker the <c>acf-broker</c> service serving
/// <c>acf</c>; one root process is still a setting away. The APKBUILD's sums must match the files it ships.
/// </summary>
public sealed class OpenRcServiceTests
{
    private static readonly string Alpine = Path.Combine(ModuleTestHost.RepositoryRoot, "packaging", "alpine");

    [Fact]
    public void AcfService_Defaults_AppAsAcfWithTheBrokerService()
    {
        var exported = Source("acf.initd", new());

        AssertHas(exported, ("command_user", "acf:acf"), ("Acf__Broker__Process", "separate"),
            ("Acf__Broker__StartChild", "false"), ("Acf__Data__Path", "/var/lib/acf-web"),
            ("depend", "need net localmount\nneed acf-broker"));
    }

    [Fact]
    public void AcfService_InProcessAsRoot_OneRootProcessAsBefore()
    {
        var exported = Source("acf.initd", new() { ["ACF_BROKER"] = "in-process", ["ACF_USER"] = "root", ["ACF_GROUP"] = "root" });

        AssertHas(exported, ("command_user", "root:root"), ("Acf__Broker__Process", "in-process"),
            ("Acf__Data__Path", "/var/lib/acf"), ("depend", "need net localmount"), ("start_pre", "0"));
    }

    [Fact]
    public void AcfService_InProcessAsAcf_RefusesToStart()
    {
        var exported = Source("acf.initd", new() { ["ACF_BROKER"] = "in-process" });

        Assert.Equal("1", exported["start_pre"]);
        Assert.Contains("needs ACF_USER=\"root\"", exported["eerror"]);
    }

    [Fact]
    public void BrokerService_Defaults_ServesAcf_EmptyServesRootOnly()
    {
        Assert.Equal("acf", Source("acf-broker.initd", new())["Acf__Broker__PeerUser"]);
        Assert.Equal("", Source("acf-broker.initd", new() { ["ACF_BROKER_PEER"] = "" })["Acf__Broker__PeerUser"]);
    }

    [Fact]
    public void PreInstall_CreatesTheUsersTheDefaultsName()
    {
        var script = File.ReadAllText(Path.Combine(Alpine, "acf-web.pre-install"));

        Assert.Contains("adduser -S -D -H -h /var/lib/acf -s /sbin/nologin -G acf", script);
        Assert.Contains("-G acf-worker -g \"Acf module workers\" acf-worker", script);
    }

    [Theory]
    [InlineData("acf.initd")]
    [InlineData("acf.confd")]
    [InlineData("acf-broker.initd")]
    [InlineData("acf-broker.confd")]
    public void Apkbuild_Sha512sums_MatchTheFiles(string file)
    {
        var apkbuild = File.ReadAllLines(Path.Combine(Alpine, "APKBUILD"));
        var sum = Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(Path.Combine(Alpine, file))));

        Assert.Contains($"{sum}  {file}", apkbuild);
    }

    /// <summary>Each of <paramref name="expected"/> is in <paramref name="exported"/> with that value (the failure shows
    /// every expected pair beside what was there).</summary>
    private static void AssertHas(Dictionary<string, string> exported, params (string Key, string Value)[] expected) =>
        Assert.Equal(expected.Select(e => (e.Key, (string?)e.Value)), expected.Select(e => (e.Key, exported.GetValueOrDefault(e.Key))));

    /// <summary>
    /// Sources <paramref name="script"/> with <c>sh</c> and the conf.d <paramref name="settings"/>, OpenRC's helpers
    /// stubbed (<c>need</c> and <c>eerror</c> record what they were given, <c>checkpath</c> does nothing), then calls
    /// <c>depend</c> and <c>start_pre</c>: the variables it exports, <c>command_user</c>, what <c>depend</c> needed,
    /// <c>start_pre</c>'s status and what it reported.
    /// </summary>
    private static Dictionary<string, string> Source(string script, Dictionary<string, string> settings)
    {
        const string Stubs = """
            _need=""; _error=""
            need() { _need="${_need:+$_need
            }need $*"; }
            use() { :; }; after() { :; }; before() { :; }
            eerror() { _error="$*"; }
            checkpath() { :; }
            . "$1"
            depend
            start_pre; _status=$?
            printf 'command_user=%s\0depend=%s\0start_pre=%s\0eerror=%s\0' "$command_user" "$_need" "$_status" "$_error"
            env -0 | grep -z '^Acf__'
            """;
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false, ArgumentList = { "-c", Stubs, "sh", Path.Combine(Alpine, script) } };
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ACF_", StringComparison.Ordinal) || k.StartsWith("Acf__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        foreach (var (key, value) in settings) info.Environment[key] = value;
        using var sh = Process.Start(info)!;
        var output = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        Assert.Equal(0, sh.ExitCode);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }
}
