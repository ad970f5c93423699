using System.Net.Http.Json;

namespace Acf.Tests.Web;

public class ApiDocumentTests(SharedApp app) : IClassFixture<SharedApp>
{
    private async Task<JsonElement> DocumentAsync()
    {
        var client = app.Factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);
        var response = await client.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task OpenApi_WithoutLogin_Returns401()
    {
        var response = await app.Factory.CreateBrowserLikeClient().GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Paths_AreExactlyTheManifestsActionsOnThisHost()
    {
        var catalog = app.Factory.Services.GetRequiredService<ModuleCatalog>();
        var conditions = app.Factory.Services.GetRequiredService<ModuleConditionsCheck>();

        var document = await DocumentAsync();

        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        var modulePaths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name)
            .Where(p => p.Split('/').Length == 5 && !p.StartsWith("/api/apply/")).Order().ToList();
        var expected = catalog.Modules.Where(conditions.IsAvailable)
            .SelectMany(m => m.Actions.Select(a => $"/api/{m.Prefix}/{a}")).Order().ToList();
        Assert.Equal(expected, modulePaths);
        Assert.Contains("/api/alpine-baselayout/hostname/edit", modulePaths);
        foreach (var path in modulePaths)
        {
            var parts = path.Split('/');
            Assert.True(File.Exists(Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua", parts[2], parts[3] + ".lua")), path);
        }
    }

    [Fact]
    public async Task OpenApi_EachAction_HasGetAndPostWithTheRolesThatMayCallIt()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        string[] Roles(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("x-acf-roles")
            .EnumerateArray().Select(r => r.GetString()!).ToArray();

        Assert.Equal(["GUEST", "USER", "EDITOR", "EXPERT", "ADMIN"], Roles("/api/alpine-baselayout/hostname/read", "get"));
        Assert.Equal(["EDITOR", "EXPERT", "ADMIN"], Roles("/api/alpine-baselayout/hostname/edit", "post"));
        var edit = paths.GetProperty("/api/alpine-baselayout/hostname/edit");
        Assert.Equal("#/components/schemas/Input", edit.GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(paths.GetProperty("/api/alpine-baselayout/interfaces/edit").GetProperty("post").GetProperty("x-acf-confirm").GetBoolean());
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("Cfe", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer")
            .GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task OpenApi_CustomRoleInRolesFile_IsListedForWhatItGrants()
    {
        using var factory = new AcfAppFactory();
        _ = factory.Services;
        File.WriteAllText(Path.Combine(factory.DemoRoot, "etc/acf/roles"), "OPS:/alpine-baselayout/hostname/edit\n");
        var client = factory.CreateBrowserLikeClient();
        await AcfAppFactory.LoginAsync(client, "root", AcfAppFactory.AdminPassword);

        var document = await client.GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var paths = document.GetProperty("paths");
        string[] Roles(string path) => paths.GetProperty(path).GetProperty("get").GetProperty("x-acf-roles")
            .EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.Equal(["EDITOR", "EXPERT", "ADMIN", "OPS"], Roles("/api/alpine-baselayout/hostname/edit"));
        Assert.DoesNotContain("OPS", Roles("/api/alpine-baselayout/dns/edit"));
    }
}
