namespace Acf.Tests.Broker.Lbu;

/// <summary>The openssl enc format lbu encrypts apkovls with: round trips here, and against the real openssl.</summary>
public sealed class OpensslEncTests : IDisposable
{
    private static readonly byte[] Gzip = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"acf-openssl-test-{Guid.NewGuid():N}");

    public OpensslEncTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("aes-128-cbc")]
    [InlineData("aes-192-cbc")]
    [InlineData("aes-256-cbc")]
    public void Decrypt_WhatEncryptWrote_SameBytes(string cipher)
    {
        var encrypted = OpensslEnc.Encrypt(Gzip, "pässword", cipher);

        var plain = OpensslEnc.Decrypt(encrypted, "pässword", cipher);

        Assert.Equal(Gzip, plain);
        Assert.Equal("Salted__"u8.ToArray(), encrypted[..8]);
    }

    [Fact]
    public void Decrypt_WrongPassword_Null()
    {
        var encrypted = OpensslEnc.Encrypt(Gzip, "right", "aes-256-cbc");

        var plain = OpensslEnc.Decrypt(encrypted, "wrong", "aes-256-cbc");

        Assert.Null(plain);
    }

    [Fact]
    public void Encrypt_KnownSalt_SameBytesAsOpenssl()
    {
        // printf 'hello\n' | openssl enc -aes-256-cbc -S 0102030405060708 -pass pass:secret | xxd -p  (OpenSSL 3.0;
        // with -S it writes no header, so only the ciphertext is compared)
        var salt = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };

        var encrypted = OpensslEnc.Encrypt("hello\n"u8, "secret", "aes-256-cbc", salt);

        Assert.Equal(salt, encrypted[8..16]);
        Assert.Equal("0b3e8d935bc68a9ba293edd22e8c7018", Convert.ToHexStringLower(encrypted[16..]));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public void Openssl_DecryptsOursAndWeDecryptItsOwn()
    {
        var ours = Path.Combine(_folder, "ours.enc");
        File.WriteAllBytes(ours, OpensslEnc.Encrypt(Gzip, "s3cret", "aes-256-cbc"));
        var plainFile = Path.Combine(_folder, "plain");
        File.WriteAllBytes(plainFile, Gzip);
        var theirs = Path.Combine(_folder, "theirs.enc");

        var decrypted = Openssl("enc", "-d", "-aes-256-cbc", "-pass", "pass:s3cret", "-in", ours);
        Openssl("enc", "-aes-256-cbc", "-salt", "-pass", "pass:s3cret", "-in", plainFile, "-out", theirs);
        var ourDecryption = OpensslEnc.Decrypt(File.ReadAllBytes(theirs), "s3cret", "aes-256-cbc");

        Assert.Equal(Gzip, decrypted);
        Assert.Equal(Gzip, ourDecryption);
    }

    private static byte[] Openssl(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, Encoding.UTF8.GetString(output.ToArray()) + errors);
        return output.ToArray();
    }
}
