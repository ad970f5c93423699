using Acf.Broker.OpenRc;
using Acf.Modules.Apply;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Modules;

/// <summary>
/// Issue 20: stopping or restarting a service the admin reaches the box through (sshd, acf, networking) runs under
/// confirm-or-rollback, asks first naming what is lost, and comes back unless kept; other services are not guarded.
/// </summary>
public class ServiceAccessTests
{
    private static ModuleTestHost DemoHost(FakeTimeProvider time)
    {
        var host = ModuleTestHost.Demo();
        host.Time = time;
        return host;
    }

    private static Task<Acf.Modules.RunResult> ControlAsync(ModuleTestHost host, string service, string verb) =>
        host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "rc", "control", ModuleTestHost.Submit(verb, ("service", service)));

    private static ServiceState State(ModuleTestHost host, string service) =>
        host.ReadyBroker.Send(new BrokerCaller("test", "alpine-baselayout"), new ListServicesRequest())
            .Value!.Single(s => s.Name == service).State;

    [Fact]
    public async Task StopSshd_NotKept_PendingThenStartedAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = DemoHost(time);

        var result = await ControlAsync(host, "sshd", "Stop");

        Assert.True(result.Entity!.Succeeded, result.Error ?? result.Entity.Errtxt);
        Assert.Equal(ServiceState.Stopped, State(host, "sshd"));
        Assert.Equal("rc/control", host.Guard.Pending!.Action);
        time.Advance(TimeSpan.FromSeconds(host.Apply.ConfirmSeconds + 1));
        Assert.Equal(ServiceState.Started, State(host, "sshd"));
        Assert.Equal(ApplyOutcome.RolledBack, host.Guard.LastSettled!.Outcome);
    }

    [Fact]
    public async Task StopCrond_NotAnAccessPath_NoCountdown()
    {
        using var host = DemoHost(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var result = await ControlAsync(host, "crond", "Stop");

        Assert.True(result.Entity!.Succeeded, result.Error ?? result.Entity.Errtxt);
        Assert.Null(host.Guard.Pending);
    }

    [Theory]
    [InlineData("sshd", "Stop", "nobody can log in over SSH")]
    [InlineData("networking", "Stop", "Every interface goes down")]
    [InlineData("acf", "Restart", "This web interface goes away")]
    public async Task Form_AccessService_QuestionNamesTheConsequenceAndTheRollback(string service, string verb, string consequence)
    {
        using var host = DemoHost(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var form = await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "rc", "control",
            ModuleTestHost.Submit("Open", ("service", service)));

        var question = form.Entity!.Options.Single(o => o.Value == verb).Confirm;
        Assert.Contains(consequence, question);
        Assert.Contains("when the countdown ends", question);
    }

    /// <summary>acf cannot start itself once stopped: it offers Restart, never Stop, and a posted Stop is refused.</summary>
    [Fact]
    public async Task StopAcf_NotOfferedAndRefused()
    {
        using var host = DemoHost(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var result = await ControlAsync(host, "acf", "Stop");

        Assert.False(result.Entity!.Succeeded);
        Assert.DoesNotContain(result.Entity.Options, o => o.Value == "Stop");
        Assert.Equal(ServiceState.Started, State(host, "acf"));
    }

    /// <summary>Issue 20: the services list carries its states' colours and a Start/Stop/Restart per row that runs
    /// rc/control, each row with its own question.</summary>
    [Fact]
    public async Task Status_Rows_ToneKeyAndOwnQuestionsForRowButtons()
    {
        using var host = DemoHost(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var list = (await host.RunAsync(ModuleTestHost.Admin, "alpine-baselayout", "rc", "status")).Entity!;

        Assert.Equal(("service", "rc/control"), (list.Key, list.Action));
        Assert.Equal(["Start", "Stop", "Restart"], list.Options.Select(o => o.Value));
        var sshd = list.Rows.Single(r => r["name"] == "sshd");
        Assert.Equal(("started", "success", "sshd"), (sshd["state"], sshd["state@tone"], sshd["@key"]));
        Assert.Contains("when the countdown ends", sshd["@confirm Stop"]);
        Assert.DoesNotContain("countdown", list.Rows.Single(r => r["name"] == "crond")["@confirm Stop"]);
    }

    /// <summary>A row's button is a run of rc/control: a user whose roles grant only the list is refused on the server.</summary>
    [Fact]
    public async Task StopFromTheList_UserWithoutControl_Forbidden()
    {
        using var host = DemoHost(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var result = await host.RunAsync(ModuleTestHost.User, "alpine-baselayout", "rc", "control",
            ModuleTestHost.Submit("Stop", ("service", "crond")));

        Assert.Equal(Acf.Modules.RunStatus.Forbidden, result.Status);
        Assert.Equal(ServiceState.Started, State(host, "crond"));
    }
}
