namespace Acf.Tests.Lossless;

public class ByteTextTests
{
    private static readonly byte[] Latin1Realm = Encoding.Latin1.GetBytes("f\u00fcr B\u00fcro");

    [Fact]
    public void DecodeEncode_EverySingleByte_RoundTrips()
    {
        for (var b = 0; b < 256; b++)
        {
            byte[] bytes = [(byte)'a', (byte)b, (byte)'z'];

            var back = ByteText.Encode(ByteText.Decode(bytes));

            Assert.Equal(bytes, back);
        }
    }

    [Fact]
    public void DecodeEncode_RandomBytesAndMixedUtf8_RoundTrip()
    {
        var random = new Random(14);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            var mixed = bytes.Concat(Encoding.UTF8.GetBytes("é😀")).Concat(bytes.Reverse()).ToArray();

            Assert.Equal(bytes, ByteText.Encode(ByteText.Decode(bytes)));
            Assert.Equal(mixed, ByteText.Encode(ByteText.Decode(mixed)));
        }
    }

    [Fact]
    public void Decode_ValidUtf8_IsTheOrdinaryString()
    {
        var text = ByteText.Decode(Encoding.UTF8.GetBytes("Café-WLAN 😀"));

        Assert.Equal("Café-WLAN 😀", text);
        Assert.False(ByteText.HasRawBytes(text));
    }

    [Fact]
    public void Escaped_Latin1_ShowsEachRawByteAsHex()
    {
        var text = ByteText.Decode(Latin1Realm);

        Assert.True(ByteText.HasRawBytes(text));
        Assert.Equal(@"f\xFCr B\xFCro", ByteText.Escaped(text));
    }

    [Fact]
    public void Json_RawBytes_TravelAsBase64AndComeBackExact()
    {
        var options = new JsonSerializerOptions { Converters = { new ByteText.StringConverter() } };
        var record = new[] { ByteText.Decode(Latin1Realm), "plain" };

        var json = JsonSerializer.Serialize(record, options);
        var back = JsonSerializer.Deserialize<string[]>(json, options)!;

        Assert.Equal($$"""[{"$bytes":"{{Convert.ToBase64String(Latin1Realm)}}"},"plain"]""", json);
        Assert.Equal(Latin1Realm, ByteText.Encode(back[0]));
        Assert.Equal("plain", back[1]);
    }
}
