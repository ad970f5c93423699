using Acf.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acf.Tests.Hosting;

/// <summary>Issue 19: memory a burst took comes back once the app is quiet, with one collection per quiet spell.</summary>
public sealed class IdleMemoryTrimTests
{
    private readonly IdleMemoryTrim _trim = new(TimeProvider.System, NullLogger<IdleMemoryTrim>.Instance);

    [Fact]
    public void Tick_QuietAfterActivity_CollectsOnce_BusyPeriodsWait()
    {
        Assert.False(_trim.Tick()); // the start was activity: this period was not quiet
        var full = GC.CollectionCount(GC.MaxGeneration);
        Assert.True(_trim.Tick()); // a quiet period after it: trim
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > full);
        Assert.False(_trim.Tick()); // still quiet, nothing new: no second collection

        _trim.Touch();
        Assert.False(_trim.Tick()); // a request in this period
        _trim.Touch();
        Assert.False(_trim.Tick()); // and in this one
        Assert.True(_trim.Tick()); // quiet again
    }
}
