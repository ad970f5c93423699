using System.Collections.Concurrent;
using Acf.Web.Components.Pages;

namespace Acf.Tests.Components;

/// <summary>
/// The work a page starts from events (reloads, the refresh loop, repaints): its failures reach the page and the log,
/// and once the page is closed nothing runs. The dispatcher here runs the work at once, as the circuit's would.
/// </summary>
public class PageWorkTests
{
    private readonly ConcurrentQueue<string> _log = new();
    private readonly List<Exception> _shown = [];

    private PageWork NewWork() =>
        new(work => work(), _shown.Add, new AcfAppFactory.CollectingLoggerProvider(_log).CreateLogger("page"));

    [Fact]
    public async Task Start_WorkFails_TheFailureIsShownAndLogged()
    {
        using var work = NewWork();

        await work.Start(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("the read failed");
        });

        Assert.Equal("the read failed", Assert.Single(_shown).Message);
        Assert.Contains(_log, line => line.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_AfterThePageClosed_RunsNothing()
    {
        var work = NewWork();
        work.Dispose();
        var ran = false;

        await work.Start(_ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.False(ran);
    }

    [Fact]
    public async Task Dispose_WhileWorkWaits_CancelsItWithoutAFailure()
    {
        var work = NewWork();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = work.Start(async closed =>
        {
            waiting.SetResult();
            await Task.Delay(Timeout.Infinite, closed);
        });
        await waiting.Task;

        work.Dispose();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(_shown);
        Assert.Empty(_log);
    }
}
