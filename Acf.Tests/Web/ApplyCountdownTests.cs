using Acf.Modules.Apply;
using Acf.Web.Components.Layout;
using Bunit;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Web;

/// <summary>
/// The countdown of a guarded change is in every page's layout. Issue 19: it ticked once a second in every open tab
/// whether or not anything was pending, so each idle tab rendered and was sent a render batch every second. It must
/// count down while the user's change waits, and do nothing otherwise.
/// </summary>
public sealed class ApplyCountdownTests : TabsTest
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private IRenderedComponent<ApplyCountdown> Render()
    {
        var tab = Tabs.Open();
        tab.Services.AddSingleton<TimeProvider>(_time);
        return tab.Render<ApplyCountdown>();
    }

    [Fact]
    public void NothingPending_DoesNotRenderAgainAsTimePasses()
    {
        var cut = Render();

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Empty(cut.FindAll("#apply-countdown"));
        Assert.Equal(1, cut.RenderCount);
    }

    [Fact]
    public void UsersChangePending_CountsDownEachSecond_AndStopsOnceKept()
    {
        var guard = App.Services.GetRequiredService<ApplyGuard>();
        Assert.True(guard.Begin(UserStore.FirstAdmin, "sys", "ctl/run", guard.Open(UserStore.FirstAdmin, "sys", "ctl/run")));
        var cut = Render();
        var first = SecondsLeft(cut);

        _time.Advance(TimeSpan.FromSeconds(3));

        cut.WaitForAssertion(() => Assert.Equal(first - 3, SecondsLeft(cut)));
        cut.Find("#apply-keep").Click();
        cut.WaitForElement("#apply-settled");
        var settled = cut.RenderCount;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(settled, cut.RenderCount);
    }

    private static int SecondsLeft(IRenderedComponent<ApplyCountdown> cut) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(cut.Find("#apply-countdown").TextContent, @"in (\d+) s").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
}
