using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Acf.Broker;

/// <summary>
/// A change the broker is about to make, on disk before the file is touched: which file (<see cref="Path"/>, canonical
/// under the root), its content before and after (SHA-256; null: absent), the history copy of the old content
/// (<see cref="Version"/>), the temp file that will replace it, and whom the audit line names. Recovery at start reads
/// what is left of these to finish or undo a change a crash cut short.
/// </summary>
public sealed record ChangeIntent(string Id, string Action, string Path, string? Before, string? After, string? Version,
    string? Temp, string User, string Module, string? Client, string? Request, string? Detail, long SizeBefore,
    long SizeAfter, bool Secret, DateTimeOffset Time, string? Validator = null);

/// <summary>
/// The broker's write-ahead journal: <c>&lt;data&gt;/intents/&lt;id&gt;.json</c>, one durable file per change in flight
/// (written atomically and flushed, folder included), removed once the change is audited. An intent that cannot be
/// written stops the change before the file is touched.
/// </summary>
internal sealed class IntentJournal(SystemHost host)
{
    private static readonly JsonTypeInfo<ChangeIntent> Json =
        BrokerFilesJson.Of<ChangeIntent>(new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    public string Folder => System.IO.Path.Combine(host.DataPath, "intents");

    /// <summary>Makes the intent durable; throws <see cref="IOException"/> (a full disk) when it could not.</summary>
    public void Record(ChangeIntent intent)
    {
        FaultPoint.DataDisk();
        if (!Directory.Exists(Folder))
            Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        DurableFile.Write(FileOf(intent.Id), JsonSerializer.SerializeToUtf8Bytes(intent, Json));
    }

    /// <summary>Forgets a settled change.</summary>
    public void Clear(ChangeIntent intent) => DurableFile.Delete(FileOf(intent.Id));

    /// <summary>The intents left on disk, oldest first, and the files that are no intent (damaged: set aside by the caller).</summary>
    public (IReadOnlyList<ChangeIntent> Intents, IReadOnlyList<string> Unreadable) Open()
    {
        var intents = new List<ChangeIntent>();
        var unreadable = new List<string>();
        if (!Directory.Exists(Folder)) return (intents, unreadable);
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(file), Json) is { } intent
                    && FileOf(intent.Id) == file) intents.Add(intent);
                else unreadable.Add(file);
            }
            catch (JsonException)
            {
                unreadable.Add(file); // a torn record can only be one whose change never started: it was renamed into place whole
            }
        }
        return (intents.OrderBy(i => i.Time).ToList(), unreadable);
    }

    private string FileOf(string id) => System.IO.Path.Combine(Folder, id + ".json");
}
