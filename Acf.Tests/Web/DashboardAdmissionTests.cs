using System.Security.Claims;
using Acf.Web.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace Acf.Tests.Web;

/// <summary>
/// Right after login the dashboard showed "Busy: root already runs 2 actions": opening it starts several actions at
/// once (its overview, the shared live sample, the attention counts, the app bar's lbu count, and another tab's), and
/// beyond <c>Acf:Modules:ActionsPerUser</c> the runner refused them. Here root's two places are held by the dashboards
/// of two tabs whose overview waits inside the broker (released when the test chooses, so nothing depends on timing);
/// the dashboard of a third tab must wait its turn and then show the overview, never "Busy".
/// </summary>
public sealed class DashboardAdmissionTests : TabsTest
{
    private readonly HoldingBroker _holding = new(calls: 2);

    public DashboardAdmissionTests() =>
        App.TestServices.Add(services => services.AddSingleton<ISystemBroker>(sp => _holding.Around(sp.GetRequiredService<SystemBroker>())));

    public override ValueTask DisposeAsync()
    {
        _holding.Release(); // what the broker still holds ends before the tabs close
        return base.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_OpenedWhileTheUsersShareIsTaken_WaitsItsTurnAndShowsTheOverviewNotBusy()
    {
        var runner = App.Services.GetRequiredService<ModuleRunner>();
        var first = Tabs.Open().Render<Dashboard>();
        var second = Tabs.Open().Render<Dashboard>();
        await _holding.Held.WaitAsync(TimeSpan.FromMinutes(2));
        // While its checks still run a dashboard says so; "Nothing needs attention" would be a claim not yet made.
        Assert.NotEmpty(first.FindAll("#dash-attention-checking"));
        Assert.Empty(first.FindAll("#dash-attention-none"));

        var third = Tabs.Open().Render<Dashboard>();
        // Its overview waits for one of root's places (before: refused at once, and the page showed no overview).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (runner.WaitingActions(UserStore.FirstAdmin) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the third dashboard's overview never waited for a place");
            await Task.Delay(20);
        }
        Assert.Empty(third.FindAll("#dash-disk"));
        _holding.Release();

        foreach (var page in new[] { first, second, third })
        {
            page.WaitForElement("#dash-disk", TimeSpan.FromMinutes(2));
            Assert.DoesNotContain("Busy", page.Markup, StringComparison.Ordinal);
            page.WaitForAssertion(() => Assert.Empty(page.FindAll("#dash-attention-checking")), TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>
    /// Issue 19: every component is state and two render trees in each open tab, so the dashboard's cards are
    /// MudBlazor's markup written out (the classes MudGrid, MudItem, MudPaper and MudText render) instead of those
    /// components, and its usage bars and the list of what needs attention (MudList's) are markup too. The page must look the same: the same elements and classes, and
    /// none of those components left.
    /// </summary>
    [Fact]
    public void Dashboard_Cards_AreMudBlazorsMarkupWithoutItsComponents()
    {
        _holding.Release();
        var page = Tabs.Open().Render<Dashboard>();
        page.WaitForElement("#dash-disk", TimeSpan.FromMinutes(2));
        page.WaitForElement("#dash-cpu-value", TimeSpan.FromMinutes(2));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#dash-attention-checking")), TimeSpan.FromMinutes(2));

        var disk = page.Find("#dash-disk");
        Assert.Equal("div", disk.LocalName);
        Assert.Equal(["mud-paper", "mud-paper-outlined", "pa-4", "acf-dash-card"], disk.ClassList);
        Assert.Equal(["mud-grid-item", "mud-grid-item-xs-12", "mud-grid-item-sm-6", "mud-grid-item-md-4"], disk.ParentElement!.ClassList);
        Assert.Equal(["mud-grid", "mud-grid-spacing-xs-3", "justify-start"], disk.ParentElement.ParentElement!.ClassList);
        Assert.Equal(["mud-typography", "mud-typography-overline"], disk.FirstElementChild!.ClassList);
        var facts = page.Find("#dash-facts");
        Assert.Equal("p", facts.LocalName);
        Assert.Equal(["mud-typography", "mud-typography-body2", "mb-4"], facts.ClassList);
        var cpu = page.Find("#dash-cpu-value");
        Assert.Equal("h4", cpu.LocalName);
        Assert.Equal(["mud-typography", "mud-typography-h4"], cpu.ClassList);

        var bar = page.Find("#dash-disk .acf-dash-disk[data-mount='/'] .acf-usage-bar"); // a usage bar is markup too
        Assert.Equal("meter", bar.GetAttribute("role"));
        Assert.Equal(["acf-usage-fill", "acf-usage-ok"], bar.FirstElementChild!.ClassList);
        Assert.Matches(@"^width: \d+(\.\d)?%$", bar.FirstElementChild.GetAttribute("style"));

        // The demo's local service is stopped though in the default runlevel: an item that links to its control page.
        var item = page.Find("#dash-attention .mud-list > a.acf-dash-attention-item[href^='/alpine-baselayout/rc/control']");
        Assert.Equal(["mud-list-item", "mud-list-item-dense", "mud-list-item-gutters", "mud-list-item-clickable", "mud-ripple", "acf-dash-attention-item"], item.ClassList);
        Assert.Equal(["mud-icon-root", "mud-svg-icon", "mud-warning-text", "mud-icon-size-medium"], item.QuerySelector(".mud-list-item-icon > svg")!.ClassList);
        Assert.Contains("local is stopped", item.QuerySelector(".mud-list-item-text > p.mud-typography-body2")!.TextContent, StringComparison.Ordinal);

        Assert.Empty(page.FindComponents<MudBlazor.MudList<string>>());
        Assert.Empty(page.FindComponents<MudBlazor.MudListItem<string>>());
        Assert.Empty(page.FindComponents<MudBlazor.MudGrid>());
        Assert.Empty(page.FindComponents<MudBlazor.MudItem>());
        Assert.Empty(page.FindComponents<MudBlazor.MudPaper>());
        Assert.Empty(page.FindComponents<MudBlazor.MudText>());
    }

    /// <summary>
    /// Issue 19: under load, tabs closed while their reads still waited for one of the user's places left those reads
    /// queued, and they ran for nobody, keeping the workers busy long after every tab had gone. Closing the page must
    /// take its waiting read out of the queue.
    /// </summary>
    [Fact]
    public async Task Dashboard_ClosedWhileItsOverviewWaitsForAPlace_LeavesTheQueue()
    {
        var runner = App.Services.GetRequiredService<ModuleRunner>();
        Tabs.Open().Render<Dashboard>();
        Tabs.Open().Render<Dashboard>();
        await _holding.Held.WaitAsync(TimeSpan.FromMinutes(2));
        var closing = Tabs.Open();
        closing.Render<Dashboard>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (runner.WaitingActions(UserStore.FirstAdmin) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the third dashboard's overview never waited for a place");
            await Task.Delay(20);
        }

        await Tabs.CloseAsync(closing); // the tab closes: its circuit disposes the page

        // Cancelling a waiter takes it out of the queue at once; the bound is only so that a broken test ends.
        var left = System.Diagnostics.Stopwatch.StartNew();
        while (runner.WaitingActions(UserStore.FirstAdmin) != 0 && left.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(20);
        Assert.True(runner.WaitingActions(UserStore.FirstAdmin) == 0, "the closed tab's read still waits for a place");
    }

    /// <summary>
    /// Issue 19: a dashboard closed while its overview was still being read went on, once the read came back, to
    /// watch the shared live sampler, and nothing ever stopped that watch: the sampler ran health/live every 2 s for
    /// good, holding the closed page (and its circuit) in memory and the workers busy. After every tab closes, the
    /// sampler must stop.
    /// </summary>
    [Fact]
    public async Task Dashboard_ClosedWhileItsOverviewIsRead_NoWatchIsLeftBehind()
    {
        var sampler = App.Services.GetRequiredService<Acf.Web.Hosting.LiveSampler>();
        var closedEarly = Tabs.Open();
        closedEarly.Render<Dashboard>();
        var other = Tabs.Open();
        var page = other.Render<Dashboard>();
        await _holding.Held.WaitAsync(TimeSpan.FromMinutes(2)); // both overviews are inside the broker now

        // Closed while its read runs: the close waits for the tab's renderer thread, which the held read occupies
        // here (a broker call in the test's thread isolation runs on it), so it is queued first and then released.
        var closing = Tabs.CloseAsync(closedEarly);
        _holding.Release();
        await closing;
        page.WaitForElement("#dash-disk", TimeSpan.FromMinutes(2));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#dash-attention-checking")), TimeSpan.FromMinutes(2));
        Assert.True(sampler.IsSampling); // the open tab watches

        await Tabs.CloseAsync(other);

        // The closed tab's load ends once its read returns; the bound is only so that a broken test ends.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (sampler.IsSampling && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        Assert.False(sampler.IsSampling, "a closed dashboard still watches the live sampler");
    }

    /// <summary>Holds the first <c>calls</c> broker calls of root's <c>health/overview</c> until released; others pass.</summary>
    private sealed class HoldingBroker(int calls)
    {
        private readonly ManualResetEventSlim _released = new();
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _holding;

        public Task Held => _held.Task;

        public void Release() => _released.Set();

        public ISystemBroker Around(ISystemBroker inner) => new Broker(this, inner);

        private void Pass(BrokerCaller caller)
        {
            if (caller is not { User: UserStore.FirstAdmin, Action: "health/overview" }) return;
            var held = Interlocked.Increment(ref _holding);
            if (held > calls) return;
            if (held == calls) _held.TrySetResult();
            // A bound only so that a broken test ends; the test releases it.
            _released.Wait(TimeSpan.FromMinutes(3));
        }

        private sealed class Broker(HoldingBroker holding, ISystemBroker inner) : ISystemBroker
        {
            public HostInfo Info => inner.Info;

            public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
            {
                holding.Pass(caller);
                return inner.Send(caller, request, output);
            }
        }
    }
}
