using System.Net.WebSockets;
using System.Text.Json;

namespace Acf.Tests.Web;

/// <summary>
/// A circuit's WebSocket is not compressed (issue 19): with permessage-deflate each open tab kept a zlib deflater
/// and inflater on the server for as long as it lived, about 0.2 MB of the 1.4-1.7 MB a circuit costs (bench, 50
/// circuits, two runs each way), and compressing what the server sends beside what a page echoes back is the
/// shape of a compression oracle. A browser offers the extension on every WebSocket; the server must decline it.
/// </summary>
public sealed class CircuitSocketTests : IDisposable
{
    private readonly AcfAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task BlazorSocket_BrowserOffersDeflate_ServerDeclinesIt()
    {
        var baseUrl = _factory.StartKestrel();
        using var http = new HttpClient { BaseAddress = baseUrl };
        using var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions(); // what a browser offers
        await socket.ConnectAsync(new Uri($"ws://{baseUrl.Authority}/_blazor?id={token}"), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"),
            "the server accepted permessage-deflate: " + string.Join(",", socket.HttpResponseHeaders.GetValueOrDefault("Sec-WebSocket-Extensions") ?? []));
    }
}
