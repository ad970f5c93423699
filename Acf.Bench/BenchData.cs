using System.Security.Cryptography;
using Acf.Broker.Apk;

namespace Acf.Bench;

/// <summary>
/// The data folder the measured app runs on: a copy of the repository's demo tree as its root, with Debian's stock
/// squid.conf (the full documented file, 9,164 lines) in place of the demo's short one and a third repository whose
/// APKINDEX holds 20,000 packages, so that every apk read parses an index of a real mirror's size.
/// </summary>
internal sealed class BenchData : IDisposable
{
    public const int IndexPackages = 20_000;
    public const string BenchRepository = "https://bench.invalid/alpine/v3.22/bench";

    private BenchData(string dir, string repository)
    {
        Directory = dir;
        Repository = repository;
    }

    /// <summary>The temporary folder holding everything below; deleted on dispose.</summary>
    public string Directory { get; }

    public string Repository { get; }

    public string DataPath => Path.Combine(Directory, "data");

    public string Root => Path.Combine(DataPath, "demo-root");

    public string SquidConf => Path.Combine(Root, "etc/squid/squid.conf");

    public long IndexBytes { get; private set; }

    /// <summary>An API token of root's with the ADMIN role, for <c>Authorization: Bearer</c> (written into the root).</summary>
    public string ApiToken { get; private set; } = "";

    public static BenchData Prepare(string repository)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("acf-bench-").FullName;
        var data = new BenchData(dir, repository);
        System.IO.Directory.CreateDirectory(data.DataPath);
        // cp -a keeps the demo's symlinks (runlevels, OpenRC state) as they are.
        Run("cp", "-a", Path.Combine(repository, "demo"), data.Root);
        File.Copy(Path.Combine(repository, "modules-lua/squid/fixtures/_parser/debian-squid.conf"), data.SquidConf, overwrite: true);
        data.IndexBytes = WriteIndex(data.Root);
        data.ApiToken = WriteApiToken(data.Root);
        return data;
    }

    /// <summary>A fresh data folder for another run of the app: the prepared root is copied, nothing else.</summary>
    public string FreshDataPath(string name)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        Run("cp", "-a", Root, Path.Combine(path, "demo-root"));
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is going away; the folder is under /tmp.
        }
    }

    /// <summary>
    /// pkg0..pkg19999, each depending on lower numbers by name, library and command as real packages do, written in
    /// apk's signed container form as the cached index of <see cref="BenchRepository"/>.
    /// </summary>
    private static long WriteIndex(string root)
    {
        var text = new StringBuilder(IndexPackages * 520);
        for (var i = 0; i < IndexPackages; i++)
        {
            text.Append($"C:Q1{Convert.ToBase64String(BitConverter.GetBytes((long)i * 7919).Concat(new byte[12]).ToArray())}\n");
            text.Append($"P:pkg{i}\nV:{i % 7}.{i % 13}.{i % 5}-r{i % 3}\nA:x86_64\nS:{40_000 + i}\nI:{120_000 + i * 3}\n");
            text.Append($"T:Package number {i} of the benchmark index, with a description of ordinary length\n");
            text.Append($"U:https://example.org/projects/pkg{i}\nL:{(i % 3 == 0 ? "MIT" : i % 3 == 1 ? "GPL-2.0-or-later" : "BSD-3-Clause")}\n");
            text.Append($"o:pkg{i - i % 4}\nm:Maintainer {i % 50} <m{i % 50}@example.org>\nt:{1_750_000_000 + i}\nc:{i:x40}\n");
            var depends = new List<string> { "so:libc.musl-x86_64.so.1", $"pkg{i / 2}" };
            if (i >= 10) depends.Add($"so:libpkg{i / 3}.so.1");
            if (i >= 100) depends.Add($"cmd:tool{i / 5}");
            text.Append($"D:{string.Join(' ', depends)}\n");
            text.Append($"p:so:libpkg{i}.so.1=1.{i % 10}.0 cmd:tool{i}={i % 7}.{i % 13}.{i % 5}-r{i % 3}\n\n");
        }
        File.AppendAllText(Path.Combine(root, "etc/apk/repositories"), BenchRepository + "\n");
        var path = Path.Combine(root, "var/cache/apk", ApkRepositories.CacheFileName(BenchRepository));
        using (var file = File.Create(path))
            ApkIndexArchive.Write(file, "v3.22.2-0-gbenchmark", Encoding.UTF8.GetBytes(text.ToString()),
                ".SIGN.RSA.benchmark.rsa.pub", new byte[512], DateTimeOffset.UnixEpoch);
        return new FileInfo(path).Length;
    }

    /// <summary>
    /// A token line as the API tokens page writes it (id, user, SHA-256 of the secret, created, expires, roles, name),
    /// so that the bearer runs need no browser to make one.
    /// </summary>
    private static string WriteApiToken(string root)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var path = Path.Combine(root, "etc/acf/api-tokens");
        File.WriteAllText(path, $"{id}:root:{hash}:{now}:{now + 86_400}:ADMIN:bench\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return $"acf_{id}_{secret}";
    }

    public static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }
}
