#:project ../Acf.Broker/Acf.Broker.csproj
// Writes the demo appliance's apk files in their real formats:
//   demo/var/cache/apk/APKINDEX.<sha1(url)[0..4]>.tar.gz   (v3.22 main and community, the signed container form)
//   demo/lib/apk/db/installed, demo/etc/apk/world, demo/etc/apk/repositories, demo/etc/apk/arch
// The package table below is hand-written to look like Alpine 3.22 (names, versions, descriptions, licenses and
// dependencies that resolve); sizes, checksums, build times and commits are made up, deterministically. The
// installed database is produced by Acf's own DemoApkManager adding world to an empty root against an older copy
// of the index, so it is exactly what the demo's apk writes, and `apk upgrade` has work against the current one.
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

var current = Packages.Parse(Table.Text, null);
var old = Packages.Parse(Table.Text, older);
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

static class Table
{
    // name|version|origin|license|url|installed KiB|description|depends|provides|flags
    // An empty version, license or url is the origin's; {v} is the package's version; flags: doc, dev, openrc
    // (subpackages made from this line), noarch, community, iif=<install-if, '+' for spaces>.
    public const string Text = """
    musl|1.2.5-r10||MIT|https://musl.libc.org/|648|the musl c library (libc) implementation||so:libc.musl-x86_64.so.1=1|dev,doc
    musl-utils||musl|MIT AND BSD-2-Clause AND GPL-2.0-or-later||136|the musl c library (libc) implementation|scanelf so:libc.musl-x86_64.so.1|cmd:getconf={v} cmd:getent={v} cmd:iconv={v} cmd:ldconfig={v} cmd:ldd={v}|
    scanelf|1.3.8-r1|pax-utils|GPL-2.0-only|https://wiki.gentoo.org/index.php?title=Project:Hardened/PaX_Utilities|84|Scan ELF binaries for stuff|so:libc.musl-x86_64.so.1|cmd:scanelf={v}|
    busybox|1.37.0-r19||GPL-2.0-only|https://busybox.net/|920|Size optimized toolbox of many common UNIX utilities|so:libc.musl-x86_64.so.1|cmd:busybox={v}|doc
    busybox-binsh||busybox|||8|busybox ash /bin/sh|busybox={v}|/bin/sh cmd:sh={v}|
    busybox-openrc||busybox|||36|Size optimized toolbox of many common UNIX utilities (OpenRC init scripts)|||iif=openrc+busybox={v}
    busybox-mdev-openrc||busybox|||12|busybox mdev service|mdev-conf||
    busybox-suid||busybox|||16|suid binaries of Busybox|so:libc.musl-x86_64.so.1||
    busybox-extras||busybox|||112|Additional binaries of Busybox|busybox so:libc.musl-x86_64.so.1|cmd:busybox-extras={v} cmd:telnet={v} cmd:tftp={v}|
    ssl_client||busybox|||28|EXternal ssl_client for busybox wget|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libssl.so.3|cmd:ssl_client={v}|iif=busybox={v}+libssl3
    alpine-baselayout|3.7.0-r0||GPL-2.0-only|https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout|312|Alpine base dir structure and init scripts|alpine-baselayout-data={v} /bin/sh||
    alpine-baselayout-data||alpine-baselayout|||96|Alpine base dir structure and init scripts|||
    alpine-base|3.22.2-r0||MIT|https://www.alpinelinux.org|4|Meta package for minimal alpine base|alpine-baselayout alpine-conf alpine-release apk-tools busybox busybox-mdev-openrc busybox-openrc busybox-suid musl-utils openrc||
    alpine-conf|3.20.0-r1||MIT|https://gitlab.alpinelinux.org/alpine/alpine-conf|340|Alpine configuration management scripts|openrc>0.13 busybox>=1.26.1-r3|cmd:lbu={v} cmd:setup-alpine={v} cmd:setup-apkrepos={v} cmd:setup-interfaces={v}|doc
    alpine-release|3.22.2-r0|alpine-base|MIT|https://www.alpinelinux.org|24|Alpine release data|alpine-keys||
    alpine-keys|2.5-r0||MIT|https://alpinelinux.org|140|Public keys for Alpine Linux packages|||noarch
    apk-tools|2.14.9-r3||GPL-2.0-only|https://gitlab.alpinelinux.org/alpine/apk-tools|256|Alpine Package Keeper - package manager for alpine|ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libssl.so.3 so:libz.so.1|so:libapk.so.2.14.0=2.14.0 cmd:apk={v}|doc,dev
    ca-certificates|20250911-r0||MPL-2.0 AND MIT|https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/|680|Common CA certificates PEM files from Mozilla|ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcrypto.so.3|cmd:update-ca-certificates={v}|doc
    ca-certificates-bundle||ca-certificates|||228|Pre generated bundle of Mozilla certificates||ca-certificates-cacert={v}|
    openrc|0.62.6-r0||BSD-2-Clause|https://github.com/OpenRC/openrc|1640|OpenRC manages the services, startup and shutdown of a host|ifupdown-any so:libc.musl-x86_64.so.1 so:libcap.so.2|so:libeinfo.so.1=1 so:librc.so.1=1 cmd:openrc={v} cmd:rc-service={v} cmd:rc-status={v} cmd:rc-update={v} cmd:start-stop-daemon={v}|doc,dev
    ifupdown-ng|0.12.1-r7||ISC|https://github.com/ifupdown-ng/ifupdown-ng|196|tools for managing network configuration|so:libc.musl-x86_64.so.1|ifupdown-any cmd:ifctrstat={v} cmd:ifdown={v} cmd:ifparse={v} cmd:ifquery={v} cmd:ifup={v}|doc
    ifupdown-ng-wireguard||ifupdown-ng|||8|ifupdown-ng executor for wireguard|wireguard-tools-wg||iif=ifupdown-ng+wireguard-tools-wg
    mdev-conf|4.8-r0||MIT|https://gitlab.alpinelinux.org/alpine/mdev-conf|20|Configuration files for mdev and mdevd|||noarch
    zlib|1.3.1-r2||Zlib|https://zlib.net/|100|A compression/decompression Library|so:libc.musl-x86_64.so.1|so:libz.so.1=1.3.1|dev,doc
    libcrypto3|3.5.4-r0|openssl|Apache-2.0|https://www.openssl.org/|4840|Crypto library from openssl|so:libc.musl-x86_64.so.1|so:libcrypto.so.3=3.5.4|
    libssl3||openssl|||856|SSL shared libraries|so:libc.musl-x86_64.so.1 so:libcrypto.so.3|so:libssl.so.3=3.5.4|
    openssl||openssl|||844|Toolkit for Transport Layer Security (TLS)|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libssl.so.3|cmd:openssl={v}|doc,dev
    libcap2|2.76-r0|libcap|BSD-3-Clause OR GPL-2.0-only|https://sites.google.com/site/fullycapable/|48|POSIX 1003.1e capabilities (libraries)|so:libc.musl-x86_64.so.1|so:libcap.so.2=2.76 so:libpsx.so.2=2.76|
    libcap-ng|0.8.5-r0||GPL-2.0-or-later AND LGPL-2.1-or-later|https://people.redhat.com/sgrubb/libcap-ng/|40|Library for Linux that makes using posix capabilities easy|so:libc.musl-x86_64.so.1|so:libcap-ng.so.0=0.0.0 so:libdrop_ambient.so.0=0.0.0|dev,doc
    libseccomp|2.6.0-r0||LGPL-2.1-only|https://github.com/seccomp/libseccomp|172|interface to the Linux Kernel's syscall filtering mechanism|so:libc.musl-x86_64.so.1|so:libseccomp.so.2=2.6.0|dev,doc
    gmp|6.3.0-r3||LGPL-3.0-or-later OR GPL-2.0-or-later|https://gmplib.org/|428|free library for arbitrary precision arithmetic|so:libc.musl-x86_64.so.1|so:libgmp.so.10=10.5.0|dev,doc
    nettle|3.10.1-r0||LGPL-2.0-or-later|https://www.lysator.liu.se/~nisse/nettle/|588|A low-level cryptographic library|so:libc.musl-x86_64.so.1 so:libgmp.so.10|so:libhogweed.so.6=6.10 so:libnettle.so.8=8.10|dev,doc
    libtasn1|4.20.0-r0||LGPL-2.1-or-later|https://www.gnu.org/software/gnutls/|88|The ASN.1 library used in GNUTLS|so:libc.musl-x86_64.so.1|so:libtasn1.so.6=6.6.4|dev,doc
    libffi|3.4.8-r0||MIT|https://sourceware.org/libffi/|44|portable, high level programming interface to various calling conventions.|so:libc.musl-x86_64.so.1|so:libffi.so.8=8.1.4|dev,doc
    p11-kit|0.25.5-r2||BSD-3-Clause|https://p11-glue.freedesktop.org/|1228|Library for loading and sharing PKCS#11 modules|so:libc.musl-x86_64.so.1 so:libffi.so.8 so:libtasn1.so.6|so:libp11-kit.so.0=0.4.1|dev,doc
    libunistring|1.3-r0||GPL-2.0-or-later OR LGPL-3.0-or-later|https://www.gnu.org/software/libunistring/|1832|Library for manipulating Unicode strings and C strings|so:libc.musl-x86_64.so.1|so:libunistring.so.5=5.2.0|dev,doc
    libidn2|2.3.7-r0||GPL-2.0-or-later OR LGPL-3.0-or-later|https://www.gnu.org/software/libidn/#libidn2|188|Encode/Decode library for internationalized domain names|so:libc.musl-x86_64.so.1 so:libunistring.so.5|so:libidn2.so.0=0.4.0|dev,doc
    gnutls|3.8.9-r0||LGPL-2.1-or-later|https://www.gnutls.org/|1880|TLS protocol implementation|so:libc.musl-x86_64.so.1 so:libgmp.so.10 so:libhogweed.so.6 so:libidn2.so.0 so:libnettle.so.8 so:libp11-kit.so.0 so:libtasn1.so.6 so:libunistring.so.5|so:libgnutls.so.30=30.40.3|dev,doc
    skalibs-libs|2.14.4.0-r0|skalibs|ISC|https://skarnet.org/software/skalibs/|192|Set of general-purpose C programming libraries for skarnet.org software. (shared library)|so:libc.musl-x86_64.so.1|so:libskarnet.so.2.14=2.14.4.0|
    utmps-libs|0.1.3.1-r0|utmps|ISC|https://skarnet.org/software/utmps/|32|A secure utmp/wtmp implementation (shared library)|so:libc.musl-x86_64.so.1 so:libskarnet.so.2.14|so:libutmps.so.0.1=0.1.3.1|
    tzdata|2025b-r0||Public-Domain|https://www.iana.org/time-zones|1460|Timezone data|||doc
    chrony|4.6.1-r2||GPL-2.0-only|https://chrony-project.org/|532|NTP client and server programs|so:libc.musl-x86_64.so.1 so:libcap.so.2 so:libgnutls.so.30 so:libnettle.so.8 so:libseccomp.so.2|cmd:chronyc={v} cmd:chronyd={v}|openrc,doc
    openssh|10.0_p1-r9||SSH-OpenSSH|https://www.openssh.com/portable.html|8|Port of OpenBSD's free SSH release|openssh-client-default openssh-sftp-server openssh-server||doc
    openssh-keygen||openssh|||444|ssh helper program for generating keys|so:libc.musl-x86_64.so.1 so:libcrypto.so.3|cmd:ssh-keygen={v}|
    openssh-client-common||openssh|||1180|OpenBSD's SSH client common files|openssh-keygen so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libz.so.1|cmd:findssl.sh={v} cmd:scp={v} cmd:sftp={v} cmd:ssh-add={v} cmd:ssh-agent={v} cmd:ssh-copy-id={v} cmd:ssh-keyscan={v}|
    openssh-client-default||openssh|||848|OpenBSD's SSH client|openssh-client-common so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libz.so.1|openssh-client={v} cmd:ssh={v}|
    openssh-sftp-server||openssh|||116|OpenSSH secure file transfer subsystem server|so:libc.musl-x86_64.so.1||
    openssh-server-common||openssh|||12|OpenSSH server common files|||
    openssh-server-common-openrc||openssh|||12|OpenSSH server common files (OpenRC init scripts)|||iif=openrc+openssh-server-common={v}
    openssh-server||openssh|||1052|OpenSSH server|openssh-keygen openssh-server-common so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libutmps.so.0.1 so:libz.so.1|cmd:sshd={v} cmd:sshd-auth={v} cmd:sshd-session={v}|
    acf-core|0.23.2-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-core|256|Web-based system administration interface framework|acf-jquery acf-lib acf-skins haserl-lua5.2 lua5.2 lua5.2-posix lua5.2-md5 lua5.2-json4 lua5.2-subprocess||noarch,doc
    acf-lib|0.11.0-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-lib|88|Lua libraries for ACF|||noarch
    acf-skins|0.7.0-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-skins|344|Skins for ACF|||noarch
    acf-jquery|0.4.3-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-jquery|600|jQuery libraries for ACF|||noarch
    acf-alpine-baselayout|0.13.4-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-alpine-baselayout|212|Web-based system administration interface for alpine-baselayout|acf-core lua5.2-posix||noarch
    acf-apk-tools|0.11.2-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-apk-tools|56|Web-based system administration interface for apk-tools|acf-core lua5.2-posix||noarch
    acf-openssh|0.11.3-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-openssh|60|Web-based system administration interface for openssh|acf-core openssh||noarch
    acf-chrony|0.8.1-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-chrony|36|Web-based system administration interface for chrony|acf-core chrony||noarch
    acf-squid|0.11.2-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-squid|84|Web-based system administration interface for squid|acf-core squid||noarch
    acf-dnsmasq|0.7.2-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-dnsmasq|40|Web-based system administration interface for dnsmasq|acf-core dnsmasq||noarch
    acf-awall|0.5.1-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-awall|52|Web-based system administration interface for awall|acf-core awall||noarch
    acf-openvpn|0.11.2-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-openvpn|64|Web-based system administration interface for openvpn|acf-core openvpn||noarch
    acf-iptables|0.7.1-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-iptables|48|Web-based system administration interface for iptables|acf-core iptables||noarch
    acf-unbound|0.2.1-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-unbound|24|Web-based system administration interface for unbound|acf-core unbound||noarch
    acf-strongswan|0.3.0-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/acf/acf-strongswan|28|Web-based system administration interface for strongswan|acf-core strongswan||noarch
    haserl|0.9.36-r2||GPL-2.0-only|https://haserl.sourceforge.net/|44|Html And Shell Embedded Report Language|so:libc.musl-x86_64.so.1|cmd:haserl={v}|doc
    haserl-lua5.2||haserl|||60|Html And Shell Embedded Report Language with Lua 5.2 support|so:libc.musl-x86_64.so.1 so:liblua-5.2.so.0|cmd:haserl-lua5.2={v}|
    lua5.2|5.2.4-r14||MIT|https://www.lua.org/|36|Powerful light-weight programming language|lua5.2-libs so:libc.musl-x86_64.so.1 so:liblua-5.2.so.0|cmd:lua5.2={v} cmd:luac5.2={v}|doc,dev
    lua5.2-libs||lua5.2|||176|Powerful light-weight programming language (libraries)|so:libc.musl-x86_64.so.1|so:liblua-5.2.so.0=0.0.0|
    lua5.2-posix|36.2.1-r0|lua-posix|MIT|https://github.com/luaposix/luaposix|416|POSIX library for Lua 5.2|so:libc.musl-x86_64.so.1||
    lua5.2-md5|1.3-r4|lua-md5|MIT|https://github.com/keplerproject/md5|40|Basic cryptographic library for Lua 5.2|so:libc.musl-x86_64.so.1||
    lua5.2-json4|1.0.1-r3|lua-json4|MIT|https://github.com/craigmj/json4lua|24|JSON encoding and decoding module for Lua 5.2|||noarch
    lua5.2-subprocess|0.0.20141229-r9|lua-subprocess|MIT|https://github.com/tdtrask/lua-subprocess|36|A Lua module written in C that allows you to create child processes and communicate with them (Lua 5.2)|so:libc.musl-x86_64.so.1||
    lua5.4|5.4.7-r1||MIT|https://www.lua.org/|36|Powerful light-weight programming language|lua5.4-libs so:libc.musl-x86_64.so.1 so:liblua-5.4.so.0|cmd:lua5.4={v} cmd:luac5.4={v}|doc,dev
    lua5.4-libs||lua5.4|||240|Powerful light-weight programming language (libraries)|so:libc.musl-x86_64.so.1|so:liblua-5.4.so.0=0.0.0|
    lua5.4-posix|36.2.1-r0|lua-posix|MIT|https://github.com/luaposix/luaposix|416|POSIX library for Lua 5.4|so:libc.musl-x86_64.so.1||
    lua5.4-alt-getopt|0.8.0-r2|lua-alt-getopt|MIT|https://github.com/cheusov/lua-alt-getopt|20|Lua module for processing options similar to getopt_long(3)|||noarch
    lua5.4-lyaml|6.2.8-r2|lua-lyaml|MIT|https://github.com/gvvaughan/lyaml|144|LibYAML binding for Lua 5.4|so:libc.musl-x86_64.so.1 so:libyaml-0.so.2||
    lua5.4-pc|1.0.0-r12|lua-pc|MIT|https://github.com/tdtrask/lua-pc|20|Lua process call with pipes (Lua 5.4)|so:libc.musl-x86_64.so.1||
    yaml|0.2.5-r2||MIT|https://pyyaml.org/wiki/LibYAML|132|YAML 1.1 parser and emitter written in C|so:libc.musl-x86_64.so.1|so:libyaml-0.so.2=2.0.9|dev
    mini_httpd|1.30-r5||BSD-2-Clause|https://www.acme.com/software/mini_httpd/|72|Small forking webserver with ssl and ipv6 support|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libssl.so.3|cmd:htpasswd={v} cmd:mini_httpd={v}|openrc,doc
    squid|6.14-r0||GPL-2.0-or-later|https://www.squid-cache.org/|10124|Full-featured Web proxy cache server|logrotate so:libc.musl-x86_64.so.1 so:libcap.so.2 so:libcrypto.so.3 so:libexpat.so.1 so:libgcc_s.so.1 so:libltdl.so.7 so:libssl.so.3 so:libstdc++.so.6 so:libxml2.so.2|cmd:squid={v}|openrc,doc
    logrotate|3.22.0-r0||GPL-2.0-or-later|https://github.com/logrotate/logrotate|108|Tool to rotate logfiles|so:libc.musl-x86_64.so.1 so:libpopt.so.0|cmd:logrotate={v}|openrc,doc
    popt|1.19-r4||MIT|https://github.com/rpm-software-management/popt|92|commandline option parser|so:libc.musl-x86_64.so.1|so:libpopt.so.0=0.0.2|dev,doc
    libexpat|2.7.1-r0|expat|MIT|https://libexpat.github.io/|176|XML SAX Parser library written in C|so:libc.musl-x86_64.so.1|so:libexpat.so.1=1.10.2|
    libgcc|14.2.0-r6|gcc|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org|160|GNU C compiler runtime libraries|so:libc.musl-x86_64.so.1|so:libgcc_s.so.1=1|
    libstdc++|14.2.0-r6|gcc|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org|2584|GNU C++ standard runtime library|so:libc.musl-x86_64.so.1 so:libgcc_s.so.1|so:libstdc++.so.6=6.0.33|
    libltdl|2.5.4-r1|libtool|LGPL-2.0-or-later AND GPL-2.0-or-later|https://www.gnu.org/software/libtool|44|Runtime libraries for GNU Libtool Dynamic Module Loader|so:libc.musl-x86_64.so.1|so:libltdl.so.7=7.3.3|
    libxml2|2.13.8-r0||MIT|https://gitlab.gnome.org/GNOME/libxml2|1288|XML parsing library, version 2|so:libc.musl-x86_64.so.1 so:liblzma.so.5 so:libz.so.1|so:libxml2.so.2=2.13.8|dev,doc
    xz-libs|5.8.1-r0|xz|0BSD AND GPL-2.0-or-later AND LGPL-2.1-or-later|https://tukaani.org/xz|196|Library and CLI tools for XZ and LZMA compressed files (libraries)|so:libc.musl-x86_64.so.1|so:liblzma.so.5=5.8.1|
    xz||xz|||188|Library and CLI tools for XZ and LZMA compressed files|so:libc.musl-x86_64.so.1 so:liblzma.so.5|cmd:unxz={v} cmd:xz={v} cmd:xzcat={v}|doc,dev
    dnsmasq|2.91-r0||GPL-2.0-only|https://www.thekelleys.org.uk/dnsmasq/|392|A lightweight DNS, DHCP, RA, TFTP and PXE server|dnsmasq-common so:libc.musl-x86_64.so.1|cmd:dnsmasq={v}|openrc,doc
    dnsmasq-common||dnsmasq|||48|A lightweight DNS, DHCP, RA, TFTP and PXE server (common files)|||
    samba|4.22.4-r0||GPL-3.0-or-later|https://www.samba.org/|4|Tools to access a server's filespace and printers via SMB|samba-server samba-common-tools||doc
    samba-server||samba|||9624|Samba server|samba-common samba-common-server-libs so:libc.musl-x86_64.so.1|cmd:nmbd={v} cmd:smbd={v}|openrc
    samba-common||samba|||40|Samba common files|||noarch
    samba-common-server-libs||samba|||8812|Samba libraries shared by the server and its tools|so:libc.musl-x86_64.so.1|so:libsmbd-base-private-samba.so=0|
    samba-common-tools||samba|||2236|Tools for Samba servers and clients|samba-common-server-libs so:libc.musl-x86_64.so.1|cmd:pdbedit={v} cmd:smbpasswd={v} cmd:smbstatus={v} cmd:testparm={v}|
    dnsmasq-dnssec||dnsmasq|||420|A lightweight DNS, DHCP, RA, TFTP and PXE server with DNSSEC support|dnsmasq-common so:libc.musl-x86_64.so.1 so:libgmp.so.10 so:libhogweed.so.6 so:libnettle.so.8|cmd:dnsmasq={v}|
    nginx|1.28.0-r3||BSD-2-Clause|https://nginx.org/|1180|HTTP and reverse proxy server (stable version)|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libpcre2-8.so.0 so:libssl.so.3 so:libz.so.1|cmd:nginx={v}|openrc,doc
    nginx-mod-stream||nginx|||212|Stream module for Nginx|nginx so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libssl.so.3||
    pcre2|10.43-r1||BSD-3-Clause|https://pcre.org/|724|Perl-compatible regular expression library|so:libc.musl-x86_64.so.1|so:libpcre2-8.so.0=0.13.0 so:libpcre2-posix.so.3=3.0.5|dev,doc
    haproxy|3.2.4-r0||GPL-2.0-or-later AND LGPL-2.1-only|https://www.haproxy.org/|3412|A TCP/HTTP reverse proxy for high availability environments|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:liblua-5.4.so.0 so:libpcre2-8.so.0 so:libssl.so.3 so:libz.so.1|cmd:haproxy={v}|openrc,doc
    keepalived|2.3.3-r0||GPL-2.0-or-later|https://www.keepalived.org/|1132|Failover and monitoring daemon for LVS clusters|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libmnl.so.0 so:libnftnl.so.11 so:libnl-3.so.200 so:libnl-genl-3.so.200 so:libssl.so.3|cmd:keepalived={v}|openrc,doc
    libnl3|3.11.0-r0||LGPL-2.1-or-later|https://github.com/thom311/libnl|1092|Netlink Socket Library Version 3|so:libc.musl-x86_64.so.1|so:libnl-3.so.200=200.26.0 so:libnl-genl-3.so.200=200.26.0 so:libnl-route-3.so.200=200.26.0|dev,doc
    libmnl|1.0.5-r2||LGPL-2.1-or-later|https://www.netfilter.org/projects/libmnl/|28|Library for minimalistic netlink|so:libc.musl-x86_64.so.1|so:libmnl.so.0=0.2.0|dev
    libnftnl|1.2.9-r0||GPL-2.0-or-later|https://www.netfilter.org/projects/libnftnl/|220|Netfilter library providing interface to the nf_tables subsystem|so:libc.musl-x86_64.so.1 so:libmnl.so.0|so:libnftnl.so.11=11.6.0|dev
    iptables|1.8.11-r1||GPL-2.0-or-later|https://www.netfilter.org/projects/iptables/index.html|1740|Linux kernel firewall, NAT and packet mangling tools|so:libc.musl-x86_64.so.1 so:libmnl.so.0 so:libnftnl.so.11|so:libip4tc.so.2=2.0.0 so:libip6tc.so.2=2.0.0 so:libxtables.so.12=12.7.0 cmd:iptables={v} cmd:iptables-restore={v} cmd:iptables-save={v} cmd:xtables-nft-multi={v}|openrc,doc,dev
    ip6tables||iptables|||8|Linux kernel firewall, NAT and packet mangling tools for IPv6|iptables|cmd:ip6tables={v} cmd:ip6tables-restore={v} cmd:ip6tables-save={v}|openrc
    nftables|1.1.3-r0||GPL-2.0-or-later|https://netfilter.org/projects/nftables|1012|Netfilter tables userspace tools|so:libc.musl-x86_64.so.1 so:libjansson.so.4 so:libmnl.so.0 so:libnftnl.so.11 so:libreadline.so.8|so:libnftables.so.1=1.1.0 cmd:nft={v}|openrc,doc,dev
    jansson|2.14.1-r0||MIT|https://www.digip.org/jansson/|56|JSON library|so:libc.musl-x86_64.so.1|so:libjansson.so.4=4.14.1|dev
    ipset|7.23-r0||GPL-2.0-only|https://ipset.netfilter.org/|284|Manage Linux IP sets|so:libc.musl-x86_64.so.1 so:libmnl.so.0|so:libipset.so.13=13.5.0 cmd:ipset={v}|openrc,doc,dev
    conntrack-tools|1.4.8-r0||GPL-2.0-or-later|https://conntrack-tools.netfilter.org/|552|Connection tracking userspace tools|so:libc.musl-x86_64.so.1 so:libmnl.so.0 so:libnetfilter_conntrack.so.3 so:libnfnetlink.so.0|cmd:conntrack={v} cmd:conntrackd={v}|openrc,doc
    libnetfilter_conntrack|1.1.0-r0||GPL-2.0-or-later|https://www.netfilter.org/projects/libnetfilter_conntrack/|108|programming interface (API) to the in-kernel connection tracking state table|so:libc.musl-x86_64.so.1 so:libmnl.so.0 so:libnfnetlink.so.0|so:libnetfilter_conntrack.so.3=3.8.0|dev
    libnfnetlink|1.0.2-r2||GPL-2.0-or-later|https://www.netfilter.org/projects/libnfnetlink/|36|low-level library for netfilter related kernel/userspace communication|so:libc.musl-x86_64.so.1|so:libnfnetlink.so.0=0.2.0|dev
    awall|1.12.4-r0||GPL-2.0-only|https://gitlab.alpinelinux.org/alpine/awall|352|Alpine Wall|ipset iptables ip6tables lua5.4 lua5.4-alt-getopt lua5.4-lyaml lua5.4-pc lua5.4-posix|cmd:awall={v}|noarch,doc
    awall-masquerade||awall|||8|Alpine Wall masquerading policy|||noarch
    frr|10.3.1-r0||GPL-2.0-or-later AND LGPL-2.1-or-later|https://frrouting.org/|20940|FRRouting is a fork of quagga|iproute2-minimal so:libc.musl-x86_64.so.1 so:libcap.so.2 so:libcares.so.2 so:libcrypto.so.3 so:libjson-c.so.5 so:libprotobuf-c.so.1 so:libreadline.so.8 so:libyang.so.3|so:libfrr.so.0=0.0.0 so:libfrrospfapiclient.so.0=0.0.0 cmd:vtysh={v} cmd:zebra={v} cmd:bgpd={v} cmd:ospfd={v} cmd:nhrpd={v}|openrc,doc,dev
    frr-pythontools||frr|||172|Python tools from FRRouting|frr python3|cmd:frr-reload.py={v}|
    libyang|3.12.2-r0||BSD-3-Clause|https://github.com/CESNET/libyang|1552|YANG data modelling language parser and toolkit|so:libc.musl-x86_64.so.1 so:libpcre2-8.so.0|so:libyang.so.3=3.10.0 cmd:yanglint={v}|dev,doc
    protobuf-c|1.5.2-r0||BSD-2-Clause|https://github.com/protobuf-c/protobuf-c|52|Protocol Buffers implementation in C|so:libc.musl-x86_64.so.1|so:libprotobuf-c.so.1=1.0.0|dev
    json-c|0.18-r1||MIT|https://github.com/json-c/json-c/wiki|84|JSON implementation in C|so:libc.musl-x86_64.so.1|so:libjson-c.so.5=5.4.0|dev,doc
    c-ares|1.34.5-r0||MIT|https://c-ares.org/|184|Asynchronous DNS/names resolver library|so:libc.musl-x86_64.so.1|so:libcares.so.2=2.19.4|dev,doc
    readline|8.2.13-r1||GPL-3.0-or-later|https://tiswww.cwru.edu/php/chet/readline/rltop.html|268|GNU readline library|so:libc.musl-x86_64.so.1 so:libncursesw.so.6|so:libreadline.so.8=8.2|dev,doc
    libncursesw|6.5_p20250503-r0|ncurses|X11|https://invisible-island.net/ncurses/|384|Console display library (libncursesw)|ncurses-terminfo-base so:libc.musl-x86_64.so.1|so:libformw.so.6=6.5 so:libmenuw.so.6=6.5 so:libncursesw.so.6=6.5 so:libpanelw.so.6=6.5|
    ncurses-terminfo-base||ncurses|||128|Descriptions of common terminals|||
    iproute2|6.15.0-r0||GPL-2.0-or-later|https://wiki.linuxfoundation.org/networking/iproute2|28|IP Routing Utilities|iproute2-minimal iproute2-ss iproute2-tc||doc
    iproute2-minimal||iproute2|||892|IP Routing Utilities (/sbin/ip only)|so:libc.musl-x86_64.so.1 so:libmnl.so.0|cmd:ip={v}|
    iproute2-ss||iproute2|||196|IP Routing Utilities (ss)|so:libc.musl-x86_64.so.1 so:libmnl.so.0|cmd:ss={v}|
    iproute2-tc||iproute2|||600|IP Routing Utilities (traffic control)|so:libc.musl-x86_64.so.1 so:libelf.so.1 so:libmnl.so.0|cmd:tc={v}|
    libelf|0.193-r0|elfutils|GPL-3.0-or-later AND (GPL-2.0-or-later OR LGPL-3.0-or-later)|https://sourceware.org/elfutils/|992|libelf library|so:libc.musl-x86_64.so.1 so:libz.so.1 so:libzstd.so.1 so:liblzma.so.5|so:libelf.so.1=1|
    zstd-libs|1.5.7-r0|zstd|BSD-3-Clause OR GPL-2.0-or-later|https://www.zstd.net/|708|Zstandard - Fast real-time compression algorithm (libraries)|so:libc.musl-x86_64.so.1|so:libzstd.so.1=1.5.7|
    zstd||zstd|||348|Zstandard - Fast real-time compression algorithm|so:libc.musl-x86_64.so.1 so:libzstd.so.1|cmd:zstd={v} cmd:zstdcat={v} cmd:unzstd={v}|doc
    strongswan|6.0.1-r2||GPL-2.0-or-later|https://www.strongswan.org/|3616|IPsec-based VPN solution focused on security and ease of use, supporting IKEv1/IKEv2 and MOBIKE|iproute2 so:libc.musl-x86_64.so.1 so:libcap.so.2 so:libcrypto.so.3 so:libcurl.so.4|so:libcharon.so.0=0.0.0 so:libstrongswan.so.0=0.0.0 so:libvici.so.0=0.0.0 cmd:charon-cmd={v} cmd:ipsec={v} cmd:swanctl={v}|openrc,doc
    openvpn|2.6.14-r0||GPL-2.0-only|https://openvpn.net/|664|A robust, and highly configurable VPN (Virtual Private Network)|iproute2-minimal so:libc.musl-x86_64.so.1 so:libcap-ng.so.0 so:libcrypto.so.3 so:liblz4.so.1 so:liblzo2.so.2 so:libnl-3.so.200 so:libnl-genl-3.so.200 so:libssl.so.3|cmd:openvpn={v}|openrc,doc
    lzo|2.10-r5||GPL-2.0-or-later|https://www.oberhumer.com/opensource/lzo|152|Portable lossless data compression library|so:libc.musl-x86_64.so.1|so:liblzo2.so.2=2.0.0|dev,doc
    lz4-libs|1.10.0-r0|lz4|BSD-2-Clause AND GPL-2.0-only|https://github.com/lz4/lz4|128|LZ4 is lossless compression algorithm with fast decoder @ multiple GB/s per core. (libraries)|so:libc.musl-x86_64.so.1|so:liblz4.so.1=1.10.0|
    wireguard-tools|1.0.20250521-r0||GPL-2.0-only|https://www.wireguard.com|8|Next generation secure network tunnel: userspace tools|wireguard-tools-wg wireguard-tools-wg-quick||doc
    wireguard-tools-wg||wireguard-tools|||92|Next generation secure network tunnel: userspace tools (wg tool only)|so:libc.musl-x86_64.so.1|cmd:wg={v}|
    wireguard-tools-wg-quick||wireguard-tools|||28|Next generation secure network tunnel: userspace tools (wg-quick script)|bash iproute2-minimal wireguard-tools-wg|cmd:wg-quick={v}|
    bash|5.2.37-r0||GPL-3.0-or-later|https://www.gnu.org/software/bash/bash.html|1304|The GNU Bourne Again shell|/bin/sh so:libc.musl-x86_64.so.1 so:libreadline.so.8|cmd:bash={v}|doc,dev
    bash-completion|2.16.0-r0||GPL-2.0-or-later|https://github.com/scop/bash-completion|1068|Command-line tab-completion for bash|bash||noarch,doc
    unbound|1.23.1-r0||BSD-3-Clause|https://nlnetlabs.nl/projects/unbound/|1460|Unbound is a validating, recursive, and caching DNS resolver|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libevent-2.1.so.7 so:libexpat.so.1 so:libnghttp2.so.14 so:libssl.so.3 so:libunbound.so.8|cmd:unbound={v} cmd:unbound-control={v}|openrc,doc,dev
    unbound-libs||unbound|||1020|Unbound DNS resolver library|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libevent-2.1.so.7 so:libnghttp2.so.14 so:libssl.so.3|so:libunbound.so.8=8.1.29|
    libevent|2.1.12-r8||BSD-3-Clause|https://libevent.org/|360|An event notification library|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libssl.so.3|so:libevent-2.1.so.7=7.0.1 so:libevent_core-2.1.so.7=7.0.1 so:libevent_extra-2.1.so.7=7.0.1|dev
    nghttp2-libs|1.65.0-r0|nghttp2|MIT|https://nghttp2.org|168|Experimental HTTP/2 client, server and proxy (libraries)|so:libc.musl-x86_64.so.1|so:libnghttp2.so.14=14.28.4|
    curl|8.14.1-r2||curl|https://curl.se/|256|URL retrieval utility and library|ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcurl.so.4 so:libz.so.1|cmd:curl={v}|doc,dev
    libcurl||curl|||792|The multiprotocol file transfer library|ca-certificates-bundle so:libbrotlidec.so.1 so:libc.musl-x86_64.so.1 so:libcares.so.2 so:libcrypto.so.3 so:libidn2.so.0 so:libnghttp2.so.14 so:libpsl.so.5 so:libssl.so.3 so:libz.so.1 so:libzstd.so.1|so:libcurl.so.4=4.8.0|
    brotli-libs|1.1.0-r2|brotli|MIT|https://github.com/google/brotli|728|Generic lossless compressor (libraries)|so:libc.musl-x86_64.so.1|so:libbrotlicommon.so.1=1.1.0 so:libbrotlidec.so.1=1.1.0 so:libbrotlienc.so.1=1.1.0|
    libpsl|0.21.5-r3||MIT|https://rockdaboot.github.io/libpsl/|120|C library for the Publix Suffix List|so:libc.musl-x86_64.so.1 so:libidn2.so.0 so:libunistring.so.5|so:libpsl.so.5=5.3.5|dev,doc
    wget|1.25.0-r1||GPL-3.0-or-later|https://www.gnu.org/software/wget/wget.html|448|Network utility to retrieve files from the Web|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libidn2.so.0 so:libpcre2-8.so.0 so:libssl.so.3 so:libz.so.1|cmd:wget={v}|doc
    bind-tools|9.20.15-r0|bind|MPL-2.0|https://www.isc.org/|468|The ISC DNS tools|bind-libs so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libidn2.so.0 so:libuv.so.1|cmd:delv={v} cmd:dig={v} cmd:host={v} cmd:nslookup={v} cmd:nsupdate={v}|
    bind-libs||bind|||4456|The ISC DNS server (libraries)|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libjson-c.so.5 so:libnghttp2.so.14 so:libssl.so.3 so:liburcu.so.8 so:libuv.so.1 so:libxml2.so.2 so:libz.so.1|so:libdns-9.20.15.so=0 so:libisc-9.20.15.so=0 so:libisccc-9.20.15.so=0 so:libisccfg-9.20.15.so=0 so:libns-9.20.15.so=0|
    libuv|1.51.0-r0||MIT AND CC-BY-4.0|https://libuv.org/|184|Cross-platform asychronous I/O|so:libc.musl-x86_64.so.1|so:libuv.so.1=1.0.0|dev,doc
    userspace-rcu|0.15.2-r0||LGPL-2.1-or-later|https://liburcu.org/|412|Userspace RCU (read-copy-update) library|so:libc.musl-x86_64.so.1|so:liburcu-bp.so.8=8.1.0 so:liburcu-cds.so.8=8.1.0 so:liburcu-common.so.8=8.1.0 so:liburcu.so.8=8.1.0|dev,doc
    tcpdump|4.99.5-r1||BSD-3-Clause|https://www.tcpdump.org/|660|A tool for network monitoring and data acquisition|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libpcap.so.1|cmd:tcpdump={v}|doc
    libpcap|1.10.5-r1||BSD-3-Clause|https://www.tcpdump.org/|276|A system-independent interface for user-level packet capture|so:libc.musl-x86_64.so.1|so:libpcap.so.1=1.10.5|dev,doc
    htop|3.4.1-r0||GPL-2.0-or-later|https://htop.dev/|316|Interactive process viewer|so:libc.musl-x86_64.so.1 so:libncursesw.so.6|cmd:htop={v}|doc
    vim|9.1.1566-r0||Vim|https://www.vim.org/|3860|Improved vi-style text editor|xxd so:libc.musl-x86_64.so.1 so:libncursesw.so.6|cmd:ex={v} cmd:vim={v} cmd:vimdiff={v} cmd:view={v}|doc
    xxd||vim|||40|Hexdump utility from vim|so:libc.musl-x86_64.so.1|cmd:xxd={v}|
    nano|8.4-r0||GPL-3.0-or-later|https://www.nano-editor.org/|612|Enhanced clone of the Pico text editor|so:libc.musl-x86_64.so.1 so:libmagic.so.1 so:libncursesw.so.6|cmd:nano={v} cmd:rnano={v}|doc
    libmagic|5.46-r2|file|BSD-2-Clause|https://www.darwinsys.com/file|9836|File type identification library|so:libc.musl-x86_64.so.1 so:libz.so.1|so:libmagic.so.1=1.0.0|
    less|679-r0||GPL-3.0-or-later OR BSD-2-Clause|https://www.greenwoodsoftware.com/less/|196|File pager|so:libc.musl-x86_64.so.1 so:libncursesw.so.6|cmd:less={v} cmd:lessecho={v} cmd:lesskey={v}|doc
    tmux|3.5a-r1||ISC|https://tmux.github.io/|720|Tool to control multiple terminals from a single terminal|so:libc.musl-x86_64.so.1 so:libevent_core-2.1.so.7 so:libncursesw.so.6|cmd:tmux={v}|doc
    iperf3|3.19-r0||BSD-3-Clause-LBNL|https://github.com/esnet/iperf|272|A tool to measure IP bandwidth using UDP or TCP|so:libc.musl-x86_64.so.1 so:libcrypto.so.3|so:libiperf.so.0=0.0.0 cmd:iperf3={v}|openrc,doc,dev
    mtr|0.96-r0||GPL-2.0-only|https://www.bitwizard.nl/mtr/|148|Full screen ncurses traceroute tool|so:libc.musl-x86_64.so.1 so:libncursesw.so.6|cmd:mtr={v} cmd:mtr-packet={v}|doc
    ethtool|6.14-r0||GPL-2.0-only|https://mirrors.edge.kernel.org/pub/software/network/ethtool/|620|Utility for displaying or changing ethernet card settings|so:libc.musl-x86_64.so.1 so:libmnl.so.0|cmd:ethtool={v}|doc
    radvd|2.20-r0||custom|https://radvd.litech.org/|156|IPv6 router advertisement daemon|so:libc.musl-x86_64.so.1|cmd:radvd={v} cmd:radvdump={v}|openrc,doc
    dhcpcd|10.2.4-r0||BSD-2-Clause|https://roy.marples.name/projects/dhcpcd|476|RFC2131 compliant DHCP client|so:libc.musl-x86_64.so.1|cmd:dhcpcd={v}|openrc,doc
    ppp-daemon|2.5.2-r0|ppp|BSD-3-Clause AND BSD-4-Clause AND GPL-2.0-or-later AND LGPL-2.0-or-later AND Public-Domain|https://ppp.samba.org/|792|A daemon which implements the PPP protocol|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libpcap.so.1|cmd:pppd={v} cmd:pppstats={v}|
    ppp-pppoe||ppp|||60|PPPoE plugin for pppd|ppp-daemon so:libc.musl-x86_64.so.1||
    bird|2.17.1-r0|bird2|GPL-2.0-or-later|https://bird.network.cz/|1076|BIRD Internet Routing Daemon|so:libc.musl-x86_64.so.1 so:libncursesw.so.6 so:libreadline.so.8|cmd:bird={v} cmd:birdc={v} cmd:birdcl={v}|openrc,doc
    net-snmp|5.9.4-r2||Net-SNMP|https://www.net-snmp.org/|580|Simple Network Management Protocol programs|net-snmp-agent-libs so:libc.musl-x86_64.so.1 so:libnetsnmp.so.40|cmd:snmpd={v} cmd:snmptrapd={v}|openrc,doc,dev
    net-snmp-libs||net-snmp|||1480|Simple Network Management Protocol programs (libraries)|so:libc.musl-x86_64.so.1 so:libcrypto.so.3|so:libnetsnmp.so.40=40.2.1|
    net-snmp-agent-libs||net-snmp|||1032|Simple Network Management Protocol programs (agent libraries)|so:libc.musl-x86_64.so.1 so:libnetsnmp.so.40|so:libnetsnmpagent.so.40=40.2.1 so:libnetsnmpmibs.so.40=40.2.1|
    net-snmp-tools||net-snmp|||404|Simple Network Management Protocol programs (tools)|so:libc.musl-x86_64.so.1 so:libnetsnmp.so.40|cmd:snmpget={v} cmd:snmpset={v} cmd:snmpwalk={v}|
    lldpd|1.0.19-r0||ISC|https://lldpd.github.io/|548|Implementation of IEEE 802.1ab (LLDP)|so:libc.musl-x86_64.so.1 so:libcap.so.2 so:libevent-2.1.so.7 so:libreadline.so.8|so:liblldpctl.so.4=4.9.1 cmd:lldpcli={v} cmd:lldpd={v}|openrc,doc
    jq|1.8.0-r0||MIT|https://jqlang.github.io/jq/|284|A lightweight and flexible command-line JSON processor|so:libc.musl-x86_64.so.1 so:libonig.so.5|cmd:jq={v}|doc,dev
    oniguruma|6.9.10-r0||BSD-2-Clause|https://github.com/kkos/oniguruma|604|a regular expressions library|so:libc.musl-x86_64.so.1|so:libonig.so.5=5.4.0|dev
    rsync|3.4.1-r0||GPL-3.0-or-later|https://rsync.samba.org/|528|A file transfer program to keep remote files in sync|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:liblz4.so.1 so:libpopt.so.0 so:libxxhash.so.0 so:libzstd.so.1|cmd:rsync={v}|openrc,doc
    xxhash|0.8.3-r0||BSD-2-Clause AND GPL-2.0-or-later|https://cyan4973.github.io/xxHash/|72|Extremely fast non-cryptographic hash algorithm|so:libc.musl-x86_64.so.1|so:libxxhash.so.0=0.8.3 cmd:xxhsum={v}|dev,doc
    doas|6.8.2-r9||ISC|https://github.com/Duncaen/OpenDoas|56|Run commands as super user or another user|so:libc.musl-x86_64.so.1|cmd:doas={v}|doc
    fail2ban|1.1.0-r3||GPL-2.0-or-later|https://www.fail2ban.org/|2748|Scans log files and bans IPs that show malicious signs|iptables logrotate python3|cmd:fail2ban-client={v} cmd:fail2ban-server={v}|noarch,openrc,doc
    python3|3.12.11-r0||PSF-2.0|https://www.python.org/|26264|A high-level scripting language|so:libbz2.so.1 so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libexpat.so.1 so:libffi.so.8 so:liblzma.so.5 so:libncursesw.so.6 so:libpanelw.so.6 so:libreadline.so.8 so:libsqlite3.so.0 so:libssl.so.3 so:libz.so.1|so:libpython3.12.so.1.0=1.0 cmd:python3={v} cmd:python3.12={v}|doc,dev
    libbz2|1.0.8-r6|bzip2|bzip2-1.0.6|https://sourceware.org/bzip2/|72|Shared library for bz2|so:libc.musl-x86_64.so.1|so:libbz2.so.1=1.0.8|
    sqlite-libs|3.49.2-r1|sqlite|blessing|https://www.sqlite.org/|1448|Sqlite3 library|so:libc.musl-x86_64.so.1 so:libz.so.1|so:libsqlite3.so.0=0.8.6|
    pkgconf|2.4.3-r0||ISC|https://gitea.treehouse.systems/ariadne/pkgconf|152|development framework configuration tools|so:libc.musl-x86_64.so.1|pc:pkg-config=0.29.2 pkgconfig=1 so:libpkgconf.so.6=6.0.0 cmd:pkg-config={v} cmd:pkgconf={v}|doc,dev
    docs|0.2-r6||MIT|https://alpinelinux.org|4|Meta package for pulling in all documentation|doc-provider||noarch
    mandoc|1.14.6-r13||ISC|https://mandoc.bsd.lv/|680|BSD licensed manpage compiler toolset|so:libc.musl-x86_64.so.1 so:libz.so.1|doc-provider cmd:man={v} cmd:mandoc={v}|doc
    e2fsprogs|1.47.2-r2||GPL-2.0-or-later AND LGPL-2.0-or-later AND BSD-3-Clause AND MIT|https://e2fsprogs.sourceforge.net/|1272|Standard Ext2/3/4 filesystem utilities|so:libc.musl-x86_64.so.1 so:libblkid.so.1 so:libcom_err.so.2 so:libe2p.so.2 so:libext2fs.so.2 so:libuuid.so.1|cmd:e2fsck={v} cmd:mke2fs={v} cmd:resize2fs={v} cmd:tune2fs={v}|doc,dev
    e2fsprogs-libs||e2fsprogs|||392|Ext2/3/4 filesystem libraries|so:libc.musl-x86_64.so.1 so:libcom_err.so.2|so:libe2p.so.2=2.3 so:libext2fs.so.2=2.4|
    libcom_err||e2fsprogs|||28|Common error description library|so:libc.musl-x86_64.so.1|so:libcom_err.so.2=2.1|
    libblkid|2.41-r9|util-linux|LGPL-2.1-or-later|https://git.kernel.org/cgit/utils/util-linux/util-linux.git|312|Block device identification library from util-linux|so:libc.musl-x86_64.so.1|so:libblkid.so.1=1.1.0|
    libuuid||util-linux|||40|DCE compatible Universally Unique Identifier library|so:libc.musl-x86_64.so.1|so:libuuid.so.1=1.3.0|
    lvm2|2.03.32-r1||GPL-2.0-only AND LGPL-2.1-only|https://sourceware.org/lvm2/|2640|Logical Volume Manager 2 utilities|so:libc.musl-x86_64.so.1 so:libaio.so.1 so:libblkid.so.1 so:libdevmapper.so.1.02|cmd:lvm={v} cmd:lvcreate={v} cmd:pvcreate={v} cmd:vgcreate={v}|openrc,doc
    device-mapper-libs||lvm2|||336|Device-mapper shared library|so:libc.musl-x86_64.so.1|so:libdevmapper.so.1.02=1.02|
    libaio|0.3.113-r2||LGPL-2.1-or-later|https://pagure.io/libaio|16|Asynchronous input/output library|so:libc.musl-x86_64.so.1|so:libaio.so.1=1.0.2|dev
    mdadm|4.4-r0||GPL-2.0-or-later|https://neil.brown.name/blog/mdadm|836|A tool for managing Linux Software RAID arrays|so:libc.musl-x86_64.so.1|cmd:mdadm={v} cmd:mdmon={v}|openrc,doc
    smartmontools|7.5-r0||GPL-2.0-or-later|https://www.smartmontools.org/|1460|Control and monitor S.M.A.R.T. enabled ATA and SCSI Hard Drives|so:libc.musl-x86_64.so.1 so:libgcc_s.so.1 so:libstdc++.so.6|cmd:smartctl={v} cmd:smartd={v}|openrc,doc
    syslog-ng|4.8.3-r0||GPL-2.0-or-later AND LGPL-2.1-or-later|https://www.syslog-ng.com/products/open-source-log-management/|2320|Next generation logging daemon|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libglib-2.0.so.0 so:libivykis.so.0 so:libjson-c.so.5 so:libpcre2-8.so.0 so:libssl.so.3|cmd:syslog-ng={v}|openrc,doc
    glib|2.84.4-r0||LGPL-2.1-or-later|https://developer.gnome.org/glib/|4224|Common C routines used by Gtk+ and other libs|so:libc.musl-x86_64.so.1 so:libffi.so.8 so:libintl.so.8 so:libpcre2-8.so.0 so:libz.so.1|so:libgio-2.0.so.0=0.8400.4 so:libglib-2.0.so.0=0.8400.4 so:libgobject-2.0.so.0=0.8400.4|dev,doc
    libintl|0.24.1-r0|gettext|LGPL-2.1-or-later|https://www.gnu.org/software/gettext/gettext.html|44|GNU gettext runtime library|so:libc.musl-x86_64.so.1|so:libintl.so.8=8.4.2|
    ivykis|0.43.2-r0||LGPL-2.1-or-later|https://github.com/buytenh/ivykis|64|Library for asynchronous I/O readiness notification|so:libc.musl-x86_64.so.1|so:libivykis.so.0=0.6.2|dev
    openldap-clients|2.6.8-r0|openldap|OLDAP-2.8|https://www.openldap.org/|704|LDAP client utilities|so:libc.musl-x86_64.so.1 so:liblber.so.2 so:libldap.so.2|cmd:ldapmodify={v} cmd:ldapsearch={v}|
    libldap||openldap|||780|OpenLDAP libraries|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libsasl2.so.3 so:libssl.so.3|so:liblber.so.2=2.200.2 so:libldap.so.2=2.200.2|
    cyrus-sasl|2.1.28-r8||custom|https://www.cyrusimap.org/sasl/|168|Cyrus Simple Authentication Service Layer (SASL)|so:libc.musl-x86_64.so.1 so:libsasl2.so.3|cmd:saslauthd={v}|openrc,doc
    libsasl||cyrus-sasl|||188|Cyrus Simple Authentication and Security Layer (SASL) library|so:libc.musl-x86_64.so.1|so:libsasl2.so.3=3.0.0|
    freeradius|3.0.27-r8||GPL-2.0-or-later|https://freeradius.org/|3184|RADIUS (Remote Authentication Dial-In User Service) server|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libfreeradius-radius.so so:libssl.so.3 so:libtalloc.so.2|so:libfreeradius-radius.so=0 cmd:radiusd={v}|openrc,doc
    talloc|2.4.3-r0||LGPL-3.0-or-later|https://talloc.samba.org/|64|Memory pool management library|so:libc.musl-x86_64.so.1|so:libtalloc.so.2=2.4.3|dev
    darkhttpd|1.16-r2||ISC|https://unix4lyfe.org/darkhttpd/|52|Darkhttpd is a secure, lightweight, fast, single-threaded HTTP/1.1 web server|so:libc.musl-x86_64.so.1|cmd:darkhttpd={v}|openrc
    lighttpd|1.4.79-r0||BSD-3-Clause|https://www.lighttpd.net|948|Secure, fast, compliant and very flexible web-server|so:libc.musl-x86_64.so.1 so:libpcre2-8.so.0 so:libxxhash.so.0 so:libz.so.1|cmd:lighttpd={v}|openrc,doc
    tailscale|1.86.4-r0||BSD-3-Clause|https://tailscale.com/|36452|The easiest, most secure, cross platform way to use WireGuard and SSO/MFA|iptables ip6tables so:libc.musl-x86_64.so.1|cmd:tailscale={v} cmd:tailscaled={v}|community,openrc,doc
    zerotier-one|1.14.2-r0||BUSL-1.1|https://www.zerotier.com/|3124|Creates virtual Ethernet networks of almost unlimited size|so:libc.musl-x86_64.so.1 so:libcrypto.so.3 so:libgcc_s.so.1 so:libssl.so.3 so:libstdc++.so.6|cmd:zerotier-cli={v} cmd:zerotier-one={v}|community,openrc,doc
    prometheus-node-exporter|1.9.1-r3||Apache-2.0|https://github.com/prometheus/node_exporter|18856|Prometheus exporter for machine metrics|so:libc.musl-x86_64.so.1|cmd:node_exporter={v}|community,openrc
    caddy|2.10.0-r3||Apache-2.0|https://caddyserver.com/|41712|Fast, multi-platform web server with automatic HTTPS|so:libc.musl-x86_64.so.1|cmd:caddy={v}|community,openrc
    vnstat|2.13-r0||GPL-2.0-only|https://humdi.net/vnstat/|328|Network traffic monitor|so:libc.musl-x86_64.so.1 so:libsqlite3.so.0|cmd:vnstat={v} cmd:vnstatd={v}|community,openrc,doc
    btop|1.4.4-r0||Apache-2.0|https://github.com/aristocratos/btop|1280|Resource monitor|so:libc.musl-x86_64.so.1 so:libgcc_s.so.1 so:libstdc++.so.6|cmd:btop={v}|community,doc
    speedtest-cli|2.1.3-r8||Apache-2.0|https://github.com/sivel/speedtest-cli|104|Command line interface for testing internet bandwidth using speedtest.net|python3|cmd:speedtest={v} cmd:speedtest-cli={v}|community,noarch,doc
    crowdsec|1.6.11-r0||MIT|https://crowdsec.net/|158960|Behavior detection engine, coupled with a global IP reputation network|so:libc.musl-x86_64.so.1|cmd:crowdsec={v} cmd:cscli={v}|community,openrc
    """;
}
