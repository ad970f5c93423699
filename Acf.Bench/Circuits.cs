using System.Net.WebSockets;
using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Acf.Bench;

/// <summary>
/// Logged-in browser circuits without a browser: what blazor.web.js does to open one, spoken over SignalR with the
/// blazorpack protocol (MessagePack under Blazor's name). It reads the page's component markers, starts the circuit,
/// adds the root components, acknowledges every render batch and answers JS interop calls as a browser would for
/// the calls an idle page makes, so the server holds each circuit as it holds a real tab's.
/// </summary>
internal sealed partial class Circuits : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly List<(string BaseUrl, string Cookie, string CircuitId)> _circuits = [];
    private readonly ConcurrentDictionary<string, int> _jsCalls = new();

    public int Opened => _connections.Count(c => c.State == HubConnectionState.Connected);

    /// <summary>Names of the JS functions the server called, with counts (to check what the pages asked for).</summary>
    public IReadOnlyDictionary<string, int> JsCalls => _jsCalls;

    public int RenderBatches;

    public async Task OpenAsync(string baseUrl, string cookie, string path, int count)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        for (var i = 0; i < count; i++)
        {
            var html = await http.GetStringAsync(baseUrl + path);
            var builder = new HubConnectionBuilder()
                .WithUrl(baseUrl + "/_blazor", HttpTransportType.WebSockets, options =>
                {
                    options.Headers["Cookie"] = cookie;
                    // Browsers offer permessage-deflate on every WebSocket; a circuit that negotiates it costs the
                    // server what a browser's does.
                    options.WebSocketConfiguration = socket => socket.DangerousDeflateOptions = new WebSocketDeflateOptions();
                });
            builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
            if (Environment.GetEnvironmentVariable("ACF_BENCH_DEBUG") == "1")
                builder.Services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug));
            var connection = builder.Build();
            var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.On<long, byte[]>("JS.RenderBatch", async (batchId, _) =>
            {
                Interlocked.Increment(ref RenderBatches);
                await connection.SendAsync("OnRenderCompleted", batchId, null);
                rendered.TrySetResult();
            });
            // .NET 10: task id, identifier, arguments as JSON, result type, target instance, call type.
            connection.On<long, string, string?, int, long, int>("JS.BeginInvokeJS", async (taskId, identifier, _, _, _, _) =>
            {
                _jsCalls.AddOrUpdate(identifier, 1, (_, n) => n + 1);
                var result = JsonSerializer.Serialize(new object?[] { taskId, true, ResultFor(identifier) });
                await connection.SendAsync("EndInvokeJSFromDotNet", taskId, true, result);
            });
            connection.On<int, string>("JS.AttachComponent", (_, _) => { });
            connection.On<long>("JS.EndUpdateRootComponents", _ => { });
            await connection.StartAsync();
            _connections.Add(connection);
            var circuitId = await connection.InvokeAsync<string?>("StartCircuit", baseUrl + "/", baseUrl + path, "[]", "");
            if (string.IsNullOrEmpty(circuitId)) throw new InvalidOperationException("the server did not start a circuit");
            _circuits.Add((baseUrl, cookie, circuitId));
            await connection.SendAsync("UpdateRootComponents", Operations(html), State(html));
            await rendered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Closes every circuit as a closed tab does: blazor.web.js sends a beacon to <c>/_blazor/disconnect</c> on
    /// unload, so the server frees the circuit at once instead of keeping it for a reconnect that never comes.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (baseUrl, cookie, circuitId) in _circuits)
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Add("Cookie", cookie);
            using var beacon = new FormUrlEncodedContent([new("circuitId", circuitId)]);
            try
            {
                (await http.PostAsync(baseUrl + "/_blazor/disconnect", beacon)).Dispose();
            }
            catch (HttpRequestException)
            {
                // the app is gone: nothing left to free
            }
        }
        _circuits.Clear();
        foreach (var connection in _connections) await connection.DisposeAsync();
        _connections.Clear();
    }

    /// <summary>What a browser returns to the few calls whose answer a component reads; null (void) otherwise.</summary>
    private static object? ResultFor(string identifier) => identifier switch
    {
        "mudpopoverHelper.countProviders" => 1,
        "mudResizeListener.getBrowserWindowSize" => new { width = 1400, height = 1000 },
        "mudElementRef.getBoundingClientRect" => new { top = 0, left = 0, width = 1400, height = 1000, bottom = 1000, right = 1400 },
        "window.hasOwnProperty" => true,
        // A module import answers a JS object reference; answering null made the layout's theme import throw and
        // the circuit die, so the bench measured dead circuits.
        "import" => new Dictionary<string, long> { ["__jsObjectId"] = 1 },
        _ => null,
    };

    /// <summary>The "add" operations blazor.web.js sends for the server component markers of the page.</summary>
    private static string Operations(string html)
    {
        var operations = new JsonArray();
        var id = 0;
        foreach (Match match in MarkerPattern().Matches(html))
        {
            var marker = JsonNode.Parse(match.Groups[1].Value)!.AsObject();
            if (marker["type"]?.GetValue<string>() != "server") continue; // end markers carry only prerenderId
            marker["uniqueId"] = id;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = ++id, ["marker"] = marker });
        }
        if (id == 0) throw new InvalidOperationException("the page has no server component markers (not logged in?)");
        return new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString();
    }

    private static string State(string html) => StatePattern().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([^-]+)-->")]
    private static partial Regex StatePattern();

    /// <summary>Blazor's hub speaks MessagePack under the name "blazorpack".</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol _inner = new();

        public string Name => "blazorpack";

        public int Version => _inner.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
            _inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
    }
}
