using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Acf.Broker.Apk;

/// <summary>
/// Reads the package records of an APKINDEX or of <c>/lib/apk/db/installed</c>: records of <c>X:value</c> lines
/// separated by a blank line (apk's "fdb" format, written by apk-tools' <c>apk_pkg_write_index_header</c> in the order
/// <c>C P V A S I T U L o m t c k D p i</c>, followed in the installed database by <c>r q s f</c> and the per-file
/// lines <c>F M R a Z</c>). Only the package fields are kept; every other line is skipped without a string. Values
/// that repeat across many records (architecture, license, origin, dependency words) share one string; a lookup
/// costs more than the allocation for values that are mostly unique, so those are plain strings.
/// </summary>
internal static class ApkPackageReader
{
    public static List<ApkPackage> Read(Stream stream, ApkStringPool pool)
    {
        var packages = new List<ApkPackage>();
        using var reader = new ApkLineReader(stream);
        var record = new Fields();
        while (reader.ReadLine(out var line))
        {
            if (line.Length < 2)
            {
                record.FlushInto(packages);
                continue;
            }
            if (line[1] != (byte)':') continue;
            var value = line[2..];
            switch (line[0])
            {
                case (byte)'P': record.Name = Encoding.UTF8.GetString(value); break;
                case (byte)'V': record.Version = Encoding.UTF8.GetString(value); break;
                case (byte)'A': record.Architecture = pool.Get(value); break;
                case (byte)'S': record.Size = Number(value); break;
                case (byte)'I': record.InstalledSize = Number(value); break;
                case (byte)'T': record.Description = Encoding.UTF8.GetString(value); break;
                case (byte)'U': record.Url = Encoding.UTF8.GetString(value); break;
                case (byte)'L': record.License = pool.Get(value); break;
                case (byte)'o': record.Origin = pool.Get(value); break;
                case (byte)'C': record.Checksum = Encoding.UTF8.GetString(value); break;
                case (byte)'D': record.Depends = Words(value, pool); break;
                case (byte)'p': record.Provides = Words(value, null); break; // mostly unique (so:libfoo.so.1=1.2.3): not worth pooling
                case (byte)'i': record.InstallIf = Words(value, pool); break;
                case (byte)'t': record.BuildTime = Number(value) is > 0 and var t ? DateTimeOffset.FromUnixTimeSeconds(t) : null; break;
            }
        }
        record.FlushInto(packages);
        return packages;
    }

    private static long Number(ReadOnlySpan<byte> value) => Utf8Parser.TryParse(value, out long n, out _) ? n : 0;

    /// <summary>A space separated list (<c>D:</c>, <c>p:</c>), each word pooled when a pool is given.</summary>
    internal static IReadOnlyList<string> Words(ReadOnlySpan<byte> value, ApkStringPool? pool)
    {
        var count = 0;
        foreach (var range in value.Split((byte)' '))
            if (range.End.Value > range.Start.Value) count++;
        if (count == 0) return [];
        var words = new string[count];
        var i = 0;
        foreach (var range in value.Split((byte)' '))
            if (range.End.Value > range.Start.Value) words[i++] = pool?.Get(value[range]) ?? Encoding.UTF8.GetString(value[range]);
        return words;
    }

    private sealed class Fields
    {
        public string? Name;
        public string Version = "", Architecture = "", Description = "", Url = "", License = "", Origin = "", Checksum = "";
        public long Size, InstalledSize;
        public IReadOnlyList<string> Depends = [], Provides = [], InstallIf = [];
        public DateTimeOffset? BuildTime;

        public void FlushInto(List<ApkPackage> packages)
        {
            if (Name is not null)
            {
                var package = new ApkPackage(Name, Version, Architecture, Size, InstalledSize, Description, Url, License,
                    Origin, Checksum, Depends, Provides, BuildTime);
                if (InstallIf.Count > 0) ApkInstallIf.Set(package, InstallIf);
                packages.Add(package);
            }
            Name = null;
            Version = Architecture = Description = Url = License = Origin = Checksum = "";
            Size = InstalledSize = 0;
            Depends = Provides = InstallIf = [];
            BuildTime = null;
        }
    }
}

/// <summary>
/// A package's <c>i:</c> (install-if: installed by itself once everything listed is). <see cref="ApkPackage"/> has no
/// field for it, so the reader keeps it beside the package, for as long as the package lives.
/// </summary>
internal static class ApkInstallIf
{
    private static readonly ConditionalWeakTable<ApkPackage, IReadOnlyList<string>> Table = new();

    public static void Set(ApkPackage package, IReadOnlyList<string> installIf) => Table.AddOrUpdate(package, installIf);

    public static IReadOnlyList<string> Of(ApkPackage package) => Table.TryGetValue(package, out var list) ? list : [];
}

/// <summary>One record as its lines (<c>X:value</c>), kept whole so that it can be written back unchanged or copied
/// from an APKINDEX into the installed database with every field, including those <see cref="ApkPackage"/> omits.</summary>
internal sealed record ApkRecord(string Name, string Version, List<string> Lines)
{
    public static IEnumerable<ApkRecord> ReadAll(Stream stream)
    {
        using var reader = new ApkLineReader(stream);
        var lines = new List<string>();
        string? name = null, version = null;
        while (true)
        {
            var more = reader.ReadLine(out var line);
            if (!more || line.Length < 2)
            {
                if (name is not null) yield return new ApkRecord(name, version ?? "", lines);
                if (!more) yield break;
                if (name is not null || lines.Count > 0) lines = [];
                name = version = null;
                continue;
            }
            var text = Encoding.UTF8.GetString(line);
            lines.Add(text);
            if (text.StartsWith("P:", StringComparison.Ordinal)) name ??= text[2..];
            else if (text.StartsWith("V:", StringComparison.Ordinal)) version ??= text[2..];
        }
    }

    /// <summary>
    /// The records whose name and version are wanted, read without a string per line for the others (an index holds
    /// thousands of records and a transaction copies a few).
    /// </summary>
    public static List<ApkRecord> ReadMatching(Stream stream, IReadOnlySet<(string Name, string Version)> wanted)
    {
        var found = new List<ApkRecord>();
        using var reader = new ApkLineReader(stream);
        var pending = new ArrayBufferWriter<byte>();
        var lineEnds = new List<int>();
        string? name = null, version = null;
        while (true)
        {
            var more = reader.ReadLine(out var line);
            if (!more || line.Length < 2)
            {
                if (name is not null && version is not null && wanted.Contains((name, version)))
                {
                    var lines = new List<string>(lineEnds.Count);
                    var start = 0;
                    foreach (var end in lineEnds)
                    {
                        lines.Add(Encoding.UTF8.GetString(pending.WrittenSpan[start..end]));
                        start = end;
                    }
                    found.Add(new ApkRecord(name, version, lines));
                }
                pending.ResetWrittenCount();
                lineEnds.Clear();
                name = version = null;
                if (!more) return found;
                continue;
            }
            pending.Write(line);
            lineEnds.Add(pending.WrittenCount);
            if (line[1] != (byte)':') continue;
            if (line[0] == (byte)'P') name ??= Encoding.UTF8.GetString(line[2..]);
            else if (line[0] == (byte)'V') version ??= Encoding.UTF8.GetString(line[2..]);
        }
    }

    /// <summary>The record as apk writes it: its lines, then the blank line that ends it.</summary>
    public void WriteTo(StringBuilder text)
    {
        foreach (var line in Lines) text.Append(line).Append('\n');
        text.Append('\n');
    }
}
