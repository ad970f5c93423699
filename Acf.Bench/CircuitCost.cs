namespace Acf.Bench;

/// <summary>
/// What each open circuit costs an app. The first <see cref="WarmCircuits"/> circuits pay for what every later one
/// shares (the JIT of the components, caches); then steps of <see cref="StepCircuits"/> more are opened, all kept open,
/// and the app's memory is read 5 s after each step. A single step's share moves with where the GC's budget stood when
/// memory was read (one run of the same build read 1.37 MB a circuit, the next 0.59 MB): the GC commits a new range of
/// tens of MB at some point and uses it for many circuits after. So the figure is the median of the steps' shares, the
/// growth a step of circuits brings when no such jump falls in it. Steps that closed circuits between them measured
/// nothing but the reuse of the heap the closed ones left (0.9, then 0.4, then 0.0 MB a circuit).
/// </summary>
internal sealed record CircuitCost(MemoryUse BeforeCircuits, MemoryUse WithCircuits,
    IReadOnlyList<(double Pss, double Rss)> Steps, IReadOnlyDictionary<string, int> JsCalls)
{
    /// <summary>The circuits open after the first step: the memory table's "with 50 circuits" and the mixed load's rounds.</summary>
    public const int CircuitCount = 50;
    public const int WarmCircuits = 5;
    public const int StepCircuits = CircuitCount - WarmCircuits;
    private const int StepCount = 3;

    public double PerCircuitPss => Timing.Median(Steps.Select(r => r.Pss));

    public double PerCircuitRss => Timing.Median(Steps.Select(r => r.Rss));

    /// <summary>Each step's figure, for the report: "1.21, 0.94, 1.37".</summary>
    public string StepsText => string.Join(", ", Steps.Select(r => (r.Pss / 1e6).ToString("F2", CultureInfo.InvariantCulture)));

    /// <summary>Acf's row alone (<c>--circuit-cost</c>), for comparing two builds run one after the other: the
    /// published app on the bench's data, at rest first, then measured as the whole bench measures it.</summary>
    public static async Task<CircuitCost> MeasureAppAsync(string appDir, string repository, int port)
    {
        using var data = BenchData.Prepare(repository);
        using var app = await AppProcess.StartAsync(appDir, null, data.FreshDataPath("data-circuits"), port);
        await Task.Delay(Bench.IdleAfter);
        var cost = await MeasureAsync(app, await Login.CookieAsync(app.BaseUrl, "root", AppProcess.Password));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"circuits: with the first {WarmCircuits} PSS {cost.BeforeCircuits.Pss >> 10} KiB, per circuit PSS {cost.PerCircuitPss / 1e6:F2} MB (RSS {cost.PerCircuitRss / 1e6:F2} MB; steps {cost.StepsText})"));
        return cost;
    }

    public static async Task<CircuitCost> MeasureAsync(AppProcess app, string cookie)
    {
        await using var circuits = new Circuits();
        await circuits.OpenAsync(app.BaseUrl, cookie, "/", WarmCircuits);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var readings = new List<MemoryUse> { app.Memory() };
        IReadOnlyDictionary<string, int>? jsCalls = null;
        for (var step = 0; step < StepCount; step++)
        {
            await circuits.OpenAsync(app.BaseUrl, cookie, "/", StepCircuits);
            jsCalls ??= new Dictionary<string, int>(circuits.JsCalls); // the JS calls of the first 50, as the report says
            await Task.Delay(TimeSpan.FromSeconds(5));
            readings.Add(app.Memory());
        }
        var steps = readings.Zip(readings.Skip(1), (before, after) =>
            ((after.Pss - before.Pss) / (double)StepCircuits, (after.Rss - before.Rss) / (double)StepCircuits)).ToList();
        // Every circuit must be open for the figures to mean anything (a dead one frees its memory).
        if (circuits.Opened != WarmCircuits + StepCount * StepCircuits)
            throw new InvalidOperationException($"{circuits.Opened} circuits are open of {WarmCircuits + StepCount * StepCircuits}");
        return new CircuitCost(readings[0], readings[1], steps, jsCalls!);
    }
}
