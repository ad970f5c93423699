namespace Acf.Broker.Lbu;

/// <summary>
/// Reads <c>lbu status</c>: from alpine-conf's lbu.in, <c>D &lt;path&gt;</c> for each path of the last archive that
/// the new one lacks, then <c>A &lt;path&gt;</c> (new) and <c>U &lt;path&gt;</c> (a regular file whose content
/// differs and which is newer than the archived copy), paths relative to / as <c>find</c> prints them (directories
/// too, without a trailing slash). Lines of any other form (notes lbu prints while packaging) are skipped.
/// </summary>
public static class LbuStatusOutput
{
    public static IReadOnlyList<LbuStatusEntry> Parse(string text)
    {
        var entries = new List<LbuStatusEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 3 || line[1] != ' ') continue;
            LbuChange? change = line[0] switch
            {
                'A' => LbuChange.Added,
                'U' => LbuChange.Updated,
                'D' => LbuChange.Deleted,
                _ => null,
            };
            var path = line[2..].Trim('/');
            if (change is null || path.Length == 0) continue;
            entries.Add(new LbuStatusEntry(change.Value, path));
        }
        return entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
    }
}
