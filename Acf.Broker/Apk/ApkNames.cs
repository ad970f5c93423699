using System.Text.RegularExpressions;

namespace Acf.Broker.Apk;

internal static partial class ApkNames
{
    public static bool IsValid(string name) => name.Length <= 128 && Pattern().IsMatch(name);

    // apk writes the tag after the name (foo@edge>=1.2); the version-first form is accepted too.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._-]*(@[A-Za-z0-9._-]+)?((=|>=|<=|~|>|<)[A-Za-z0-9._+~-]+)?(@[A-Za-z0-9._-]+)?$")]
    private static partial Regex Pattern();
}
