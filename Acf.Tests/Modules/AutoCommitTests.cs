namespace Acf.Tests.Modules;

public class AutoCommitTests
{
    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task Save_WithAutoCommitSetting_CommitsOrLeavesUncommitted(bool autoCommit, int expectedUncommitted)
    {
        using var host = ModuleTestHost.Demo();
        host.Lbu.AutoCommit = autoCommit;

        var save = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit",
            ModuleTestHost.Submit("Save", ("file", "/etc/hosts"), ("path", "/etc/hosts"),
                ("content", host.ReadRootFile("/etc/hosts") + "192.0.2.9\tcamera\n")));
        var status = await host.RunAsync(ModuleTestHost.Admin, "alpine-conf", "lbu", "status");

        Assert.True(save.Entity!.Succeeded, save.Entity.Errtxt);
        Assert.Equal(expectedUncommitted, status.Entity!.Rows.Count);
    }
}
