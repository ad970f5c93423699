using OtpNet;
using QRCoder;

namespace Acf.Web.Auth;

/// <summary>
/// Time-based one-time passwords (RFC 6238, through Otp.NET) as authenticator apps use them: HMAC-SHA1, 6 digits,
/// 30-second steps, a 160-bit secret shown in base32.
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    private const int SecretBytes = 20;

    /// <summary>A fresh random secret, in base32 (what the QR code carries and the user may type).</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(SecretBytes));

    /// <summary>The secret's bytes, or null when it is not base32 (spaces and case are forgiven).</summary>
    public static byte[]? Decode(string secret)
    {
        var clean = secret.Replace(" ", "").Trim().TrimEnd('=').ToUpperInvariant();
        if (clean.Length == 0 || clean.Any(c => !(c is >= 'A' and <= 'Z' or >= '2' and <= '7'))) return null;
        try
        {
            return Base32Encoding.ToBytes(clean);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The code for a time (RFC 6238's test vectors use 8 digits and SHA-256/512 too).</summary>
    public static string Compute(byte[] key, DateTimeOffset time, int digits = Digits, OtpHashMode mode = OtpHashMode.Sha1) =>
        new OtpNet.Totp(key, StepSeconds, mode, digits).ComputeTotp(time.UtcDateTime);

    /// <summary>
    /// The time step the code belongs to, when it matches now or one step before or after (clocks drift); null
    /// otherwise. The caller refuses a step it has seen already, so a code works once.
    /// </summary>
    public static long? MatchStep(byte[] key, string code, DateTimeOffset now)
    {
        var digits = code.Replace(" ", "").Trim();
        if (digits.Length != Digits || !digits.All(char.IsAsciiDigit)) return null;
        var totp = new OtpNet.Totp(key, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    /// <summary>The <c>otpauth://</c> link of the key-uri format that authenticator apps read from the QR code.</summary>
    public static string KeyUri(string secret, string account, string issuer) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={secret}" +
        $"&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";

    /// <summary>
    /// The QR code of <paramref name="text"/> as a <c>data:</c> PNG: an image, not markup, so it passes the CSP
    /// (<c>img-src 'self' data:</c>) and needs no script.
    /// </summary>
    public static string QrDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
