namespace Acf.Modules.Cfe;

/// <summary>
/// What a browser form or an API call hands to a module action: flat field names (<c>group.field</c> for nested
/// fields, as ACF posts them) to one or more strings, and the submit button that was pressed (null for a plain read).
/// The Lua side (<c>cfe.handle_form</c>) applies the type rules: booleans, multi, list one item per line, readonly ignored.
/// </summary>
public sealed record ModuleInput(IReadOnlyDictionary<string, IReadOnlyList<string>> Values, string? Submit = null)
{
    public static readonly ModuleInput Empty = new(new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>The admin's explicit choice to apply a change that could cut them off without confirm-or-rollback.</summary>
    public bool Unchecked { get; init; }

    /// <summary>The largest input accepted, counting every name and value, so one request cannot flood a sandbox.</summary>
    public const int MaxTotalChars = 4 * 1024 * 1024;

    public int TotalChars => Values.Sum(kv => kv.Key.Length + kv.Value.Sum(v => v.Length)) + (Submit?.Length ?? 0);
}
