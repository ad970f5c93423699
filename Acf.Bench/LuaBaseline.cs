namespace Acf.Bench;

/// <param name="GuardedUs">Chunks compiled once, with the sandbox's pattern guard and count hook (its own safety).</param>
internal sealed record LuaTimes(double CompileUs, double CachedUs, string Version, double GuardedUs);

/// <summary>The Squid settings read under Debian's plain lua5.4 on the same squid.conf (lua/squid-read.lua).</summary>
internal static partial class LuaBaseline
{
    public static LuaTimes Measure(string repository, string squidConf, int runs)
    {
        var plain = Run(repository, squidConf, runs, guarded: false);
        var guarded = Run(repository, squidConf, runs, guarded: true);
        return new LuaTimes(plain.Compile, plain.Cached, plain.Version, guarded.Cached);
    }

    internal static (double Compile, double Cached, string Version) Run(string repository, string squidConf, int runs, bool guarded)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "lua", "squid-read.lua");
        var start = new ProcessStartInfo("lua5.4") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, Path.Combine(repository, "modules-lua"), squidConf, runs.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        if (guarded) start.ArgumentList.Add(Path.Combine(repository, "Acf.Modules", "Lua", "sandbox.lua"));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var m = OutputPattern().Match(output);
        if (process.ExitCode != 0 || !m.Success) throw new InvalidOperationException($"lua5.4 failed: {error}{output}");
        return (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value.Trim());
    }

    [GeneratedRegex(@"compile_us=([\d.]+) cached_us=([\d.]+) runs=\d+ (.*)")]
    private static partial Regex OutputPattern();
}
