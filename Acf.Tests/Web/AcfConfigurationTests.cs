using Acf.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Acf.Tests.Web;

/// <summary>
/// The order of configuration on a box: the defaults, then /etc/acf/appsettings.json over them. Published, the app's
/// own appsettings.json is the defaults file, which must then be read once, first, and not again after /etc/acf.
/// </summary>
public sealed class AcfConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acf-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadOnlyFirst_ContentRootIsTheDefaultsFolder_BoxSettingsWin()
    {
        var defaults = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(defaults, """{ "Acf": { "Lbu": { "AutoCommit": false } } }""");
        var box = Path.Combine(_dir, "etc-acf.json");
        File.WriteAllText(box, """{ "Acf": { "Lbu": { "AutoCommit": true } } }""");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _dir, EnvironmentName = "Production" });
        var sources = builder.Configuration.Sources;
        sources.Insert(0, Json(box));
        sources.Insert(0, Json(defaults));

        AcfConfiguration.LoadOnlyFirst(sources, defaults);

        Assert.Equal("True", builder.Configuration["Acf:Lbu:AutoCommit"]);
        Assert.Single(sources.OfType<JsonConfigurationSource>(), s => s.Path == "appsettings.json");
    }

    [Fact]
    public void LoadOnlyFirst_OtherFiles_AreKept()
    {
        var defaults = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(defaults, "{}");
        File.WriteAllText(Path.Combine(_dir, "appsettings.Production.json"), "{}");
        var sources = new List<IConfigurationSource> { Json(defaults), Json(Path.Combine(_dir, "appsettings.Production.json")) };

        AcfConfiguration.LoadOnlyFirst(sources, defaults);

        Assert.Equal(2, sources.Count);
    }

    private static JsonConfigurationSource Json(string path) => new()
    {
        FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(path)!),
        Path = Path.GetFileName(path),
        Optional = false,
    };
}
