using QRCoder;

namespace Acf.Web.Components.Renderer;

/// <summary>
/// A text as a QR code drawn as SVG on the server (a new WireGuard peer's client configuration, which its app scans):
/// one path of the dark modules, in module units with the quiet zone around them. The path is built only of numbers
/// and path letters, so it is no markup and needs no MarkupString; the text itself never reaches the SVG.
/// </summary>
public sealed record CfeQrCode(int Size, string Path)
{
    public static CfeQrCode Of(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var path = new StringBuilder();
        for (var y = 0; y < matrix.Count; y++)
        {
            var row = matrix[y];
            for (var x = 0; x < row.Length; x++)
            {
                if (!row[x]) continue;
                var start = x;
                while (x + 1 < row.Length && row[x + 1]) x++;
                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start + 1}v1h-{x - start + 1}z");
            }
        }
        return new CfeQrCode(matrix.Count, path.ToString());
    }
}
