namespace Acf.Tests.Modules.Router;

/// <summary>
/// Issue 21 item 4: WireGuard's keys never pass through the module's Lua. The broker hands /etc/wireguard/*.conf
/// with each key as a token and puts the keys back on write (an unchanged save writes the same bytes, key lines
/// included), and hides the keys of those files in what `wg show` prints. A spy between the module and the broker
/// sees every answer the module gets.
/// </summary>
public class WireguardSecretTests
{
    private const string Wg0 = "/etc/wireguard/wg0.conf";
    private const string Dump = "/usr/share/acf-demo/outputs/wg_show_all_dump.out";
    private const string DemoPrivateKey = "YN8fU45FBSmNGYrUauHLr69kSqgl3MT90vkW2Wu1JWM=";
    private const string PresharedKey = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

    /// <summary>A demo host whose broker has a spy in front: it sees every answer the module gets.</summary>
    private static (ModuleTestHost Host, BrokerSpy Spy) Create()
    {
        var spy = new BrokerSpy(AnswerText);
        var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true,
            system: new SystemOptions { Mode = "demo" }) { WrapBroker = spy.Around };
        host.CopyDemoTree();
        // The branch office's peer gets a preshared key, and wg's dump prints both keys, as the real wg does.
        host.WriteRootFile(Wg0, host.ReadRootFile(Wg0).Replace("AllowedIPs = 10.8.0.2/32",
            $"PresharedKey = {PresharedKey}\nAllowedIPs = 10.8.0.2/32"));
        host.WriteRootFile(Dump, host.ReadRootFile(Dump)
            .Replace("PRIVATE-Y2yIGvt9Rwqx6iA/RtnIY/cFVIircX0Yih4=", DemoPrivateKey)
            .Replace("\t(none)\t203.0.113.7", $"\t{PresharedKey}\t203.0.113.7"));
        return (host, spy);
    }

    private static string KeyIn(ModuleTestHost host) =>
        host.ReadRootFile(Wg0).Split('\n').Single(l => l.StartsWith("PrivateKey = ", StringComparison.Ordinal))["PrivateKey = ".Length..];

    /// <summary>What reached the module: every answer but the app's own whole reads (its rollback record, which a
    /// worker may not ask for: BrokerDispatchTests).</summary>
    private static string ModuleSaw(BrokerSpy spy) =>
        string.Join("\n", spy.Answered.Where(s => s.Request is not ReadFileRequest { Whole: true }).Select(s => s.Text));

    /// <summary>An answer as text, and the lines printed with it: a file's bytes as its text (JSON would show them in
    /// base64, where no key could be found).</summary>
    private static string AnswerText(BrokerSpy.Exchange answer)
    {
        var value = answer.Value is FileContent file
            ? System.Text.Encoding.UTF8.GetString(file.Bytes) + JsonSerializer.Serialize(file.PublicKeys)
            : JsonSerializer.Serialize(answer.Value);
        return value + answer.Error?.Message + string.Join("\n", answer.Output);
    }

    [Fact]
    public async Task EveryPage_ReadSaveAndNewKeyPair_NoKeyEverReachesTheModule()
    {
        var (host, spy) = Create();
        using var _ = host;
        var before = host.ReadRootFile(Wg0);

        var status = await RouterHost.RunAsync(host, "wireguard", "status", "view");
        var form = await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Query(("name", "wg0")));
        var unchanged = await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Post(form, "Save"));
        var sameBytes = host.ReadRootFile(Wg0);
        var peers = await RouterHost.RunAsync(host, "wireguard", "peers", "edit", FormPost.Query(("interface", "wg0"), ("peer", "1")));
        await RouterHost.RunAsync(host, "wireguard", "peers", "edit", FormPost.Post(peers, "Save", ("keepalive", "30")));
        var afterPeerSave = host.ReadRootFile(Wg0);
        host.Guard.Keep("root");
        form = await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Query(("name", "wg0")));
        var rekeyed = await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Post(form, "New key pair"));
        var newKey = KeyIn(host);

        Assert.Equal(before, sameBytes); // an unchanged save writes the same bytes, the key lines with them
        Assert.Contains("Nothing changed", unchanged.Descr);
        Assert.Equal(before.Replace("PersistentKeepalive = 25", "PersistentKeepalive = 30"), afterPeerSave);
        Assert.Equal(before.Replace("PersistentKeepalive = 25", "PersistentKeepalive = 30").Replace(DemoPrivateKey, newKey),
            host.ReadRootFile(Wg0)); // the preshared key stays where it was
        Assert.Equal("ww4GOOmAqd825enxo0R8vmw8NHKrGiCHiY+lweHOgww=", form.Find("public_key")!.Text);
        Assert.Equal(Acf.Broker.Crypto.Curve25519Keys.PublicKeyOf(newKey), rekeyed.Find("public_key")!.Text);
        Assert.Equal("yes", peers.Find("peers")!.Rows[0]["preshared_key"]);
        Assert.Equal("203.0.113.7:51820", status.Find("peers")!.Rows[0]["endpoint"]);
        var moduleSaw = ModuleSaw(spy);
        Assert.Contains("{secret:1}", moduleSaw); // the file did reach the module, with tokens for its keys
        Assert.Contains("(hidden)", moduleSaw); // and the dump, with its keys hidden
        Assert.DoesNotContain(DemoPrivateKey, moduleSaw);
        Assert.DoesNotContain(PresharedKey, moduleSaw);
        Assert.DoesNotContain(newKey, moduleSaw);
        Assert.Contains(spy.Answered, s => s.Request is ReadFileRequest { Whole: true } && s.Text!.Contains("PrivateKey"));
    }

    /// <summary>
    /// A running interface whose keys were set by hand (<c>wg set wg9 private-key ...</c>, a peer's preshared key)
    /// has them in no file, so the file-based scrub cannot know them; wg's dump prints them all the same. They are
    /// hidden by their place in the dump, and the status page still shows the interface and the peer.
    /// </summary>
    [Fact]
    public async Task Status_KeysSetByHandInNoFile_NeverReachTheModule()
    {
        var (host, spy) = Create();
        using var _ = host;
        const string HandPrivate = "cHJpdmF0ZS1rZXktc2V0LWJ5LWhhbmQtd2l0aC13Z3M=";
        const string HandPsk = "cHJlc2hhcmVkLXNldC1ieS1oYW5kLXdpdGgtd2ctc2U=";
        const string HandPublic = "5nEWuXUzWD8xh3qkc7Cmd4fLMJQ3vv1tnIaQ8WnSaAc=";
        host.WriteRootFile(Dump, host.ReadRootFile(Dump)
            + $"wg9\t{HandPrivate}\t{HandPublic}\t51999\toff\n"
            + $"wg9\tQrVrOnBzyMrGjwYsQA2ust9o/lNRNk+dJJVIjbxEQ0k=\t{HandPsk}\t198.51.100.9:51820\t10.9.0.2/32\t0\t0\t0\toff\n");

        var status = await RouterHost.RunAsync(host, "wireguard", "status", "view");

        var moduleSaw = ModuleSaw(spy);
        Assert.DoesNotContain(HandPrivate, moduleSaw);
        Assert.DoesNotContain(HandPsk, moduleSaw);
        Assert.DoesNotContain(DemoPrivateKey, moduleSaw);
        Assert.Contains(HandPublic, moduleSaw); // public keys are not secret
        Assert.Contains(status.Find("peers")!.Rows, row => row["endpoint"] == "198.51.100.9:51820");
    }

    [Theory]
    [InlineData(true, "wg0\tPRIV\tPUB\t51820\toff\nwg0\tPEER\tPSK\t(none)\t10.8.0.3/32\t0\t0\t0\toff\nwg0\tPEER2\t(none)\t(none)\t10.8.0.4/32\t0\t0\t0\toff",
        "wg0\t(hidden)\tPUB\t51820\toff\nwg0\tPEER\t(hidden)\t(none)\t10.8.0.3/32\t0\t0\t0\toff\nwg0\tPEER2\t(none)\t(none)\t10.8.0.4/32\t0\t0\t0\toff")]
    [InlineData(false, "PRIV\tPUB\t51820\toff\nPEER\tPSK\t(none)\t10.8.0.3/32\t0\t0\t0\toff\n",
        "(hidden)\tPUB\t51820\toff\nPEER\t(hidden)\t(none)\t10.8.0.3/32\t0\t0\t0\toff\n")]
    public void ScrubWgDump_HidesThePrivateAndPresharedKeyFields(bool all, string dump, string expected) =>
        Assert.Equal(expected, Acf.Broker.Crypto.SecretLines.ScrubWgDump(dump, all));

    [Fact]
    public async Task Write_TokenMovedToAnotherKindOfLine_RefusedAndNothingWritten()
    {
        var (host, _) = Create();
        using var __ = host;
        var before = host.Keep(Wg0);
        var broker = host.ReadyBroker;
        var caller = new BrokerCaller("root", "wireguard");
        var read = broker.Send(caller, new ReadFileRequest(Wg0)).Value!;
        var text = System.Text.Encoding.ASCII.GetString(read.Bytes);

        // The private key's token as the peer's preshared key (wg show would print it), and as an endpoint.
        var asPsk = broker.Send(caller, new WriteFileRequest(Wg0,
            System.Text.Encoding.ASCII.GetBytes(text.Replace("{secret:2}", "{secret:1}")), read.Tag));
        var asEndpoint = broker.Send(caller, new WriteFileRequest(Wg0,
            System.Text.Encoding.ASCII.GetBytes(text.Replace("203.0.113.7:51820", "{secret:1}")), read.Tag));

        Assert.Equal("PrivateKey = {secret:1}", text.Split('\n')[2]);
        Assert.Equal(BrokerErrorKind.Invalid, asPsk.Error?.Kind);
        Assert.Equal(BrokerErrorKind.Invalid, asEndpoint.Error?.Kind);
        before.AssertUnchanged();
    }

    [Fact]
    public void Answer_WorkerAsksToReadASecretFileWhole_IsAProtocolViolation()
    {
        var (host, spy) = Create();
        using var _ = host;
        var context = new BrokerCallContext(host.ReadyBroker, new BrokerCaller("root", "wireguard"), host.Catalog, null);
        using var frame = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Call, "ReadFile",
            new ReadFileRequest(Wg0, Whole: true))))!;

        Assert.Throws<WorkerProtocolException>(() => BrokerDispatch.Answer(context, frame));
        Assert.Empty(spy.Answered);
    }

    /// <summary>The rollback record on the data disk holds no key: a secret file's previous content waits in a stash
    /// beside it (0600), which the rollback restores and a keep removes.</summary>
    [Fact]
    public async Task NewKeyPair_RolledBackThenKept_RecordHoldsNoKeyAndTheStashComesAndGoes()
    {
        var (host, _) = Create();
        using var __ = host;
        var before = host.ReadRootFile(Wg0);
        var stash = host.RootPath("/etc/wireguard/.wg0.conf.acf-rollback");
        var form = await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Query(("name", "wg0")));

        await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Post(form, "New key pair"));
        var firstKey = KeyIn(host);
        var record = File.ReadAllText(Path.Combine(host.DataPath, "pending-apply.json"));
        var stashMode = File.GetUnixFileMode(stash);
        var stashed = File.ReadAllText(stash);
        host.Guard.RollBack(host.Guard.Pending!.Id, "test");
        var rolledBack = host.ReadRootFile(Wg0);
        var stashAfterRollback = File.Exists(stash);
        form = await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Query(("name", "wg0")));
        await RouterHost.RunAsync(host, "wireguard", "interfaces", "edit", FormPost.Post(form, "New key pair"));
        var secondKey = KeyIn(host);
        host.Guard.Keep("root");

        Assert.NotEqual(DemoPrivateKey, firstKey);
        Assert.DoesNotContain(DemoPrivateKey, record);
        Assert.DoesNotContain(PresharedKey, record);
        Assert.DoesNotContain(firstKey, record);
        Assert.Contains(".wg0.conf.acf-rollback", record);
        Assert.Equal(before, stashed);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, stashMode);
        Assert.Equal(before, rolledBack); // the old key is back, byte for byte
        Assert.False(stashAfterRollback);
        Assert.Equal(before.Replace(DemoPrivateKey, secondKey), host.ReadRootFile(Wg0));
        Assert.False(File.Exists(stash)); // kept: nothing will restore it
    }
}
