namespace Acf.Bench;

/// <summary>What the mixed load did and the memory of the app and its workers around it.</summary>
internal sealed record MixedLoadResult(TimeSpan Duration, long ApiRequests, long ApiErrors, int CircuitsOpened, int Rounds,
    MemoryUse Before, MemoryUse Peak, MemoryUse AtEnd, MemoryUse After, TimeSpan Settle);

/// <summary>
/// Issue 19's "memory after load": for the given time, API clients read over a bearer token and the session cookie
/// while rounds of logged-in circuits are opened and closed again (as tabs come and go), then nothing runs for
/// <see cref="Settle"/> and the memory is read once more. Closed circuits go as a dropped connection goes: the
/// socket closes without blazor.web.js's disconnect beacon, so the server keeps them as it keeps any tab it lost.
/// </summary>
internal static class MixedLoad
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    public static async Task<MixedLoadResult> RunAsync(AppProcess app, string cookie, ApiCredentials api, string token,
        TimeSpan duration, int circuitsPerRound, TimeSpan? settle = null)
    {
        var before = app.Memory();
        var seconds = (int)Math.Max(1, duration.TotalSeconds);
        var reads = Task.Run(() => Wrk.RunWithToken(app.BaseUrl + "/api/alpine-baselayout/hostname/read", token, 12, seconds));
        var cookieReads = Task.Run(() => Wrk.Run(app.BaseUrl + "/api/alpine-baselayout/hostname/read", api, 2, seconds));
        var lists = Task.Run(() => Wrk.Run(app.BaseUrl + "/api/apk-tools/packages/available", api, 2, seconds));
        var end = DateTime.UtcNow + duration;
        var peak = before;
        int opened = 0, rounds = 0;
        while (DateTime.UtcNow < end)
        {
            await using (var circuits = new Circuits())
            {
                await circuits.OpenAsync(app.BaseUrl, cookie, "/", circuitsPerRound);
                opened += circuits.Opened;
                var now = app.Memory();
                if (now.Pss > peak.Pss) peak = now;
            }
            rounds++;
        }
        var loads = new[] { await reads, await cookieReads, await lists };
        var atEnd = app.Memory();
        Console.WriteLine($"bench: mixed load done: {loads.Sum(l => l.Requests):N0} API requests, {opened} circuits in {rounds} rounds; "
            + $"PSS {before.Pss >> 20} -> peak {peak.Pss >> 20} -> {atEnd.Pss >> 20} MiB; settling {(settle ?? Settle).TotalSeconds:F0} s");
        await Task.Delay(settle ?? Settle);
        return new MixedLoadResult(duration, loads.Sum(l => l.Requests), loads.Sum(l => l.Errors), opened, rounds,
            before, peak, atEnd, app.Memory(), settle ?? Settle);
    }
}
