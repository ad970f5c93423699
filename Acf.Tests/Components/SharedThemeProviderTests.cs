using Acf.Web.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;
using MudBlazor;
using MudBlazor.Services;

namespace Acf.Tests.Components;

/// <summary>
/// Issue 19: MudThemeProvider kept a new 23 KB string of theme CSS in every open tab. The layouts'
/// SharedThemeProvider must render exactly what MudThemeProvider renders, light and dark, while every tab's render
/// tree points at the same strings.
/// </summary>
public sealed class SharedThemeProviderTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public SharedThemeProviderTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Markup_IsMudThemeProviders(bool dark)
    {
        var mud = _ctx.Render<MudThemeProvider>(p => p.Add(x => x.IsDarkMode, dark));
        var shared = _ctx.Render<SharedThemeProvider>(p => p.Add(x => x.IsDarkMode, dark));

        Assert.Contains("--mud-palette-primary", shared.Markup, StringComparison.Ordinal);
        Assert.Contains(dark ? "--mud-native-html-color-scheme: dark" : "--mud-native-html-color-scheme: light", shared.Markup, StringComparison.Ordinal);
        Assert.Equal(mud.Markup, shared.Markup);
    }

    [Fact]
    public void DarkModeSwitch_RendersTheDarkSheet()
    {
        var shared = _ctx.Render<SharedThemeProvider>(p => p.Add(x => x.IsDarkMode, false));
        shared.Render(p => p.Add(x => x.IsDarkMode, true));

        Assert.Contains("--mud-native-html-color-scheme: dark", shared.Markup, StringComparison.Ordinal);
        Assert.Equal(_ctx.Render<MudThemeProvider>(p => p.Add(x => x.IsDarkMode, true)).Markup, shared.Markup);
    }

    [Fact]
    public void TwoTabs_HoldTheSameStrings()
    {
        var first = Probe.Frames();
        var second = Probe.Frames();

        Assert.NotEmpty(first);
        Assert.Equal(first.Length, second.Length);
        Assert.Contains(first, sheet => sheet.Length > 10_000); // the theme's CSS
        for (var i = 0; i < first.Length; i++) Assert.Same(first[i], second[i]);
    }

    /// <summary>One tab's provider, built as the renderer builds it.</summary>
    private sealed class Probe : SharedThemeProvider
    {
#pragma warning disable BL0006 // the render tree is what is shared
        public static string[] Frames()
        {
            using var builder = new RenderTreeBuilder();
            new Probe().BuildRenderTree(builder);
            var frames = builder.GetFrames();
            return [.. frames.Array.Take(frames.Count).Select(f => f.FrameType == RenderTreeFrameType.Markup ? f.MarkupContent : throw new InvalidOperationException(f.FrameType.ToString()))];
        }
#pragma warning restore BL0006
    }
}
