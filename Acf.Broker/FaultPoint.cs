using System.Diagnostics;

namespace Acf.Broker;

/// <summary>
/// Places in the write path where the crash tests end the process for real (SIGKILL of itself, as a power cut or
/// <c>kill -9</c> would), chosen by the environment variable <c>ACF_FAULT</c> (<c>after-temp</c>,
/// <c>after-history</c>, <c>after-intent</c>, <c>after-rename</c>, <c>after-audit</c>). <c>ACF_FAULT=data-full</c>
/// makes the records in the data folder fail as a full disk does, where a test cannot mount a small tmpfs. Unset (every
/// real run) each point is one comparison.
/// </summary>
public static class FaultPoint
{
    public const string Variable = "ACF_FAULT";

    private static readonly string? Armed = Environment.GetEnvironmentVariable(Variable);

    /// <summary>Kills this process when <paramref name="name"/> is the armed point.</summary>
    public static void Hit(string name)
    {
        if (Armed != name) return;
        Console.Error.WriteLine($"{Variable}: killed at {name}");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill(); // SIGKILL: no finally block, no flush, no shutdown hook runs
    }

    /// <summary>Fails as a full data disk would, when <c>data-full</c> is armed.</summary>
    public static void DataDisk()
    {
        if (Armed == "data-full") throw new IOException("No space left on device (" + Variable + "=data-full)");
    }
}
