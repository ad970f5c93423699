using Acf.Modules;

namespace Acf.Tests.Modules;

public class HostnameModuleTests
{
    [Fact]
    public async Task Edit_ValidName_WritesEtcHostname()
    {
        using var host = new ModuleTestHost(copyRealModules: true);
        host.WriteRootFile("/etc/hostname", "old-name\n");

        var result = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "hostname", "edit",
            ModuleTestHost.Submit("Save", ("hostname", "new-box")));

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        Assert.Equal("new-box\n", host.ReadRootFile("/etc/hostname"));
    }
}
