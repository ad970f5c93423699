using Acf.Broker.Crypto;

namespace Acf.Tests.Broker;

/// <summary>
/// Private keys made by the broker (issue 21, WireGuard): the key is written into its file at mode 0600 and never
/// handed back; its public key is answered. A path declared <c>secret</c> keeps no history version and its audit
/// lines name the file only, so neither the history page nor the audit log can show the key.
/// </summary>
public sealed class WriteNewKeyTests : CapabilityProbeTests
{
    private const string Module = "keys";
    private const string Conf = "/etc/wireguard/wg9.conf";

    private static readonly BrokerCaller Caller = new("alice", Module);

    public WriteNewKeyTests() : base(Module, """
        { "write": [ "/etc/wireguard/", "/etc/plain/" ], "secret": [ "/etc/wireguard/" ] }
        """)
    {
        Directory.CreateDirectory(Host.RootPath("/etc/wireguard"));
        Directory.CreateDirectory(Host.RootPath("/etc/plain"));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private string PrivateKeyInFile() =>
        Host.ReadRootFile(Conf).Split('\n').Single(l => l.StartsWith("PrivateKey = ", StringComparison.Ordinal))["PrivateKey = ".Length..];

    /// <summary>Every byte Acf keeps in its data folder (audit log, history, intents), as text.</summary>
    private string DataFolderText() => string.Join("\n", Directory.EnumerateFiles(Host.DataPath, "*", SearchOption.AllDirectories)
        .Where(f => !f.StartsWith(Path.Combine(Host.DataPath, "demo-root"), StringComparison.Ordinal))
        .Select(File.ReadAllText));

    [Fact]
    public void WriteNewKey_WritesThePrivateKeyAt0600AndAnswersOnlyItsPublicKey()
    {
        var result = Broker.Send(Caller, new WriteNewKeyRequest(Conf, Bytes("[Interface]\nPrivateKey = {private-key}\nListenPort = 51820\n")));

        Assert.True(result.Ok, result.Error?.Message);
        var privateKey = PrivateKeyInFile();
        Assert.Equal(Curve25519Keys.PublicKeyOf(privateKey), result.Value!.PublicKey);
        Assert.NotEqual(privateKey, result.Value.PublicKey);
        Assert.DoesNotContain(privateKey, System.Text.Json.JsonSerializer.Serialize(result.Value));
        Assert.EndsWith("\nListenPort = 51820\n", Host.ReadRootFile(Conf));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Host.RootPath(Conf)));
        Assert.True(result.Value.Write.Changed);
    }

    [Fact]
    public void WriteNewKey_ReplacingAFileWithAKey_KeepsNoHistoryAndAuditsTheFileByNameOnly()
    {
        Assert.True(Broker.Send(Caller, new WriteNewKeyRequest(Conf, Bytes("[Interface]\nPrivateKey = {private-key}\n"))).Ok);
        var first = PrivateKeyInFile();

        var second = Broker.Send(Caller, new WriteNewKeyRequest(Conf, Bytes("[Interface]\nPrivateKey = {private-key}\nListenPort = 1\n")));
        var removed = Broker.Send(Caller, new RemoveFileRequest(Conf));

        Assert.True(second.Ok && removed.Ok);
        Assert.Empty(Broker.Send(Caller, new HistoryRequest(Conf)).Value!);
        var kept = DataFolderText();
        Assert.DoesNotContain(first, kept);
        Assert.DoesNotContain(Convert.ToBase64String(Convert.FromBase64String(first)), kept);
        var entries = Host.Audit.ReadAll().Where(e => e.Target == Conf).ToList();
        Assert.Equal(["write", "write", "remove"], entries.Select(e => e.Action));
        Assert.All(entries.SelectMany(e => e.Files ?? []), f => Assert.Null(f.After));
        Assert.All(entries.SelectMany(e => e.Files ?? []), f => Assert.Null(f.Before));
    }

    [Fact]
    public void WriteFile_ToASecretPath_KeepsNoHistoryOfTheKeyItReplaces()
    {
        const string key = "QJ0rC1mFq1C3hCqsqS2gQ+Mq4vW3jZ1b3O4bXvS2d0s=";
        Host.WriteRootFile(Conf, $"[Interface]\nPrivateKey = {key}\n");

        var result = Broker.Send(Caller, new WriteFileRequest(Conf, Bytes($"[Interface]\nPrivateKey = {key}\nListenPort = 51820\n")));

        Assert.True(result.Ok, result.Error?.Message);
        Assert.Empty(Broker.Send(Caller, new HistoryRequest(Conf)).Value!);
        Assert.DoesNotContain(key, DataFolderText());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Host.RootPath(Conf)));
    }

    [Fact]
    public void WriteNewKey_ToAPathNotDeclaredSecret_RefusedAndNothingWritten()
    {
        var result = Broker.Send(Caller, new WriteNewKeyRequest("/etc/plain/wg0.conf", Bytes("PrivateKey = {private-key}\n")));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Denied, result.Error!.Kind);
        Assert.False(File.Exists(Host.RootPath("/etc/plain/wg0.conf")));
    }

    [Theory]
    [InlineData("[Interface]\nListenPort = 1\n")]
    [InlineData("PrivateKey = {private-key}\n# {private-key}\n")]
    public void WriteNewKey_WithoutExactlyOnePlaceholder_RefusedAndNothingWritten(string text)
    {
        var result = Broker.Send(Caller, new WriteNewKeyRequest(Conf, Bytes(text)));

        Assert.False(result.Ok);
        Assert.Equal(BrokerErrorKind.Invalid, result.Error!.Kind);
        Assert.False(File.Exists(Host.RootPath(Conf)));
        Assert.DoesNotContain(Host.Audit.ReadAll(), e => e.Target == Conf);
    }

    [Fact]
    public void WriteNewKey_FileChangedSinceRead_RefusedAsConflict()
    {
        Host.WriteRootFile(Conf, "[Interface]\n");

        var result = Broker.Send(Caller, new WriteNewKeyRequest(Conf, Bytes("[Interface]\nPrivateKey = {private-key}\n"), FileTags.Absent));

        Assert.Equal(BrokerErrorKind.Conflict, result.Error!.Kind);
        Assert.Equal("[Interface]\n", Host.ReadRootFile(Conf));
    }
}
