using static Acf.Tests.Modules.FormPost;
using static Acf.Tests.Modules.Router.RouterHost;

namespace Acf.Tests.Modules.Router;

/// <summary>The openssh module over the demo tree, beyond its fixtures: fingerprints as ssh-keygen prints them,
/// settings outside Match blocks changed with the blocks left alone, and the real sshd -t checking each save.</summary>
public class OpensshModuleTests
{
    private const string Conf = "/etc/ssh/sshd_config";
    private const string RootKeys = "/root/.ssh/authorized_keys";

    // Made with ssh-keygen -t rsa -b 2048 -C backup@nas; ssh-keygen -lf printed the fingerprint below.
    private const string RsaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDl6aRqOORhKKs6A8KFVn8rtPX54WNacgoEUmK2VHPVyQ0ePXQVB+dRdLMuHrfN9wnurZhL48sIIjbLquXsss0y2OI2NDUVUX+dhKR3QYJ40nVRAk9vwRURvmpfBQ89GQzxrrOu3dmVD71qwE1jlKgEfjDaeac7/gtQGvI/7VBPoCyjtR7yDI8hMNzXS5DEDdOpqdzSWJ7wx1v3SW65dz6W+XfM2qmVSrN0TcEbvPOPNTgBCy5pfToLEgEv149Kdw/4iDZTLgnH9IKn7Cj4IrHr0TkMLzdkAg9FDg8DLGzUfT3+qtNobJrpqVC/6m6+p/mtWR3Mtpu5ht4BHw56YC71 backup@nas";
    private const string RsaFingerprint = "SHA256:nLplgmr0HRBYnJdjSV+nLzO4Cdez2wn6HfG+LzG4PHk";
    private const string DemoKeyFingerprint = "SHA256:TWER9Ht86gPesNcylKTNGZDQaJy59uIJ7lSzsLPCyt0";

    [Fact]
    public async Task Keys_Read_ShowsSshKeygensFingerprints()
    {
        using var host = Create();
        host.WriteRootFile(RootKeys, host.ReadRootFile(RootKeys)
            + "# the backup box\ncommand=\"rsync --server -e.Lsfx . /srv\",no-pty " + RsaKey + "\n");

        var form = await RunAsync(host, "openssh", "keys", "edit");

        var rows = form.Find("fingerprints")!.Rows;
        Assert.Equal([DemoKeyFingerprint, RsaFingerprint], rows.Select(r => r["fingerprint"]));
        Assert.Equal(["admin@laptop", "backup@nas"], rows.Select(r => r["comment"]));
        Assert.Equal("command=\"rsync --server -e.Lsfx . /srv\",no-pty", rows[1]["options"]);
    }

    [Fact]
    public async Task Keys_AddAKey_KeepsCommentsAndOptionsOfTheOthers()
    {
        using var host = Create();
        var kept = "# the laptop\n" + host.ReadRootFile(RootKeys);
        host.WriteRootFile(RootKeys, kept);
        var form = await RunAsync(host, "openssh", "keys", "edit");

        var result = await RunAsync(host, "openssh", "keys", "edit",
            Post(form, "Save", ("keys", string.Join("\n", form.Find("keys")!.Items.Append(RsaKey)))));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(kept + RsaKey + "\n", host.ReadRootFile(RootKeys));
        Assert.Equal(RsaFingerprint, result.Find("fingerprints")!.Rows[1]["fingerprint"]);
    }

    [Fact]
    public async Task Config_PasswordOff_WithAMatchBlock_AddsTheGlobalLineBeforeItAndLeavesTheBlock()
    {
        using var host = Create();
        const string text = "Port 22\nSubsystem sftp internal-sftp\n\nMatch User backup\n\tPasswordAuthentication yes\n\tForceCommand internal-sftp\n";
        host.WriteRootFile(Conf, text);

        var result = await SaveAsync(host, "openssh", "config", ("password_authentication", "false"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(text.Replace("Match User", "PasswordAuthentication no\nMatch User"), host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task Config_PortWithEquals_ChangedInPlaceKeepingTheSeparator()
    {
        using var host = Create();
        host.WriteRootFile(Conf, "# box\r\n  port = 22\r\nPermitRootLogin yes");

        var result = await SaveAsync(host, "openssh", "config", ("port", "2222"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal("# box\r\n  port = 2222\r\nPermitRootLogin yes", host.ReadRootFile(Conf));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Config_Save_CheckedByTheRealSshd()
    {
        using var host = Create();
        var result = await SaveAsync(host, "openssh", "config", ("port", "22\n2222"));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Module == "openssh" && e.Target.StartsWith("sshd -t -f"));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task Config_FileSshdRefuses_SaveRefusedWithSshdsComplaintAndNothingWritten()
    {
        using var host = Create();
        host.WriteRootFile(Conf, host.ReadRootFile(Conf) + "Match Nobody knows\n");
        var before = host.Keep(Conf);

        var result = await SaveAsync(host, "openssh", "config", ("port", "2222"));

        before.AssertRefused(result, "Match");
    }
}
