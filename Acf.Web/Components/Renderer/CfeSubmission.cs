namespace Acf.Web.Components.Renderer;

/// <summary>
/// What <see cref="CfeView"/> hands to its page when a form's submit button is pressed: the button's value and the
/// current values of every non-readonly field, keyed by flat dotted names (<c>group.field</c>) as ACF posts them.
/// </summary>
public sealed record CfeSubmission(string Button, IReadOnlyDictionary<string, IReadOnlyList<string>> Values);
