using System.Collections.Concurrent;
using MudBlazor;

namespace Acf.Web.Components.Layout;

/// <summary>
/// The <c>&lt;svg&gt;</c> element MudIcon renders, as one piece of markup, for the places that write MudBlazor's markup
/// instead of its components (issue 19: each component is state and two render trees in every open tab, and an svg
/// written as elements is seven frames in each of them; as markup it is one). Each icon and class list is built once
/// and the same string is shared by every tab.
/// Only for MudBlazor's <see cref="Icons"/> constants and class lists written in the code: nothing a module, a file or a
/// user wrote may reach it, since it is markup, not text.
/// </summary>
internal static class MudIconMarkup
{
    /// <summary>The classes of a small chip's icon (MudChip, Size.Small).</summary>
    public const string ChipIcon = "mud-icon-root mud-svg-icon mud-icon-size-small mud-chip-icon";

    private static readonly ConcurrentDictionary<(string Icon, string Classes), MarkupString> Cache = new();

    /// <param name="icon">One of MudBlazor's <see cref="Icons"/> constants (the svg's inner elements).</param>
    /// <param name="classes">The svg's classes, as MudIcon writes them for that place.</param>
    public static MarkupString Svg(string icon, string classes) => Cache.GetOrAdd((icon, classes), static key =>
        new MarkupString($"<svg class=\"{key.Classes}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{key.Icon}</svg>"));
}
