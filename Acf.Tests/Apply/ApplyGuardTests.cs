using Acf.Modules;
using Acf.Modules.Apply;
using Acf.Modules.Cfe;
using Acf.Tests.Modules;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Apply;

/// <summary>Confirm-or-rollback through the runner: a guarded save is live, then kept or undone.</summary>
public class ApplyGuardTests
{
    private const string Manifest = """
        { "title": "Network", "roles": { "ADMIN": [ "net/save", "net/other" ] },
          "confirm": [ "net/save" ],
          "capabilities": { "write": [ "/etc/network/interfaces", "/etc/other.conf" ], "services": [ "networking" ] } }
        """;

    private const string Controller = """
        local M = {}
        local function save(path, input)
          local changed, err = acf.fs.write(path, input.text)
          if changed == nil then return { type = "form", errtxt = err, submitted = true, value = {} } end
          acf.service.restart("networking")
          return { type = "form", submitted = true, descr = "applied", value = {} }
        end
        function M.save(ctx, input) return save("/etc/network/interfaces", input) end
        function M.other(ctx, input) return save("/etc/other.conf", input) end
        return M
        """;

    private const string Before = "auto eth0\niface eth0 inet dhcp\n";
    private const string After = "auto eth0\niface eth0 inet static\n\taddress 192.0.2.9/24\n";

    private static (ModuleTestHost Host, FakeTimeProvider Time) NewHost()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = new ModuleTestHost { Time = time };
        host.CopyDemoTree();
        host.WriteRootFile("/etc/network/interfaces", Before);
        host.AddModule("net", Manifest, ("net", Controller));
        return (host, time);
    }

    private static ModuleInput Save(string text, bool @unchecked = false) =>
        ModuleTestHost.Submit("Save", ("text", text)) with { Unchecked = @unchecked };

    [Fact]
    public async Task Save_GuardedAction_LiveAndPending()
    {
        var (host, _) = NewHost();
        using var _ = host;

        var result = await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));

        Assert.True(result.Entity!.Succeeded);
        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
        var pending = Assert.IsType<PendingApply>(host.Guard.Pending);
        Assert.Equal("net/save", pending.Action);
        Assert.True(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
    }

    [Fact]
    public async Task Countdown_NotKept_RestoresFileAndRestartsService()
    {
        var (host, time) = NewHost();
        using var _ = host;
        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));
        var restartsBefore = host.Audit.ReadAll().Count(e => e.Action == "service-restart");

        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));

        Assert.Null(host.Guard.Pending);
        Assert.Equal(Before, host.ReadRootFile("/etc/network/interfaces"));
        Assert.Equal(restartsBefore + 1, host.Audit.ReadAll().Count(e => e.Action == "service-restart"));
        Assert.False(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
    }

    [Fact]
    public async Task Keep_BeforeTheDeadline_ChangeStays()
    {
        var (host, time) = NewHost();
        using var _ = host;
        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));

        Assert.True(host.Guard.Keep("root"));
        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));

        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Save_WhileAnotherIsPending_RefusedAndNothingWritten()
    {
        var (host, _) = NewHost();
        using var _ = host;
        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));

        var second = await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save("auto lo\n"));

        Assert.Equal(RunStatus.Failed, second.Status);
        Assert.Contains("waiting to be kept or rolled back", second.Error);
        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
    }

    [Fact]
    public async Task Save_Unchecked_NoCountdown()
    {
        var (host, _) = NewHost();
        using var _ = host;

        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After, @unchecked: true));

        Assert.Null(host.Guard.Pending);
        Assert.Equal(After, host.ReadRootFile("/etc/network/interfaces"));
    }

    [Fact]
    public async Task Save_UnguardedAction_NoCountdown()
    {
        var (host, _) = NewHost();
        using var _ = host;

        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "other", Save("x=1\n"));

        Assert.Null(host.Guard.Pending);
    }

    [Fact]
    public async Task Start_WithPendingChangeOnDisk_RollsItBack()
    {
        var (host, _) = NewHost();
        using var _ = host;
        await host.RunAsync(ModuleTestHost.Admin, "net", "net", "save", Save(After));
        var afterRestart = new ApplyGuard(host.Broker, host.Host, Options.Create(host.Apply), TimeProvider.System,
            NullLogger<ApplyGuard>.Instance);

        await afterRestart.StartAsync(CancellationToken.None);

        Assert.Null(afterRestart.Pending);
        Assert.Equal(Before, host.ReadRootFile("/etc/network/interfaces"));
        Assert.False(File.Exists(Path.Combine(host.DataPath, "pending-apply.json")));
    }
}
