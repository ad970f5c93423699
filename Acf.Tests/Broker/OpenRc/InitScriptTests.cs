using Acf.Broker.OpenRc;

namespace Acf.Tests.Broker.OpenRc;

public sealed class InitScriptTests
{
    [Fact]
    public void Parse_Sshd_ReadsDescriptionAndExtraCommands()
    {
        var script = InitScript.Parse(OpenRcTestRoot.Fixture("sshd.initd"));

        Assert.Equal("OpenBSD Secure Shell server", script.Description);
        Assert.Equal(["checkconfig"], script.ExtraCommands);
        Assert.Equal(["reload"], script.ExtraStartedCommands);
        Assert.Equal(["checkconfig", "reload"], script.AllExtraCommands);
        Assert.Null(script.Supervisor);
    }

    [Fact]
    public void Parse_CrondWithoutDescription_KeepsNameAsWritten()
    {
        var script = InitScript.Parse(OpenRcTestRoot.Fixture("crond.initd"));

        Assert.Null(script.Description);
        Assert.Empty(script.AllExtraCommands);
        Assert.Equal("busybox $SVCNAME", script.Name);
    }

    [Fact]
    public void Parse_Squid_ReadsBothStartedCommands()
    {
        var script = InitScript.Parse(OpenRcTestRoot.Fixture("squid.initd"));

        Assert.Null(script.Description);
        Assert.Equal(["reload", "rotate"], script.ExtraStartedCommands);
    }

    [Fact]
    public void Parse_Local_ReadsDescriptionAndNoCommands()
    {
        var script = InitScript.Parse(OpenRcTestRoot.Fixture("local.initd"));

        Assert.Equal("Executes user programs in /etc/local.d", script.Description);
        Assert.Empty(script.AllExtraCommands);
    }

    [Fact]
    public void Parse_Quirks_TakesLastTopLevelAssignmentsOnly()
    {
        var script = InitScript.Parse(OpenRcTestRoot.Fixture("quirks.initd"));

        Assert.Equal("Relays \"events\" from the bus\nto the log", script.Description);
        Assert.Equal(["checkconfig", "flush"], script.ExtraCommands);
        Assert.Empty(script.ExtraStartedCommands);
        Assert.Equal(["wipe"], script.ExtraStoppedCommands);
        Assert.Equal("supervise-daemon", script.Supervisor);
        Assert.Equal("quirks daemon", script.Name);
    }

    [Fact]
    public void Parse_ExtraCommandsSet_IgnoresOpts()
    {
        var script = InitScript.Parse("#!/sbin/openrc-run\nopts=\"old\"\nextra_commands=\"new\"\n");

        Assert.Equal(["new"], script.ExtraCommands);
    }
}
