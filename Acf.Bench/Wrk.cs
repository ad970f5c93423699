namespace Acf.Bench;

/// <summary>One load run: latency percentiles as wrk measured them from its own process, and the rate.</summary>
internal sealed record LoadResult(int Clients, double P50Ms, double P99Ms, double RequestsPerSecond, long Requests, long Errors)
{
    /// <summary>The app's CPU time per request during the run (all its threads), in microseconds.</summary>
    public double ServerCpuUs { get; init; } = double.NaN;
}

/// <summary>Runs wrk (a C load generator: it takes little of the CPU the app needs) against one URL.</summary>
internal static partial class Wrk
{
    public static LoadResult Run(string url, ApiCredentials api, int clients, int seconds) =>
        Run(url, ["Cookie: " + api.Cookie, $"{api.HeaderName}: {api.Token}"], clients, seconds);

    /// <summary>Bearer token instead of the login cookie and antiforgery header.</summary>
    public static LoadResult RunWithToken(string url, string token, int clients, int seconds) =>
        Run(url, ["Authorization: Bearer " + token], clients, seconds);

    public static LoadResult Run(string url, IReadOnlyList<string> headers, int clients, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
                     "-c", clients.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency",
                     "--timeout", "10s" }.Concat(headers.SelectMany(h => new[] { "-H", h })).Append(url))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(seconds + 30))) process.Kill();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {error}{output}");
        return Parse(output, clients);
    }

    public static LoadResult Parse(string output, int clients)
    {
        double Latency(string percent) =>
            LatencyPattern().Matches(output).FirstOrDefault(m => m.Groups[1].Value == percent) is { } m
                ? Milliseconds(m.Groups[2].Value, m.Groups[3].Value)
                : double.NaN;
        var rate = RatePattern().Match(output);
        var count = CountPattern().Match(output);
        var non2xx = Non2xxPattern().Match(output);
        var socket = SocketErrorPattern().Match(output);
        long errors = non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (socket.Success)
            errors += socket.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        return new LoadResult(clients, Latency("50"), Latency("99"),
            rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            count.Success ? long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture) : 0, errors);
    }

    private static double Milliseconds(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        return unit switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, "m" => value * 60_000, _ => double.NaN };
    }

    [GeneratedRegex(@"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex LatencyPattern();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^\s+(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorPattern();
}
