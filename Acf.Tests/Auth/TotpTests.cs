using Base32Encoding = OtpNet.Base32Encoding;
using OtpHashMode = OtpNet.OtpHashMode;

namespace Acf.Tests.Auth;

public sealed class TotpTests
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    /// <summary>RFC 6238, appendix B: 8 digits, 30-second steps, one seed per hash.</summary>
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Compute_Rfc6238Vectors_MatchTheRfc(long unixSeconds, string sha1, string sha256, string sha512)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        var codes = (Totp.Compute(Sha1Seed, time, 8, OtpHashMode.Sha1), Totp.Compute(Sha256Seed, time, 8, OtpHashMode.Sha256),
            Totp.Compute(Sha512Seed, time, 8, OtpHashMode.Sha512));

        Assert.Equal((sha1, sha256, sha512), codes);
    }

    [Fact]
    public void MatchStep_CodeOfPreviousAndNextStep_Accepted_TwoStepsAway_Refused()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = 1234567890 / Totp.StepSeconds;

        var previous = Totp.MatchStep(Sha1Seed, Totp.Compute(Sha1Seed, now.AddSeconds(-30)), now);
        var next = Totp.MatchStep(Sha1Seed, Totp.Compute(Sha1Seed, now.AddSeconds(30)), now);
        var old = Totp.MatchStep(Sha1Seed, Totp.Compute(Sha1Seed, now.AddSeconds(-90)), now);

        Assert.Equal(step - 1, previous);
        Assert.Equal(step + 1, next);
        Assert.Null(old);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void MatchStep_NotSixDigits_Null(string code)
    {
        var match = Totp.MatchStep(Sha1Seed, code, DateTimeOffset.UnixEpoch.AddSeconds(59));

        Assert.Null(match);
    }

    [Fact]
    public void Decode_NewSecret_RoundTripsTo160Bits_AndRefusesNonBase32()
    {
        var secret = Totp.NewSecret();

        var key = Totp.Decode(secret.ToLowerInvariant());

        Assert.Equal(20, key!.Length);
        Assert.Equal(secret, Base32Encoding.ToString(key));
        Assert.Null(Totp.Decode("not base32!"));
    }

    [Fact]
    public void KeyUri_EscapesAccountAndIssuer()
    {
        var uri = Totp.KeyUri("ABCDEF", "ro ot", "Acf edge:1");

        Assert.Equal("otpauth://totp/Acf%20edge%3A1:ro%20ot?secret=ABCDEF&issuer=Acf%20edge%3A1&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void QrDataUri_IsAPngDataUri()
    {
        var uri = Totp.QrDataUri("otpauth://totp/x?secret=ABCDEF");

        Assert.StartsWith("data:image/png;base64,", uri);
        var png = Convert.FromBase64String(uri["data:image/png;base64,".Length..]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
