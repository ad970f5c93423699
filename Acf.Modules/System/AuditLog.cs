using System.Text.Json;

namespace Acf.Modules.System;

/// <summary>One line of the audit log: who did what to which file or command, and how big the file was before and after.</summary>
public sealed record AuditEntry(DateTimeOffset Time, string User, string Module, string Action, string Target,
    long? SizeBefore = null, long? SizeAfter = null, string? Detail = null);

/// <summary>An append-only JSON-lines audit log in the data folder; one line per write or command.</summary>
public sealed class AuditLog(SystemHost host, TimeProvider time)
{
    private static readonly JsonSerializerOptions LineJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly Lock _gate = new();

    public string Path => host.AuditLogPath;

    public void Write(string user, string module, string action, string target, long? sizeBefore = null,
        long? sizeAfter = null, string? detail = null)
    {
        var entry = new AuditEntry(time.GetUtcNow(), user, module, action, target, sizeBefore, sizeAfter, detail);
        var line = JsonSerializer.Serialize(entry, LineJson) + "\n";
        lock (_gate) File.AppendAllText(host.AuditLogPath, line);
    }

    /// <summary>Reads the log back (tests and, later, the audit page).</summary>
    public IReadOnlyList<AuditEntry> ReadAll()
    {
        if (!File.Exists(host.AuditLogPath)) return [];
        lock (_gate)
            return File.ReadAllLines(host.AuditLogPath)
                .Where(l => l.Length > 0)
                .Select(l => JsonSerializer.Deserialize<AuditEntry>(l, LineJson)!)
                .ToList();
    }
}
