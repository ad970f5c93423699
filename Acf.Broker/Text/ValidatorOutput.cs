namespace Acf.Broker.Text;

/// <summary>
/// A validator's own complaint out of everything it printed. Validators trace the file as they read it (squid logs
/// <c>Processing: &lt;line&gt;</c> for every line), so a refusal's last lines are the file, not the reason, and they
/// repeat the admin's file back into a page and the audit. A trace is recognised by shape, not by tool: a prefix
/// (digits folded, so time stamps agree) that stands before three or more of the candidate file's own lines. Those
/// lines go; a diagnostic that quotes one line (<c>Bungled squid.conf line 5: ...</c>) stays.
/// </summary>
public static class ValidatorOutput
{
    private const int TraceLines = 3;

    /// <summary>The output's lines without the tool's trace of the file, blank lines and surrounding space dropped.</summary>
    public static IReadOnlyList<string> Diagnostics(string output, byte[] candidate)
    {
        var fileLines = Encoding.UTF8.GetString(candidate).Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var echoPrefixes = lines.Select(l => EchoPrefix(l, fileLines)).OfType<string>()
            .GroupBy(p => p, StringComparer.Ordinal)
            .Where(g => g.Count() >= TraceLines).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return lines.Where(l => EchoPrefix(l, fileLines) is not { } prefix || !echoPrefixes.Contains(prefix)).ToList();
    }

    /// <summary>When the line ends with a whole line of the file after a space, what comes before it (digits as 0).</summary>
    private static string? EchoPrefix(string line, HashSet<string> fileLines)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != ' ' || !fileLines.Contains(line[(i + 1)..].Trim())) continue;
            return new string(line[..(i + 1)].Select(c => char.IsAsciiDigit(c) ? '0' : c).ToArray());
        }
        return null;
    }
}
