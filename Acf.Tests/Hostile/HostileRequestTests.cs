using System.Net.Http.Headers;

namespace Acf.Tests.Hostile;

/// <summary>
/// Oversized and malformed API requests: each ends in a 4xx, the demo root stays as it was, and the next ordinary
/// request of the same user is served.
/// </summary>
public sealed class HostileRequestTests : IDisposable
{
    private const string Submit = "/api/alpine-baselayout/hostname/edit";

    private readonly AcfAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>A body without Content-Length (sent chunked), as a client that streams would send it.</summary>
    private static HttpContent Chunked(byte[] bytes)
    {
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static TheoryData<string> Cases() => ["declared-oversize", "chunked-oversize", "deep-nesting", "huge-value", "not-an-object", "truncated-json"];

    private static HttpContent Body(string name) => name switch
    {
        "declared-oversize" => AcfAppFactory.Json("{\"hostname\":\"" + new string('a', 5 << 20) + "\"}"),
        "chunked-oversize" => Chunked(Encoding.UTF8.GetBytes("{\"hostname\":\"" + new string('a', 5 << 20) + "\"}")),
        "deep-nesting" => AcfAppFactory.Json(new string('[', 10_000) + new string(']', 10_000)),
        "huge-value" => AcfAppFactory.Json("{\"hostname\":\"" + new string('a', 3 << 20) + "\"}"),
        "not-an-object" => AcfAppFactory.Json("[\"hostname\"]"),
        _ => AcfAppFactory.Json("{\"hostname\":\"x"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ApiSubmit_HostileBody_4xxNothingChangedStillServing(string name)
    {
        var client = await _factory.LoggedInClientAsync();
        var before = HostileCase.Snapshot(_factory.DemoRoot);

        var response = await client.PostAsync(Submit, Body(name));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal(before, HostileCase.Snapshot(_factory.DemoRoot));
        var next = await client.GetAsync("/api/alpine-baselayout/hostname/read");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task ApiSubmit_ChunkedOversize_413()
    {
        var client = await _factory.LoggedInClientAsync();

        var response = await client.PostAsync(Submit, Chunked(new byte[(4 << 20) + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
