using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Acf.Broker;

/// <summary>A file an audited operation touched: SHA-256 of its bytes before and after (null: the file did not exist).</summary>
public sealed record AuditFile(string Path, string? Before, string? After);

/// <summary>
/// How an audited operation ended: the command's exit status, why it was refused (nothing changed), whether the
/// command was only simulated (demo host), and what the declared validator said of a write.
/// </summary>
public sealed record AuditResult(int? Status = null, string? Refused = null, bool Simulated = false, string? Validator = null);

/// <summary>
/// One line of the audit log: who (user, client address) did what (module, its controller/action, the broker
/// operation) to which files or with which command, and how it ended. <see cref="Prev"/> is the hash of the entry
/// before (the genesis value for the first), <see cref="Hash"/> the SHA-256 of this line without its hash, so an
/// edited, removed or reordered line breaks the chain.
/// </summary>
public sealed record AuditEntry(DateTimeOffset Time, string User, string Module, string Action, string Target,
    long? SizeBefore = null, long? SizeAfter = null, string? Detail = null)
{
    public long Seq { get; init; }

    public string? Client { get; init; }

    /// <summary>The module's controller/action the operation ran for (empty for the host's own work).</summary>
    public string? Request { get; init; }

    public IReadOnlyList<AuditFile>? Files { get; init; }

    public IReadOnlyList<string>? Argv { get; init; }

    public AuditResult? Result { get; init; }

    /// <summary>The broker's intent record of a file change (IntentJournal): recovery finds by it whether the line is there.</summary>
    public string? Intent { get; init; }

    public string? Prev { get; init; }

    public string? Hash { get; init; }
}

/// <summary>The outcome of checking the chain: <see cref="FirstBad"/> names the first entry (1-based line) that does not fit.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBad, string Message);

/// <summary>What the audit page asks for; empty members match everything. Times are inclusive.</summary>
public sealed record AuditQuery(string? User = null, string? Module = null, string? Text = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, AuditOutcome Outcome = AuditOutcome.Any);

public enum AuditOutcome { Any, Done, Refused, Simulated, Failed }

/// <summary>One page of entries, newest first; <see cref="More"/> when older matches exist.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, bool More);

/// <summary>
/// The append-only, hash-chained JSON-lines audit log in the data folder (the chain keyed: <see cref="AuditKey"/>); one
/// line per write or command. One writer lock per log file in the process; each line is flushed to disk before the operation returns (audited operations are
/// an admin's clicks, a few a minute, so an fsync each is cheap and a power cut loses none). The hash of the last entry
/// is also kept beside the log (<c>audit.head</c>), so cutting lines off its end shows too.
/// </summary>
internal sealed class AuditLog(SystemHost host, TimeProvider time)
{
    /// <summary>The <see cref="AuditEntry.Prev"/> of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string HashField = ",\"hash\":\"";

    private static readonly JsonTypeInfo<AuditEntry> LineJson = BrokerFilesJson.Of<AuditEntry>(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Control characters and quotes stay escaped; markup characters are kept as they are (the page shows text).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly ConcurrentDictionary<string, ChainState> Chains = new(StringComparer.Ordinal);

    /// <summary>
    /// How many entries this process has been asked to write to this log: every change, command and lbu commit through
    /// the broker is audited once it is made, so a value read before this number moved is still current (the pages'
    /// cached host facts).
    /// </summary>
    public long Appends => Interlocked.Read(ref Chains.GetOrAdd(host.AuditLogPath, _ => new ChainState()).Appends);

    public string Path => host.AuditLogPath;

    private string HeadPath => host.AuditLogPath + ".head";

    /// <summary>The old form: an operation without a caller's context (kept for the host's own work).</summary>
    public void Write(string user, string module, string action, string target, long? sizeBefore = null,
        long? sizeAfter = null, string? detail = null) =>
        Append(new AuditEntry(default, user, module, action, target, sizeBefore, sizeAfter, detail));

    /// <summary>An operation for <paramref name="caller"/>: its user, client address, module and controller/action.</summary>
    public void Write(BrokerCaller caller, string action, string target, IReadOnlyList<AuditFile>? files = null,
        IReadOnlyList<string>? argv = null, AuditResult? result = null, long? sizeBefore = null, long? sizeAfter = null,
        string? detail = null, string? intent = null) =>
        Append(new AuditEntry(default, caller.User, caller.Module, action, target, sizeBefore, sizeAfter, detail)
        {
            Client = caller.ClientAddress,
            Request = caller.Action,
            Files = files,
            Argv = argv,
            Result = result,
            Intent = intent,
        });

    private void Append(AuditEntry draft)
    {
        var chain = Chains.GetOrAdd(host.AuditLogPath, _ => new ChainState());
        Interlocked.Increment(ref chain.Appends); // first: a failed audit line may still follow a change
        lock (chain)
        {
            if (!chain.Loaded) chain.Load(host.AuditLogPath);
            var entry = draft with { Time = time.GetUtcNow(), Seq = chain.Seq + 1, Prev = chain.LastHash, Hash = null };
            chain.Key ??= AuditKey.Create(host.AuditLogPath, entry.Seq);
            var body = JsonSerializer.Serialize(entry, LineJson);
            var hash = chain.Key.Hash(body, entry.Seq);
            var line = body[..^1] + HashField + hash + "\"}\n";
            FaultPoint.DataDisk();
            // 0600 when it is created: only the broker reads it (the pages through it), whatever folder it lies in.
            using (var stream = new FileStream(host.AuditLogPath, new FileStreamOptions
                   {
                       Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read,
                       UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
            {
                var end = stream.Length;
                try
                {
                    stream.Write(Encoding.UTF8.GetBytes(line));
                    stream.Flush(flushToDisk: true);
                }
                catch (IOException)
                {
                    // A full disk may take half a line: cut it off, so the chain stays whole and the next line follows.
                    stream.SetLength(end);
                    throw;
                }
            }
            chain.Seq = entry.Seq;
            chain.LastHash = hash;
            // The head may lag one entry behind after a crash (Verify allows that); a head that cannot be written
            // (full disk) is caught up by the next line.
            try
            {
                DurableFile.Write(HeadPath, Encoding.UTF8.GetBytes($"{entry.Seq} {hash}\n"));
            }
            catch (IOException)
            {
                // Left one entry behind, as after a crash between the two writes.
            }
        }
    }

    /// <summary>Whether one of the last entries carries the intent <paramref name="id"/> (recovery: was the change audited?).
    /// Intents are cleared right after their line, so only the end of the log is searched.</summary>
    public bool HasIntent(string id, int lastEntries = 10_000)
    {
        if (!File.Exists(host.AuditLogPath)) return false;
        var needle = $"\"intent\":\"{id}\"";
        return ReadLinesBackwards(host.AuditLogPath).Take(lastEntries).Any(l => l.Contains(needle, StringComparison.Ordinal));
    }

    /// <summary>Reads the whole log back, oldest first (tests; the page pages through <see cref="Query"/>).</summary>
    public IReadOnlyList<AuditEntry> ReadAll()
    {
        if (!File.Exists(host.AuditLogPath)) return [];
        return File.ReadLines(host.AuditLogPath).Where(l => l.Length > 0).Select(Parse).OfType<AuditEntry>().ToList();
    }

    /// <summary>
    /// One page of the entries that match, newest first. The file is read backwards in blocks and only as far as
    /// the page needs (and never past <see cref="AuditQuery.From"/>: entries are in time order), so the first page
    /// of a large log costs the same as of a small one. Lines that cannot match are skipped before JSON parsing.
    /// </summary>
    public AuditPage Query(AuditQuery query, int skip, int take)
    {
        var found = new List<AuditEntry>(take);
        if (!File.Exists(host.AuditLogPath)) return new AuditPage(found, false);
        var needles = new[] { query.User, query.Module, query.Text }
            .Where(n => !string.IsNullOrWhiteSpace(n) && n.All(PlainInJson)).Select(n => n!.Trim()).ToList();
        var matched = 0;
        foreach (var line in ReadLinesBackwards(host.AuditLogPath))
        {
            if (needles.Any(n => !line.Contains(n, StringComparison.OrdinalIgnoreCase))) continue;
            if (Parse(line) is not { } entry) continue;
            if (query.From is { } from && entry.Time < from) break;
            if (!Matches(entry, query)) continue;
            if (matched++ < skip) continue;
            if (found.Count == take) return new AuditPage(found, true);
            found.Add(entry);
        }
        return new AuditPage(found, false);
    }

    /// <summary>Checks every line's hash (keyed, <see cref="AuditKey"/>) and link to the one before, and the end
    /// against the head file.</summary>
    public AuditVerification Verify()
    {
        var key = AuditKey.Load(host.AuditLogPath);
        var head = File.Exists(HeadPath) ? File.ReadAllText(HeadPath).Trim().Split(' ') : null;
        if (!File.Exists(host.AuditLogPath))
            return head is null
                ? new AuditVerification(true, 0, null, "The audit log is empty.")
                : new AuditVerification(false, 0, 1, "The audit log is missing although entries were written.");
        var expected = Genesis;
        long number = 0;
        var headSeq = head is [var seqText, _] && long.TryParse(seqText, out var parsed) ? parsed : (long?)null;
        foreach (var line in File.ReadLines(host.AuditLogPath))
        {
            number++;
            if (CheckLine(line, expected, number, key) is { } problem) return new AuditVerification(false, number - 1, number, problem);
            expected = line[(line.LastIndexOf(HashField, StringComparison.Ordinal) + HashField.Length)..^2];
            // The head may lag one entry behind after a crash between the two writes; it must never disagree.
            if (number == headSeq && head![1] != expected)
                return new AuditVerification(false, number - 1, number, $"Entry {number} is not the entry that was written there.");
        }
        if (headSeq > number)
            return new AuditVerification(false, number, number + 1,
                $"Entry {number + 1} and later are missing: the log ends at entry {number}, but entry {headSeq} was written.");
        return new AuditVerification(true, number, null, $"All {number} entries are intact.");
    }

    private static string? CheckLine(string line, string expectedPrev, long number, AuditKey? key)
    {
        var at = line.LastIndexOf(HashField, StringComparison.Ordinal);
        if (at < 0 || !line.EndsWith("\"}", StringComparison.Ordinal) || line.Length - at - HashField.Length - 2 != 64)
            return $"Entry {number} carries no hash.";
        var hash = line[(at + HashField.Length)..^2];
        var body = line[..at] + "}";
        if ((key?.Hash(body, number) ?? AuditKey.Plain(body)) != hash) return $"Entry {number} was changed after it was written.";
        string? prev;
        long seq;
        try
        {
            using var json = JsonDocument.Parse(body);
            prev = json.RootElement.TryGetProperty("prev", out var p) ? p.GetString() : null;
            seq = json.RootElement.TryGetProperty("seq", out var s) ? s.GetInt64() : 0;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return $"Entry {number} is not a valid entry.";
        }
        if (prev != expectedPrev || seq != number)
            return $"Entry {number} does not follow the entry before it: entries were removed, inserted or reordered.";
        return null;
    }

    private static bool Matches(AuditEntry entry, AuditQuery query)
    {
        if (query.To is { } to && entry.Time > to) return false;
        if (!Has(entry.User, query.User) || !Has(entry.Module, query.Module)) return false;
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            var inFiles = entry.Files?.Any(f => Has(f.Path, text)) ?? false;
            var inArgv = entry.Argv is { } argv && Has(string.Join(' ', argv), text);
            if (!inFiles && !inArgv && !Has(entry.Target, text) && !Has(entry.Action, text) && !Has(entry.Request, text)
                && !Has(entry.Detail, text)) return false;
        }
        return query.Outcome switch
        {
            AuditOutcome.Refused => entry.Result?.Refused is not null,
            AuditOutcome.Simulated => entry.Result?.Simulated == true || entry.Action.EndsWith("-simulated", StringComparison.Ordinal),
            AuditOutcome.Failed => entry.Result is { Status: not null and not 0 },
            AuditOutcome.Done => entry.Result?.Refused is null && entry.Result is not { Status: not null and not 0 },
            _ => true,
        };
    }

    private static bool Has(string? value, string? wanted) =>
        string.IsNullOrWhiteSpace(wanted) || (value?.Contains(wanted.Trim(), StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Characters the log writes as they are, so a raw line can be searched for them before parsing.</summary>
    private static bool PlainInJson(char c) => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '-' or '_' or '/' or ':' or '@';

    private static AuditEntry? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, LineJson);
        }
        catch (JsonException)
        {
            return null; // a damaged line is shown by Verify; the page skips it
        }
    }

    /// <summary>The file's lines from the last to the first, read in 64 KiB blocks from the end.</summary>
    private static IEnumerable<string> ReadLinesBackwards(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var block = new byte[64 * 1024];
        var position = stream.Length;
        byte[] carry = [];
        while (position > 0)
        {
            var size = (int)Math.Min(block.Length, position);
            position -= size;
            stream.Position = position;
            stream.ReadExactly(block, 0, size);
            var chunk = new byte[size + carry.Length];
            Buffer.BlockCopy(block, 0, chunk, 0, size);
            Buffer.BlockCopy(carry, 0, chunk, size, carry.Length);
            var end = chunk.Length;
            for (var i = chunk.Length - 1; i >= 0; i--)
            {
                if (chunk[i] != (byte)'\n') continue;
                if (end - i - 1 > 0) yield return Encoding.UTF8.GetString(chunk, i + 1, end - i - 1);
                end = i;
            }
            carry = chunk[..end];
        }
        if (carry.Length > 0) yield return Encoding.UTF8.GetString(carry);
    }

    /// <summary>The end of one log's chain, shared by every <see cref="AuditLog"/> of the same file in the process.</summary>
    private sealed class ChainState
    {
        public long Appends;

        public bool Loaded { get; private set; }

        public long Seq { get; set; }

        public string LastHash { get; set; } = Genesis;

        /// <summary>The chain's key; made with the first entry written when the log has none.</summary>
        public AuditKey? Key { get; set; }

        /// <summary>Finds the last entry's number and hash (only the end of the file is read).</summary>
        public void Load(string path)
        {
            Loaded = true;
            Key = AuditKey.Load(path);
            if (!File.Exists(path)) return;
            var last = ReadLinesBackwards(path).FirstOrDefault();
            if (last is null) return;
            var at = last.LastIndexOf(HashField, StringComparison.Ordinal);
            if (at < 0 || Parse(last) is not { } entry) return; // a log of the unchained form: the chain starts anew
            Seq = entry.Seq;
            LastHash = last[(at + HashField.Length)..^2];
        }
    }
}
