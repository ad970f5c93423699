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
            // The app's own validation. With the default broker child, the child validates the same options first and
            // exits with the key named in the shared log; the app then fails to reach it (checked by hand, 2026-12-07).
            builder.UseSetting("Acf:Broker:Process", "in-process");
            builder.UseSetting(key, value);
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Services);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException aggregate ? aggregate.InnerExceptions[0] : error);
        Assert.Contains(expected, validation.Message);
        Directory.Delete(data, recursive: true);
    }

    /// <summary>
    /// An old file that still puts module code on a thread of the app (<c>Acf:Modules:Isolation = thread</c>, a key that
    /// is gone): the appliance still comes up, its log says the key is no longer read and what holds instead, and module
    /// code runs where the log says, in a worker process.
    /// </summary>
    [Fact]
    public async Task Start_RetiredIsolationThread_WarnsAndRunsModulesInWorkers()
    {
        using var app = new AcfAppFactory();
        app.Settings["Acf:Modules:Isolation"] = "thread";
        var services = app.Services;

        Assert.Contains(app.LogLines, line => line.StartsWith("Acf:Modules:Isolation = thread is no longer read: module code "
            + "always runs in worker processes", StringComparison.Ordinal));
        var pool = services.GetRequiredService<ModuleWorkerPool>();
        Assert.Same(pool, services.GetRequiredService<IActionExecutor>());
        var result = await services.GetRequiredService<ModuleRunner>().RunAsync(ModuleTestHost.Admin, "alpine-baselayout",
            "hostname", "read", ModuleInput.Empty);
        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.NotEmpty(pool.RunningProcessIds);
    }

    [Fact]
    public void Start_WithoutRetiredKeys_WarnsOfNone()
    {
        using var app = new AcfAppFactory();
        _ = app.Services;

        Assert.DoesNotContain(app.LogLines, line => line.Contains("is no longer read", StringComparison.Ordinal));
    }
}
