using Acf.Tests.Broker.Apk;
using Xunit.Abstractions;

namespace Acf.Tests.Benchmarks;

/// <summary>
/// How long reading apk's state takes at the size of a real mirror: a 20,000-package APKINDEX.tar.gz (Alpine's main
/// and community together are about that) and an installed database of 800 packages with 25 files each. Not a
/// timed test: it does nothing unless ACF_BENCHMARK=1, and then prints the medians (run with
/// <c>--logger "console;verbosity=detailed"</c> to see them).
/// </summary>
public sealed class ApkBenchmark(ITestOutputHelper output)
{
    private const int IndexPackages = 20_000;
    private const int InstalledPackages = 800;
    private const int FilesPerPackage = 25;
    private const int Runs = 9;

    [Fact]
    public void ReadState_TwentyThousandPackages_PrintsMedians()
    {
        if (!Benchmark.Enabled) return;
        using var root = new ApkTestRoot(fixtures: false);
        var (indexBytes, installedBytes) = Generate(root);
        var indexPath = root.HostPath($"/var/cache/apk/{ApkRepositories.CacheFileName(ApkTestRoot.MainUrl)}");
        var installedPath = root.HostPath("/lib/apk/db/installed");

        var archive = Median(() => ApkIndexArchive.Read(indexPath));
        var installed = Median(() => { using var s = File.OpenRead(installedPath); ApkPackageReader.Read(s, new ApkStringPool()); });
        var files = Median(() => ApkInstalledFiles.ReadFrom(root.Root));
        var cold = Median(() => root.Demo().ReadState());
        var coldBytes = Allocated(() => root.Demo().ReadState());
        var warmManager = root.Demo();
        var warm = Median(() => warmManager.ReadState());
        var addDel = Median(() =>
        {
            warmManager.Run(ApkVerb.Add, ["pkg19999"]);
            warmManager.Run(ApkVerb.Del, ["pkg19999"]);
        });
        var state = warmManager.ReadState();

        var report = $"ApkBenchmark ({IndexPackages} indexed, {InstalledPackages} installed with {FilesPerPackage} files each; "
            + $"APKINDEX.tar.gz {indexBytes / 1024} KiB, installed {installedBytes / 1024} KiB; median of {Runs}): "
            + $"index archive {archive:F1} ms, installed packages {installed:F1} ms, installed files {files:F1} ms, "
            + $"ReadState cold {cold:F1} ms ({coldBytes / (1024 * 1024)} MiB allocated), ReadState warm {warm:F1} ms, "
            + $"demo add+del {addDel:F1} ms";
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.Equal(IndexPackages, state.Available.Count);
        Assert.Equal(InstalledPackages, state.Installed.Count);
    }

    /// <summary>
    /// An index of packages pkg0..pkg19999 depending on each other by name, by provided library and by provided
    /// command; the first 800 installed with their files, world naming every 20th of them.
    /// </summary>
    private static (long Index, long Installed) Generate(ApkTestRoot root)
    {
        var index = new StringBuilder();
        var installed = new StringBuilder();
        for (var i = 0; i < IndexPackages; i++)
        {
            var record = new StringBuilder();
            record.Append($"C:Q1{Convert.ToBase64String(BitConverter.GetBytes((long)i * 7919).Concat(new byte[12]).ToArray())}\n");
            record.Append($"P:pkg{i}\nV:{i % 7}.{i % 13}.{i % 5}-r{i % 3}\nA:x86_64\nS:{40_000 + i}\nI:{120_000 + i * 3}\n");
            record.Append($"T:Package number {i} of the benchmark index, with a description of ordinary length\n");
            record.Append($"U:https://example.org/projects/pkg{i}\nL:{(i % 3 == 0 ? "MIT" : i % 3 == 1 ? "GPL-2.0-or-later" : "BSD-3-Clause")}\n");
            record.Append($"o:pkg{i - i % 4}\nm:Maintainer {i % 50} <m{i % 50}@example.org>\nt:{1_750_000_000 + i}\nc:{i:x40}\n");
            // The installed ones hang together in a chain (so that a world of 40 needs all 800), the others lean on
            // lower numbers; every package needs the C library pkg0 provides, as everything needs musl.
            var depends = new List<string> { "so:libc.musl-x86_64.so.1" };
            if (i < InstalledPackages - 1) depends.Add($"pkg{i + 1}");
            else depends.Add($"pkg{i / 2}");
            if (i >= 10) depends.Add($"so:libpkg{i / 3}.so.1");
            if (i >= 100) depends.Add($"cmd:tool{i / 5}");
            record.Append($"D:{string.Join(' ', depends)}\n");
            record.Append($"p:{(i == 0 ? "so:libc.musl-x86_64.so.1=1 " : "")}so:libpkg{i}.so.1=1.{i % 10}.0 cmd:tool{i}={i % 7}.{i % 13}.{i % 5}-r{i % 3}\n");
            index.Append(record).Append('\n');
            if (i < InstalledPackages)
            {
                installed.Append(record);
                for (var d = 0; d < 5; d++)
                {
                    installed.Append($"F:usr/share/pkg{i}/d{d}\n");
                    for (var f = 0; f < FilesPerPackage / 5; f++)
                        installed.Append($"R:file{f}.dat\na:0:0:644\nZ:Q1{Convert.ToBase64String(BitConverter.GetBytes(i * 1000L + d * 10 + f).Concat(new byte[12]).ToArray())}\n");
                }
                installed.Append('\n');
            }
        }
        root.Write("/etc/apk/repositories", ApkTestRoot.MainUrl + "\n");
        root.Write("/etc/apk/world", string.Concat(Enumerable.Range(0, InstalledPackages / 20).Select(i => $"pkg{i * 20}\n")));
        root.Write("/lib/apk/db/installed", installed.ToString());
        var indexPath = root.HostPath($"/var/cache/apk/{ApkRepositories.CacheFileName(ApkTestRoot.MainUrl)}");
        Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
        using (var file = File.Create(indexPath))
            ApkIndexArchive.Write(file, "v3.22.2-0-gbenchmark", Encoding.UTF8.GetBytes(index.ToString()),
                ".SIGN.RSA.benchmark.rsa.pub", new byte[512], DateTimeOffset.UnixEpoch);
        return (new FileInfo(indexPath).Length, installed.Length);
    }

    private static long Allocated(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static double Median(Action action) => Benchmark.Median(Runs, action);
}
