using System.Runtime.InteropServices;

namespace Acf.Bench;

internal sealed record Machine(string Cpu, int Cores, long MemoryBytes, string Os, string Kernel, string Runtime, string LoadAverage)
{
    public static Machine Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "Linux"
            : "Linux";
        var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        return new Machine(cpu, Environment.ProcessorCount, long.Parse(memory) * 1024, os, File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            RuntimeInformation.FrameworkDescription, load);
    }
}
