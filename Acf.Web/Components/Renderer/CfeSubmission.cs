namespace Acf.Web.Components.Renderer;

/// <summary>
/// What <see cref="CfeView"/> hands to its page when a form's submit button is pressed: the button's value and the
/// current values of every non-readonly field, keyed by flat dotted names (<c>group.field</c>) as ACF posts them.
/// <paramref name="Action"/>: another <c>controller/action</c> of the page's module to run (a table row's button), or
/// null for the page's own.
/// </summary>
public sealed record CfeSubmission(string Button, IReadOnlyDictionary<string, IReadOnlyList<string>> Values, string? Action = null);
