using System.Net.Http.Json;

namespace Acf.Tests.Web;

/// <summary>The diagnostics and system modules through the REST API: the same actions, the same checks, and the
/// backup's bytes intact in JSON.</summary>
public class SysdiagApiTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Ping_OptionAsTarget_Returns400WithFieldErrorAndRunsNothing()
    {
        var client = await app.Factory.LoggedInClientAsync();

        var response = await client.PostAsync("/api/diagnostics/tools/ping", AcfAppFactory.Json("""{"submit":"Run","target":"--help"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var form = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A target cannot begin with '-'.", form.GetProperty("value").GetProperty("target").GetProperty("errtxt").GetString());
        Assert.DoesNotContain("--help", File.ReadAllText(Path.Combine(app.Factory.DataPath, "audit.log")));
    }

    [Fact]
    public async Task BackupDownload_Submit_ArchiveBytesArriveIntactAsBase64()
    {
        var client = await app.Factory.LoggedInClientAsync();

        var response = await client.PostAsync("/api/system/backup/download", AcfAppFactory.Json("""{"submit":"Create backup"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = await response.Content.ReadFromJsonAsync<JsonElement>();
        var archive = form.GetProperty("value").GetProperty("archive").GetProperty("value").GetProperty("$bytes").GetString()!;
        var members = Acf.Broker.Lbu.ApkovlInspection.Read(Convert.FromBase64String(archive), out var error);
        Assert.Null(error);
        Assert.Contains(members!, m => m.Name == "etc/hostname");
    }
}
