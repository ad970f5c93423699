using Acf.Broker.Crypto;
using static Acf.Tests.Modules.FormPost;
using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Router;

/// <summary>
/// WireGuard key pairs made by the broker (issue 21): a new interface's file gets a private key the page never sees,
/// "New key pair" replaces it, and only the public key (which matches the key in the file) reaches the form; the
/// private key is in no answer, audit line or history version.
/// </summary>
public class WireguardKeyTests
{
    private const string Wg0 = "/etc/wireguard/wg0.conf";
    private const string DemoPrivateKey = "YN8fU45FBSmNGYrUauHLr69kSqgl3MT90vkW2Wu1JWM=";

    private static string PrivateKeyIn(ModuleTestHost host, string path) =>
        host.ReadRootFile(path).Split('\n').Single(l => l.StartsWith("PrivateKey = ", StringComparison.Ordinal))["PrivateKey = ".Length..];

    /// <summary>Everything Acf keeps beside the root (audit log, history, intents, the pending rollback record: a
    /// secret file's previous content waits in a stash beside the file, never there).</summary>
    private static string Kept(ModuleTestHost host) => string.Join("\n", Directory
        .EnumerateFiles(host.DataPath, "*", SearchOption.AllDirectories)
        .Select(File.ReadAllText));

    [Fact]
    public async Task NewInterface_GetsAPrivateKeyFromTheBroker_AndTheFormShowsOnlyItsPublicKey()
    {
        using var host = Create();
        var form = await RunAsync(host, "wireguard", "interfaces", "edit");

        var done = await RunAsync(host, "wireguard", "interfaces", "edit", Post(form, "Save",
            ("name", "wg1"), ("listen_port", "51821"), ("address", "10.9.0.1/24")));

        var privateKey = PrivateKeyIn(host, "/etc/wireguard/wg1.conf");
        Assert.Equal(Curve25519Keys.PublicKeyOf(privateKey), done.Find("public_key")!.Text);
        Assert.Contains(Curve25519Keys.PublicKeyOf(privateKey)!, done.Descr);
        Assert.Equal($"[Interface]\nPrivateKey = {privateKey}\nListenPort = 51821\n", host.ReadRootFile("/etc/wireguard/wg1.conf"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.RootPath("/etc/wireguard/wg1.conf")));
        Assert.DoesNotContain(privateKey, JsonSerializer.Serialize(done));
        Assert.DoesNotContain(privateKey, Kept(host));
    }

    [Fact]
    public async Task NewKeyPair_ReplacesOnlyThePrivateKey_AndKeepsNoCopyOfEitherKey()
    {
        using var host = Create();
        var before = host.ReadRootFile(Wg0);
        var form = await RunAsync(host, "wireguard", "interfaces", "edit", Query(("name", "wg0")));
        Assert.Equal(Curve25519Keys.PublicKeyOf(DemoPrivateKey), form.Find("public_key")!.Text);

        var done = await RunAsync(host, "wireguard", "interfaces", "edit", Post(form, "New key pair"));

        var privateKey = PrivateKeyIn(host, Wg0);
        Assert.NotEqual(DemoPrivateKey, privateKey);
        Assert.Equal(before.Replace(DemoPrivateKey, privateKey), host.ReadRootFile(Wg0));
        Assert.Equal(Curve25519Keys.PublicKeyOf(privateKey), done.Find("public_key")!.Text);
        var shown = JsonSerializer.Serialize(done);
        Assert.DoesNotContain(privateKey, shown);
        Assert.DoesNotContain(DemoPrivateKey, shown);
        Assert.DoesNotContain(privateKey, Kept(host));
        Assert.DoesNotContain(DemoPrivateKey, Kept(host));
        Assert.Contains(host.Audit.ReadAll(), e => e.Argv is ["wg", "syncconf", "wg0", Wg0]);
    }

    [Fact]
    public async Task NewKeyPair_WgQuickFileWithItsKeyElsewhere_RefusedAndNothingWritten()
    {
        using var host = Create();
        const string quick = "[Interface]\nAddress = 10.7.0.1/24\nPostUp = wg set %i private-key /etc/wireguard/wg7.key\n";
        host.WriteRootFile("/etc/wireguard/wg7.conf", quick);
        var form = await RunAsync(host, "wireguard", "interfaces", "edit", Query(("name", "wg7")));

        var refused = await host.RunAsync(ModuleTestHost.Admin, "wireguard", "interfaces", "edit", Post(form, "New key pair"));

        Assert.Contains("PostUp", refused.Entity!.Find("name")!.Errtxt);
        Assert.Equal(quick, host.ReadRootFile("/etc/wireguard/wg7.conf"));
    }

    [Fact]
    public async Task AddWithNewKeys_AddsThePeersPublicKey_AndShowsItsClientConfigOnceWithThisBoxsKey()
    {
        using var host = Create();
        var form = await RunAsync(host, "wireguard", "peers", "edit", Query(("interface", "wg0")));

        var done = await RunAsync(host, "wireguard", "peers", "edit", Post(form, "Add with new keys",
            ("allowed_ips", "10.8.0.4/32"), ("keepalive", "25"), ("client_endpoint", "vpn.example.org:51820"),
            ("client_allowed_ips", "10.8.0.0/24\n192.168.1.0/24")));

        var config = done.Find("client_config")!;
        Assert.Equal(CfeTypes.QrCode, config.Type);
        var lines = config.Text!.Split('\n');
        var clientKey = lines.Single(l => l.StartsWith("PrivateKey = ", StringComparison.Ordinal))["PrivateKey = ".Length..];
        var clientPublic = Curve25519Keys.PublicKeyOf(clientKey)!;
        Assert.Equal($"[Interface]\nPrivateKey = {clientKey}\nAddress = 10.8.0.4/32\n\n[Peer]\n"
            + $"PublicKey = {Curve25519Keys.PublicKeyOf(DemoPrivateKey)}\nAllowedIPs = 10.8.0.0/24, 192.168.1.0/24\n"
            + "Endpoint = vpn.example.org:51820\nPersistentKeepalive = 25\n", config.Text);
        Assert.EndsWith($"\n\n[Peer]\nPublicKey = {clientPublic}\nAllowedIPs = 10.8.0.4/32\nPersistentKeepalive = 25\n",
            host.ReadRootFile(Wg0));
        Assert.DoesNotContain(clientKey, host.ReadRootFile(Wg0));
        var everything = string.Join("\n", Directory.EnumerateFiles(host.DataPath, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(host.Root, StringComparison.Ordinal)).Select(File.ReadAllText));
        Assert.DoesNotContain(clientKey, everything);
        Assert.Contains(host.Audit.ReadAll(), e => e.Argv is ["wg", "syncconf", "wg0", Wg0]);
    }

    [Fact]
    public async Task AddWithNewKeys_ReadAgain_TheClientConfigIsGone()
    {
        using var host = Create();
        var form = await RunAsync(host, "wireguard", "peers", "edit", Query(("interface", "wg0")));
        await RunAsync(host, "wireguard", "peers", "edit", Post(form, "Add with new keys",
            ("allowed_ips", "10.8.0.4/32"), ("client_endpoint", "vpn.example.org:51820")));

        var again = await RunAsync(host, "wireguard", "peers", "edit", Query(("interface", "wg0"), ("peer", "3")));

        Assert.Null(again.Find("client_config"));
        Assert.Equal("10.8.0.4/32", Assert.Single(again.Find("allowed_ips")!.Items));
    }
}
