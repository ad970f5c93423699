using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;
using MudBlazor;

namespace Acf.Web.Components.Layout;

/// <summary>
/// MudThemeProvider, with one copy of its style sheets for the whole process. MudThemeProvider builds the theme's CSS
/// (about 11,700 characters, 23 KB) as a new string on every render, and each open tab kept its own for as long as it
/// lived (issue 19). Here every circuit's markup frames point at one shared string per sheet (light and dark are two);
/// the dark-mode switch, the system preference and everything else stay MudThemeProvider's. (Its default MudTheme,
/// 124 colours, is still one per tab: MudThemeProvider builds it itself, whatever theme it is given.)
/// </summary>
public class SharedThemeProvider : MudThemeProvider
{
    // The style sheets seen so far, each kept once: light, dark, the scrollbar's and the charts'. Bounded, so that a
    // theme that changed on every render could never grow it; past the bound a sheet is simply not shared.
    private const int MaxSheets = 16;
    private static readonly ConcurrentDictionary<string, string> Sheets = new(StringComparer.Ordinal);

    /// <summary>The one copy of <paramref name="sheet"/> that every circuit's render tree holds.</summary>
    internal static string Shared(string sheet)
    {
        if (Sheets.TryGetValue(sheet, out var shared)) return shared;
        return Sheets.Count < MaxSheets ? Sheets.GetOrAdd(sheet, sheet) : sheet;
    }

#pragma warning disable BL0006 // MudThemeProvider's own tree is read here to share its strings; a test pins its shape.
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        // MudThemeProvider renders markup frames only (its style elements). Should a later MudBlazor render anything
        // else, this fails loudly rather than drop it (SharedThemeProviderTests renders it).
        using var own = new RenderTreeBuilder();
        base.BuildRenderTree(own);
        var frames = own.GetFrames();
        for (var i = 0; i < frames.Count; i++)
        {
            ref var frame = ref frames.Array[i];
            if (frame.FrameType != RenderTreeFrameType.Markup)
                throw new InvalidOperationException($"MudThemeProvider rendered a {frame.FrameType} frame; SharedThemeProvider copies markup only.");
            builder.AddMarkupContent(0, Shared(frame.MarkupContent)); // one sequence number, as in a loop
        }
    }
#pragma warning restore BL0006
}
