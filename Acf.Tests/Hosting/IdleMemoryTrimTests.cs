using Acf.Web.Hosting;

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

    /// <summary>A circuit dropped after the trim (a lost tab, kept for the disconnect grace) frees memory: the next quiet
    /// period trims again. Before, nothing counted it and that memory stayed until the next burst.</summary>
    [Fact]
    public async Task CircuitClosedAfterATrim_NextQuietPeriodTrimsAgain()
    {
        Assert.False(_trim.Tick());
        Assert.True(_trim.Tick());
        Assert.False(_trim.Tick()); // trimmed, nothing new

        await new IdleCircuitActivity(_trim).OnCircuitClosedAsync(null!, CancellationToken.None);

        Assert.False(_trim.Tick()); // the period the circuit closed in
        Assert.True(_trim.Tick()); // the quiet one after it gives its memory back
    }

    /// <summary>With the broker in the app's process (<c>Acf:Broker:Process = in-process</c>, the tests' host), the
    /// app's trim lets the parsed package indexes go, as the broker process's does; the next read parses them again.</summary>
    [Fact]
    public void InProcessBroker_TheAppsTrimDropsTheParsedIndexes()
    {
        using var factory = new AcfAppFactory();
        var trim = factory.Services.GetRequiredService<IdleMemoryTrim>();
        var packages = factory.Services.GetRequiredService<SystemTools>().Packages;
        var parsed = packages.ReadState().Available;
        Assert.NotEmpty(parsed);

        trim.Touch();
        trim.Tick(); // the period with activity
        trim.Tick(); // a quiet one: trimmed (here or by the app's own look every 10 s in between)

        Assert.NotSame(parsed, packages.ReadState().Available);
    }
}
