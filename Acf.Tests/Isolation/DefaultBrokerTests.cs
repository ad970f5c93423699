using Acf.Modules.Privsep;
using Acf.Tests.Crash;

namespace Acf.Tests.Isolation;

/// <summary>
/// The app as the README's one command starts it (<c>Acf:Broker:Process</c> and <c>StartChild</c> left to their
/// defaults; the real app, through the crash runs' harness): the broker is a process of its own, the app's child, and
/// login and a save go through it.
/// </summary>
public sealed class DefaultBrokerTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("acf-default-broker-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task AppDefaults_BrokerRunsAsTheAppsChild_LoginAndSaveGoThroughIt()
    {
        using var app = await AcfProcess.StartAsync(_data, broker: null);
        using var client = await app.LoggedInClientAsync();

        var save = await client.PostAsync("/api/alpine-baselayout/hostname/edit",
            new StringContent("""{"hostname":"default-box"}""", Encoding.UTF8, "application/json"));

        Assert.True(save.IsSuccessStatusCode, $"{save.StatusCode}: {await save.Content.ReadAsStringAsync()}\n{app.Output}");
        Assert.Equal("default-box\n", File.ReadAllText(Path.Combine(app.DemoRoot, "etc", "hostname")));
        Assert.Contains("\"action\":\"login\"", File.ReadAllText(Path.Combine(_data, "audit.log")));
        Assert.Single(app.Children, pid => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(BrokerChild.Argument));
        Assert.Contains($"The broker serves {Path.Combine(_data, "run", "broker.sock")}", app.Output);
    }
}
