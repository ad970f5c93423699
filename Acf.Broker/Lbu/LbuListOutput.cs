namespace Acf.Broker.Lbu;

/// <summary>
/// Reads <c>lbu list</c>, which is <c>apk audit --backup --quiet --recursive --check-permissions</c>: one path a
/// line, relative to /, directories with a trailing slash (apk-tools app_audit.c prints the bare path when quiet).
/// Directories are left out: the list is of the files a commit archives.
/// </summary>
public static class LbuListOutput
{
    public static IReadOnlyList<string> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && !line.EndsWith('/'))
            .Select(line => line.TrimStart('/'))
            .Where(line => line.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
