using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Acf.Bench;

internal sealed record LuaTimes(double CompileUs, double CachedUs, string Version);

/// <summary>The Squid settings read under Debian's plain lua5.4 on the same squid.conf (lua/squid-read.lua).</summary>
internal static partial class LuaBaseline
{
    public static LuaTimes Measure(string repository, string squidConf, int runs)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "lua", "squid-read.lua");
        var start = new ProcessStartInfo("lua5.4") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, Path.Combine(repository, "modules-lua"), squidConf, runs.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var m = OutputPattern().Match(output);
        if (process.ExitCode != 0 || !m.Success) throw new InvalidOperationException($"lua5.4 failed: {error}{output}");
        return new LuaTimes(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value.Trim());
    }

    [GeneratedRegex(@"compile_us=([\d.]+) cached_us=([\d.]+) runs=\d+ (.*)")]
    private static partial Regex OutputPattern();
}
