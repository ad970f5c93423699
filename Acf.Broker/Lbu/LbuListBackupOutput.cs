namespace Acf.Broker.Lbu;

/// <summary>
/// Reads <c>lbu list-backup</c>: <c>ls -1 "$mnt"/*.[0-9][0-9]*[0-9][0-9].tar.gz* | sed 's:.*/::'</c>, so one bare
/// file name a line, oldest first (<c>alpine.20240102030405.tar.gz</c>, <c>.aes-256-cbc</c> appended when
/// encrypted). Lines that are not such names (the usage text lbu prints without media) are skipped.
/// </summary>
public static class LbuListBackupOutput
{
    public static IReadOnlyList<string> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(ApkovlFolder.IsRotatedName)
            .Where(line => !line.Contains(' '))
            .ToList();
}
