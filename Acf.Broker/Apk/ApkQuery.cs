namespace Acf.Broker.Apk;

/// <summary>
/// A part of the available packages, chosen where the index is (the broker), so that a module and the browser get a
/// page of a 20,000-package index and not all of it (issue 19): every version of one <see cref="Name"/>, or the newest
/// version of each name whose name or description holds <see cref="Filter"/> (any case), from <see cref="Offset"/>,
/// at most <see cref="Limit"/>.
/// </summary>
public sealed record ApkQuery(string? Name = null, string Filter = "", int Offset = 0, int Limit = ApkQuery.MaxLimit)
{
    public const int MaxLimit = 1000;
    public const int MaxTextLength = 200;

    /// <summary>What is wrong with this query, or null; the broker checks it again, whatever the worker did.</summary>
    public string? Problem() =>
        Offset < 0 ? "the offset must be 0 or more"
        : Limit is < 1 or > MaxLimit ? $"the limit must be 1 to {MaxLimit}"
        : Filter.Length > MaxTextLength || Name?.Length > MaxTextLength ? $"the name and the filter are at most {MaxTextLength} characters"
        : Filter.Any(char.IsControl) || Name?.Any(char.IsControl) == true ? "the name and the filter may not hold control characters"
        : null;

    /// <summary>The query's page of <paramref name="available"/> (sorted by name, newest version first), with the
    /// number of packages that matched.</summary>
    public ApkListing Select(IReadOnlyList<ApkPackage> available)
    {
        var matched = new List<ApkPackage>();
        var total = 0;
        string? previous = null;
        foreach (var package in available)
        {
            if (Name is not null)
            {
                if (package.Name != Name) continue;
            }
            else
            {
                var newest = package.Name != previous; // the first of a name is its newest version
                previous = package.Name;
                if (!newest || !Matches(package)) continue;
            }
            if (total++ >= Offset && matched.Count < Limit) matched.Add(package);
        }
        return new ApkListing(matched, [], total);
    }

    private bool Matches(ApkPackage package) => Filter.Length == 0
        || package.Name.Contains(Filter, StringComparison.OrdinalIgnoreCase)
        || package.Description.Contains(Filter, StringComparison.OrdinalIgnoreCase);
}
