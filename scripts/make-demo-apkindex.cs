#:project ../Acf.Broker/Acf.Broker.csproj
// Writes the demo appliance's apk files in their real formats:
//   demo/var/cache/apk/APKINDEX.<sha1(url)[0..4]>.tar.gz   (v3.22 main and community, the signed container form)
//   demo/lib/apk/db/installed, demo/etc/apk/world, demo/etc/apk/repositories, demo/etc/apk/arch
// The package table (scripts/demo-packages.txt) is hand-written to look like Alpine 3.22 (names, versions,
// descriptions, licenses and dependencies that resolve); sizes, checksums, build times and commits are made up,
// deterministically. The installed database is produced by Acf's own DemoApkManager adding world to an empty root
// against an older copy of the index, so it is exactly what the demo's apk writes, and `apk upgrade` has work
// against the current one.
// Files of the demo tree that packages own (etc/hosts, etc/init.d/sshd, ...) get F:/R:/Z: lines with the checksum
// of their content, so lbu sees them as unchanged: run this again after changing them.
//
//   dotnet run scripts/make-demo-apkindex.cs
using System.Security.Cryptography;
using System.Text;
using Acf.Broker;
using Acf.Broker.Apk;

var repo = FindRepositoryRoot();
var demo = Path.Combine(repo, "demo");
const string Mirror = "https://dl-cdn.alpinelinux.org/alpine";
string[] repositories = [$"{Mirror}/v3.22/main", $"{Mirror}/v3.22/community"];
const string RepositoriesFile = $"{Mirror}/v3.22/main\n{Mirror}/v3.22/community\n#{Mirror}/edge/testing\n";
string[] world = ["acf-alpine-baselayout", "acf-apk-tools", "acf-chrony", "acf-core", "acf-openssh", "alpine-base",
    "chrony", "dnsmasq", "mini_httpd", "openssh", "samba", "squid", "tzdata"];
var indexTime = new DateTimeOffset(2025, 11, 12, 9, 41, 7, TimeSpan.Zero);

// Origins installed at an older version; the index has the newer one, so `apk upgrade` has work.
var older = new Dictionary<string, string>
{
    ["busybox"] = "1.37.0-r18",
    ["openssl"] = "3.5.1-r0",
    ["openssh"] = "10.0_p1-r7",
    ["ca-certificates"] = "20250619-r0",
    ["squid"] = "6.13-r0",
};

// File owners in the demo tree: path -> package.
var owners = new Dictionary<string, string>
{
    ["etc/hosts"] = "alpine-baselayout-data",
    ["etc/motd"] = "alpine-baselayout-data",
    ["etc/alpine-release"] = "alpine-release",
    ["etc/os-release"] = "alpine-release",
    ["etc/acf/acf.conf"] = "acf-core",
    ["etc/lbu/lbu.conf"] = "alpine-conf",
    ["etc/init.d/networking"] = "openrc",
    ["etc/init.d/local"] = "openrc",
    ["etc/init.d/staticroute"] = "openrc",
    ["etc/init.d/crond"] = "busybox-openrc",
    ["etc/conf.d/crond"] = "busybox-openrc",
    ["etc/init.d/syslog"] = "busybox-openrc",
    ["etc/conf.d/syslog"] = "busybox-openrc",
    ["etc/init.d/sshd"] = "openssh-server-common-openrc",
    ["etc/conf.d/sshd"] = "openssh-server-common-openrc",
    ["etc/init.d/chronyd"] = "chrony-openrc",
    ["etc/conf.d/chronyd"] = "chrony-openrc",
    ["etc/init.d/squid"] = "squid-openrc",
    ["etc/conf.d/squid"] = "squid-openrc",
    ["etc/squid/squid.conf"] = "squid",
    ["etc/init.d/dnsmasq"] = "dnsmasq-openrc",
    ["etc/conf.d/dnsmasq"] = "dnsmasq-openrc",
    ["etc/init.d/samba"] = "samba-server-openrc",
    ["etc/conf.d/samba"] = "samba-server-openrc",
};

// The package table is data, kept beside this script.
var table = File.ReadAllText(Path.Combine(repo, "scripts", "demo-packages.txt"));
var current = Packages.Parse(table, null);
var old = Packages.Parse(table, older);
Console.WriteLine($"{current.Count} packages ({current.Count(p => p.Community)} in community)");

// 1. Install world into an empty root against the older index.
var work = Directory.CreateTempSubdirectory("acf-demo-apk-").FullName;
try
{
    var root = Path.Combine(work, "root");
    WriteApkConfig(root, world: "");
    WriteIndexes(root, old);
    File.WriteAllText(Path.Combine(root, "lib/apk/db/installed"), "");
    var host = new SystemHost(HostMode.Demo, root, Path.Combine(work, "data"), Path.Combine(work, "modules"));
    var result = new DemoApkManager(host, TimeProvider.System).Run(ApkVerb.Add, world);
    if (result.Status != 0) throw new InvalidOperationException(result.Stderr);
    Console.Write(result.Stdout.Split('\n').Last(l => l.StartsWith("OK:")) + "\n");

    // 2. Add the files the demo tree has.
    var installed = File.ReadAllText(Path.Combine(root, "lib/apk/db/installed"));
    installed = AddFiles(installed, owners, demo);

    // 3. Write the demo tree.
    WriteApkConfig(demo, world: File.ReadAllText(Path.Combine(root, "etc/apk/world")));
    File.WriteAllText(Path.Combine(demo, "lib/apk/db/installed"), installed);
    foreach (var stale in Directory.GetFiles(Path.Combine(demo, "var/cache/apk"), "APKINDEX.*.tar.gz")) File.Delete(stale);
    WriteIndexes(demo, current);

    var check = new DemoApkManager(new SystemHost(HostMode.Demo, demo, Path.Combine(work, "data"), Path.Combine(work, "modules")), TimeProvider.System).ReadState();
    var upgradable = check.Installed.Count(i => check.Available.Any(a => a.Name == i.Name && ApkVersion.Compare(a.Version, i.Version) > 0));
    Console.WriteLine($"demo: {check.Installed.Count} installed, {check.World.Count} in world, {check.Available.Count} available, {upgradable} upgradable");
}
finally
{
    Directory.Delete(work, recursive: true);
}

void WriteApkConfig(string root, string world)
{
    foreach (var dir in new[] { "etc/apk", "lib/apk/db", "var/cache/apk" }) Directory.CreateDirectory(Path.Combine(root, dir));
    File.WriteAllText(Path.Combine(root, "etc/apk/repositories"), RepositoriesFile);
    File.WriteAllText(Path.Combine(root, "etc/apk/arch"), "x86_64\n");
    File.WriteAllText(Path.Combine(root, "etc/apk/world"), world);
}

void WriteIndexes(string root, List<Package> packages)
{
    for (var r = 0; r < repositories.Length; r++)
    {
        var community = r == 1;
        var text = new StringBuilder();
        foreach (var p in packages.Where(p => p.Community == community).OrderBy(p => p.Name, StringComparer.Ordinal)) p.WriteTo(text);
        var description = community ? "v3.22.2-118-gd41c6a2f9e7" : "v3.22.2-131-g7e0b5c3a1f4";
        var path = Path.Combine(root, "var/cache/apk", ApkRepositories.CacheFileName(repositories[r]));
        using var file = File.Create(path);
        // Not a signature: nothing here can sign for Alpine's keys. The bytes only give the entry its real size.
        var signature = SHA512.HashData(Encoding.UTF8.GetBytes(text.ToString())).Concat(new byte[448]).ToArray();
        ApkIndexArchive.Write(file, description, Encoding.UTF8.GetBytes(text.ToString()),
            ".SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", signature, indexTime);
    }
}

static string AddFiles(string installed, Dictionary<string, string> owners, string demo)
{
    var records = installed.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).ToList();
    for (var i = 0; i < records.Count; i++)
    {
        var name = records[i].Split('\n').First(l => l.StartsWith("P:"))[2..];
        var files = owners.Where(o => o.Value == name && File.Exists(Path.Combine(demo, o.Key))).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) continue;
        var text = new StringBuilder(records[i]);
        foreach (var folder in files.GroupBy(f => Path.GetDirectoryName(f)!))
        {
            text.Append($"\nF:{folder.Key}");
            foreach (var file in folder)
            {
                var host = Path.Combine(demo, file);
                text.Append($"\nR:{Path.GetFileName(file)}");
                var mode = Convert.ToString((int)File.GetUnixFileMode(host) & 0x1ff, 8);
                if (mode != "644") text.Append($"\na:0:0:{mode}");
                text.Append($"\nZ:{ApkInstalledFiles.ChecksumOf(File.ReadAllBytes(host))}");
            }
        }
        records[i] = text.ToString();
    }
    return string.Join("\n\n", records) + "\n\n";
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Acf.sln"))) return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository.");
}

sealed record Package(string Name, string Version, string Arch, long Size, long InstalledSize, string Description,
    string Url, string License, string Origin, string Maintainer, DateTimeOffset Built, string Commit,
    string Depends, string Provides, string InstallIf, bool Community)
{
    public void WriteTo(StringBuilder text)
    {
        var digest = SHA1.HashData(Encoding.UTF8.GetBytes($"{Name}-{Version}.{Arch}"));
        text.Append($"C:Q1{Convert.ToBase64String(digest)}\nP:{Name}\nV:{Version}\nA:{Arch}\nS:{Size}\nI:{InstalledSize}\n");
        text.Append($"T:{Description}\nU:{Url}\nL:{License}\no:{Origin}\nm:{Maintainer}\nt:{Built.ToUnixTimeSeconds()}\nc:{Commit}\n");
        if (Depends.Length > 0) text.Append($"D:{Depends}\n");
        if (Provides.Length > 0) text.Append($"p:{Provides}\n");
        if (InstallIf.Length > 0) text.Append($"i:{InstallIf}\n");
        text.Append('\n');
    }
}

static class Packages
{
    private const string DefaultMaintainer = "Natanael Copa <ncopa@alpinelinux.org>";

    private static readonly Dictionary<string, string> Maintainers = new()
    {
        ["acf"] = "Ted Trask <ttrask01@yahoo.com>",
        ["nginx"] = "Jakub Jirutka <jakub@jirutka.cz>",
        ["frr"] = "Kevin Daudt <kdaudt@alpinelinux.org>",
        ["strongswan"] = "Timo Teräs <timo.teras@iki.fi>",
        ["awall"] = "Kaarle Ritvanen <kunkku@alpinelinux.org>",
    };

    /// <summary>The table, with subpackages expanded; <paramref name="older"/> swaps in older versions by origin.</summary>
    public static List<Package> Parse(string table, Dictionary<string, string>? older)
    {
        var packages = new List<Package>();
        var origins = new Dictionary<string, (string Version, string License, string Url, string Description)>();
        foreach (var raw in table.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('|');
            if (f.Length != 10) throw new FormatException($"10 fields expected: {line}");
            var (name, version, origin, license, url, kib, description, depends, provides, flags) =
                (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
            if (origin.Length == 0) origin = name;
            if (origins.TryGetValue(origin, out var parent))
            {
                if (version.Length == 0) version = parent.Version;
                if (license.Length == 0) license = parent.License;
                if (url.Length == 0) url = parent.Url;
            }
            else
            {
                if (older is not null && older.TryGetValue(origin, out var oldVersion)) version = oldVersion;
                origins[origin] = (version, license, url, description);
            }
            var options = flags.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var arch = options.Contains("noarch") ? "noarch" : "x86_64";
            var community = options.Contains("community");
            var installIf = options.FirstOrDefault(o => o.StartsWith("iif="))?[4..].Replace('+', ' ') ?? "";
            Package Make(string n, string desc, string d, string p, string i, long size) => new(n, version, arch,
                size * 1024 * 42 / 100 + Seed(n) % 997, size * 1024, desc, url, license, origin,
                Maintainers.FirstOrDefault(m => origin.StartsWith(m.Key, StringComparison.Ordinal)).Value ?? DefaultMaintainer,
                new DateTimeOffset(2025, 5, 20, 0, 0, 0, TimeSpan.Zero).AddSeconds(Seed(origin + version) % (170 * 86400)),
                Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("aports:" + origin + version))),
                d.Replace("{v}", version), p.Replace("{v}", version), i.Replace("{v}", version), community);
            packages.Add(Make(name, description, depends, provides, installIf, long.Parse(kib)));
            var main = origins[origin].Description;
            if (options.Contains("openrc"))
                packages.Add(Make($"{name}-openrc", $"{main} (OpenRC init scripts)", "", "", $"openrc {name}={{v}}", 8 + Seed(name) % 12));
            if (options.Contains("doc"))
                packages.Add(Make($"{name}-doc", $"{description} (documentation)", "", "", $"docs {name}={{v}}", 12 + Seed(name) % 180));
            if (options.Contains("dev"))
                packages.Add(Make($"{name}-dev", $"{description} (development files)", $"{name}={{v}} pkgconfig", "", "", 40 + Seed(name) % 400));
        }
        return packages;
    }

    private static long Seed(string text) => BitConverter.ToUInt32(SHA1.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
