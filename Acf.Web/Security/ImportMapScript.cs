using Microsoft.AspNetCore.Components.Rendering;

namespace Acf.Web.Security;

/// <summary>
/// The page's import map, rendered from the same text the Content-Security-Policy hashes (Blazor's own ImportMap
/// component would need <c>'unsafe-inline'</c> or a per-request nonce).
/// </summary>
public sealed class ImportMapScript : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    public static string Text(ImportMapDefinition map) => map.ToString();

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (HttpContext?.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>() is not { } map) return;
        builder.OpenElement(0, "script");
        builder.AddAttribute(1, "type", "importmap");
        builder.AddMarkupContent(2, Text(map));
        builder.CloseElement();
    }
}
