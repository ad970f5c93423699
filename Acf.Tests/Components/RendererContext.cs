using Bunit;
using MudBlazor.Services;

namespace Acf.Tests.Components;

/// <summary>The bUnit context the renderer's components are drawn in: loose JS interop, MudBlazor and localization.</summary>
internal static class RendererContext
{
    /// <summary>
    /// A new context for one test. xunit 2 disposes synchronously, which MudBlazor's popover service refuses: each test
    /// owns its context and disposes it asynchronously (<c>await using</c>, or the test class's <c>DisposeAsync</c>).
    /// </summary>
    public static BunitContext New()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        return ctx;
    }
}
