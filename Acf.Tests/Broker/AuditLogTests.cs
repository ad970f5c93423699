namespace Acf.Tests.Broker;

/// <summary>The audit log as a keyed hash chain: entries carry the caller's context, tampering is named, pages stay cheap.</summary>
public sealed class AuditLogTests : IDisposable
{
    private static readonly BrokerCaller Caller = new("alice", "sys", "192.0.2.7", "ctl/edit");

    private readonly ModuleTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private AuditLog Log => _host.Audit;

    private string[] Lines => File.ReadAllLines(Log.Path);

    private void WriteLines(IEnumerable<string> lines) => File.WriteAllText(Log.Path, string.Join("\n", lines) + "\n");

    private void WriteEntries(int count)
    {
        for (var i = 1; i <= count; i++)
            Log.Write(Caller, "write", $"/etc/file{i}", files: [new AuditFile($"/etc/file{i}", null, new string('a', 64))]);
    }

    /// <summary>Writes <paramref name="count"/> entries, then rewrites the log with the lines <paramref name="tamper"/>
    /// makes of them.</summary>
    private void WriteThenTamper(int count, Func<string[], IEnumerable<string>> tamper)
    {
        WriteEntries(count);
        WriteLines(tamper(Lines));
    }

    [Fact]
    public void Write_Caller_EntryCarriesContextAndChainsFromGenesis()
    {
        WriteEntries(2);

        var entries = Log.ReadAll();

        Assert.Equal(2, entries.Count);
        Assert.Equal(("alice", "192.0.2.7", "sys", "ctl/edit"), (entries[0].User, entries[0].Client, entries[0].Module, entries[0].Request));
        Assert.Equal(AuditLog.Genesis, entries[0].Prev);
        Assert.Equal(entries[0].Hash, entries[1].Prev);
        Assert.Equal([1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal("/etc/file1", Assert.Single(entries[0].Files!).Path);
    }

    [Fact]
    public void Verify_UntouchedLog_Intact()
    {
        WriteEntries(5);

        var result = Log.Verify();

        Assert.True(result.Intact, result.Message);
        Assert.Equal(5, result.Entries);
    }

    [Fact]
    public void Verify_EditedLine_NamesThatEntry()
    {
        WriteThenTamper(5, lines => lines.Select((line, i) => i == 2 ? line.Replace("\"alice\"", "\"mallory\"") : line));

        var result = Log.Verify();

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBad);
        Assert.Contains("changed", result.Message);
    }

    [Fact]
    public void Verify_RemovedLine_NamesTheEntryAfterTheGap()
    {
        WriteThenTamper(5, lines => lines.Where((_, i) => i != 1));

        var result = Log.Verify();

        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBad);
    }

    [Fact]
    public void Verify_ReorderedLines_NamesTheFirstOutOfPlace()
    {
        WriteThenTamper(5, lines => [.. lines[..3], lines[4], lines[3]]);

        var result = Log.Verify();

        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBad);
    }

    [Fact]
    public void Verify_LastLinesCutOff_SaysEntriesAreMissing()
    {
        WriteThenTamper(5, lines => lines.Take(3));

        var result = Log.Verify();

        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBad);
        Assert.Contains("missing", result.Message);
    }

    [Fact]
    public void Verify_RehashedEditWithoutTheKey_NamesThatEntry()
    {
        // Someone who edits a line and recomputes its hash as a plain SHA-256 (the key is not theirs) breaks that entry.
        WriteThenTamper(3, lines => [PlainRehash(lines[0].Replace("\"alice\"", "\"mallory\""), AuditLog.Genesis), .. lines[1..]]);

        var result = Log.Verify();

        Assert.False(result.Intact);
        Assert.Equal(1, result.FirstBad);
    }

    [Fact]
    public void Verify_WholeChainRecomputedFromOutside_IsBroken()
    {
        // Issue 16: a local user who could write audit.log rewrote a line and recomputed the plain hash chain and its
        // head, and the log still verified. The chain is keyed now, so the recomputed chain breaks at its first entry.
        WriteThenTamper(3, lines => PlainChain(lines.Select(line => line.Replace("/etc/file2", "/etc/nothing-happened-here"))));
        File.WriteAllText(Log.Path + ".head", $"3 {HashOf(Lines[^1])}\n");

        var result = Log.Verify();

        Assert.False(result.Intact);
        Assert.Equal(1, result.FirstBad);
    }

    [Fact]
    public void Write_FirstEntry_MakesAKeyOnlyItsOwnerCanRead()
    {
        WriteEntries(1);

        var key = Log.Path + ".key";
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Matches("^1 [0-9a-f]{64}\n$", File.ReadAllText(key));
        Assert.True(Log.Verify().Intact);
    }

    [Fact]
    public void Verify_LogWrittenBeforeKeys_StaysIntactAndIsKeyedFromTheNextEntry()
    {
        // A log of an Acf without keys (plain chain, no key file) verifies; the next entry makes the key and is keyed.
        var legacy = PlainChain(["{\"user\":\"alice\",\"seq\":1}", "{\"user\":\"bob\",\"seq\":2}"]);
        WriteLines(legacy);
        Assert.True(Log.Verify().Intact, Log.Verify().Message);

        Log.Write(Caller, "write", "/etc/after-upgrade");

        Assert.StartsWith("3 ", File.ReadAllText(Log.Path + ".key"));
        Assert.True(Log.Verify().Intact, Log.Verify().Message);
        WriteLines(PlainChain(Lines));
        Assert.Equal(3, Log.Verify().FirstBad);
    }

    /// <summary>The lines chained again from genesis with plain SHA-256 hashes (what an outsider without the key can do).</summary>
    private static string[] PlainChain(IEnumerable<string> lines)
    {
        var prev = AuditLog.Genesis;
        var chained = new List<string>();
        foreach (var line in lines)
        {
            chained.Add(PlainRehash(line, prev));
            prev = HashOf(chained[^1]);
        }
        return [.. chained];
    }

    /// <summary>The line with its link set to <paramref name="prev"/> and its hash recomputed as a plain SHA-256.</summary>
    private static string PlainRehash(string line, string prev)
    {
        var at = line.LastIndexOf(",\"hash\":\"", StringComparison.Ordinal);
        var body = at < 0 ? line : line[..at] + "}";
        body = System.Text.RegularExpressions.Regex.Replace(body, ",?\"prev\":\"[0-9a-f]{64}\"", "");
        body = body[..^1] + (body.EndsWith('{') ? "" : ",") + $"\"prev\":\"{prev}\"}}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        return body[..^1] + ",\"hash\":\"" + hash + "\"}";
    }

    private static string HashOf(string line) => line[(line.LastIndexOf(",\"hash\":\"", StringComparison.Ordinal) + 9)..^2];

    [Fact]
    public void Write_ConcurrentWriters_ChainStaysIntact()
    {
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => new AuditLog(_host.Host, TimeProvider.System).Write(Caller, "exec", $"cmd {i}", argv: ["cmd", $"{i}"]));

        var result = Log.Verify();

        Assert.True(result.Intact, result.Message);
        Assert.Equal(200, result.Entries);
        Assert.Equal(200, Log.ReadAll().Select(e => e.Target).Distinct().Count());
    }

    [Fact]
    public void Write_MarkupAndNewlinesInValues_StayOneLineAndRoundTrip()
    {
        Log.Write(Caller with { User = "<script>x</script>\nsecond" }, "write", "/etc/a\u0001b");

        var entry = Assert.Single(Log.ReadAll());

        Assert.Single(Lines);
        Assert.Equal("<script>x</script>\nsecond", entry.User);
        Assert.Equal("/etc/a\u0001b", entry.Target);
        Assert.True(Log.Verify().Intact);
    }

    [Fact]
    public void Query_Filters_MatchUserModuleTextAndOutcome()
    {
        Log.Write(Caller, "write", "/etc/hostname", files: [new AuditFile("/etc/hostname", null, null)]);
        Log.Write(Caller with { User = "bob", Module = "squid" }, "exec-simulated", "squid -k reconfigure",
            argv: ["squid", "-k", "reconfigure"], result: new AuditResult(0, Simulated: true));
        Log.Write(Caller, "write-refused", "/etc/squid/squid.conf", result: new AuditResult(Refused: "squid refused"));
        Log.Write(Caller, "exec", "false", argv: ["false"], result: new AuditResult(1));

        Assert.Equal(["squid -k reconfigure"], Log.Query(new AuditQuery(User: "BOB"), 0, 10).Entries.Select(e => e.Target));
        Assert.Equal(["squid -k reconfigure"], Log.Query(new AuditQuery(Module: "squid"), 0, 10).Entries.Select(e => e.Target));
        Assert.Equal(["/etc/hostname"], Log.Query(new AuditQuery(Text: "hostname"), 0, 10).Entries.Select(e => e.Target));
        Assert.Equal(["/etc/squid/squid.conf"], Log.Query(new AuditQuery(Outcome: AuditOutcome.Refused), 0, 10).Entries.Select(e => e.Target));
        Assert.Equal(["squid -k reconfigure"], Log.Query(new AuditQuery(Outcome: AuditOutcome.Simulated), 0, 10).Entries.Select(e => e.Target));
        Assert.Equal(["false"], Log.Query(new AuditQuery(Outcome: AuditOutcome.Failed), 0, 10).Entries.Select(e => e.Target));
    }

    [Fact]
    public void Query_TimeRange_KeepsEntriesInside()
    {
        WriteEntries(3);
        var all = Log.ReadAll();

        var page = Log.Query(new AuditQuery(From: all[1].Time, To: all[1].Time), 0, 10);

        Assert.Equal(["/etc/file2"], page.Entries.Select(e => e.Target));
    }

    [Fact]
    public void Query_Paging_NewestFirstWithMore()
    {
        WriteEntries(25);

        var first = Log.Query(new AuditQuery(), 0, 10);
        var last = Log.Query(new AuditQuery(), 20, 10);

        Assert.Equal("/etc/file25", first.Entries[0].Target);
        Assert.True(first.More);
        Assert.Equal(["/etc/file5", "/etc/file4", "/etc/file3", "/etc/file2", "/etc/file1"], last.Entries.Select(e => e.Target));
        Assert.False(last.More);
    }

    [Fact]
    public void Query_LinesLongerThanOneBlock_ReadWhole()
    {
        var target = "/etc/" + new string('x', 100_000);
        Log.Write(Caller, "write", target);
        Log.Write(Caller, "write", "/etc/after");

        var page = Log.Query(new AuditQuery(), 0, 10);

        Assert.Equal(["/etc/after", target], page.Entries.Select(e => e.Target));
    }
}
