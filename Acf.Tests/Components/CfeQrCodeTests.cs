using Acf.Web.Components.Renderer;
using Bunit;
using MudBlazor.Services;
using QRCoder;

namespace Acf.Tests.Components;

/// <summary>The qrcode field (a new WireGuard peer's client configuration): the QR code is SVG drawn from the encoder's
/// own modules, the text is shown as text, and a hostile text stays text in both.</summary>
public class CfeQrCodeTests : BunitContext
{
    private const string Config = "[Interface]\nPrivateKey = aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd28=\nAddress = 10.8.0.4/32\n";

    public CfeQrCodeTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
    }

    private static CfeNode Form(string text) => new()
    {
        Type = CfeTypes.Form,
        Name = "form",
        Children = [new CfeNode { Type = CfeTypes.QrCode, Name = "client_config", Label = "Client", Text = text, Descr = "Shown once." }],
    };

    [Fact]
    public void Render_QrCode_DrawsEveryDarkModuleOfTheEncodersMatrix()
    {

        var cut = Render<CfeView>(p => p.Add(x => x.Entity, Form(Config)));

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(Config, QRCodeGenerator.ECCLevel.M);
        var svg = cut.Find("#cfe-client_config svg.cfe-qrcode-image");
        Assert.Equal($"0 0 {data.ModuleMatrix.Count} {data.ModuleMatrix.Count}", svg.GetAttribute("viewBox"));
        var drawn = Modules(cut.Find("#cfe-client_config svg.cfe-qrcode-image path").GetAttribute("d")!, data.ModuleMatrix.Count);
        for (var y = 0; y < data.ModuleMatrix.Count; y++)
        for (var x = 0; x < data.ModuleMatrix.Count; x++)
            Assert.True(data.ModuleMatrix[y][x] == drawn[y, x], $"module ({x},{y})");
        Assert.Equal(Config, cut.Find("#cfe-client_config pre").TextContent);
        Assert.Contains("Shown once.", cut.Find("#cfe-client_config").TextContent);
    }

    [Fact]
    public void Render_HostileText_StaysTextAndTheSvgHoldsNoneOfIt()
    {
        const string hostile = "<svg onload=alert(1)><script>alert(2)</script>";

        var cut = Render<CfeView>(p => p.Add(x => x.Entity, Form(hostile)));

        Assert.Equal(hostile, cut.Find("#cfe-client_config pre").TextContent);
        Assert.Empty(cut.FindAll("script"));
        Assert.Single(cut.FindAll("svg.cfe-qrcode-image"));
        Assert.DoesNotContain("onload", cut.Find("svg.cfe-qrcode-image").OuterHtml);
    }

    [Fact]
    public void Render_QrCodeInAForm_IsNoInput()
    {

        var cut = Render<CfeView>(p => p.Add(x => x.Entity, Form(Config)));

        Assert.Empty(cut.FindAll("#cfe-client_config input, #cfe-client_config textarea"));
    }

    /// <summary>Reads back the modules a path of "M{x} {y}h{n}v1h-{n}z" runs paints.</summary>
    private static bool[,] Modules(string path, int size)
    {
        var painted = new bool[size, size];
        foreach (var run in path.Split('z', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = run.TrimStart('M').Split(' ', 'h', 'v');
            int x = int.Parse(parts[0]), y = int.Parse(parts[1]), n = int.Parse(parts[2]);
            for (var i = 0; i < n; i++) painted[y, x + i] = true;
        }
        return painted;
    }
}
