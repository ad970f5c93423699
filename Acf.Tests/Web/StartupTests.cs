using Acf.Tests.Modules;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Acf.Tests.Web;

/// <summary>A misconfigured appliance fails at boot with the key named, not on the first click.</summary>
public class StartupTests
{
    [Theory]
    [InlineData("Acf:System:Mode", "sometimes", "Acf:System:Mode must be auto, alpine or demo")]
    [InlineData("Acf:Modules:WallTimeSeconds", "0", "WallTimeSeconds")]
    [InlineData("Acf:Auth:IdleTimeoutMinutes", "-5", "IdleTimeoutMinutes")]
    [InlineData("Acf:Exec:Through:0", "nsenter", "Acf:Exec:Through must start with the absolute path of a program")]
    public void Start_InvalidOption_FailsNamingIt(string key, string value, string expected)
    {
        var data = Directory.CreateTempSubdirectory("acf-start-").FullName;
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Acf:Data:Path", data);
            builder.UseSetting("Acf:System:Mode", "demo");
            builder.UseSetting("Acf:System:DemoSource", Path.Combine(ModuleTestHost.RepositoryRoot, "demo"));
            builder.UseSetting(key, value);
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Services);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException aggregate ? aggregate.InnerExceptions[0] : error);
        Assert.Contains(expected, validation.Message);
        Directory.Delete(data, recursive: true);
    }
}
