using Acf.Broker.Crypto;

namespace Acf.Tests.Crypto;

/// <summary>WireGuard's key pairs: the public key is X25519 of the private key with the base point (RFC 7748's own
/// test vectors), and a new private key is clamped as wg genkey clamps it.</summary>
public class Curve25519KeysTests
{
    [Theory]
    // RFC 7748, section 6.1: Alice's and Bob's private and public keys.
    [InlineData("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")]
    [InlineData("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
        "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")]
    public void PublicKeyOf_Rfc7748Vectors_MatchTheRfc(string privateHex, string publicHex)
    {
        var publicKey = Curve25519Keys.PublicKeyOf(Convert.FromHexString(privateHex));

        Assert.Equal(publicHex, Convert.ToHexStringLower(publicKey));
    }

    [Fact]
    public void PublicKeyOf_Base64_AsWgPubkeyPrintsIt()
    {
        var privateKey = Convert.ToBase64String(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));

        Assert.Equal(Convert.ToBase64String(Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")),
            Curve25519Keys.PublicKeyOf(privateKey));
        Assert.Null(Curve25519Keys.PublicKeyOf("not a key"));
        Assert.Null(Curve25519Keys.PublicKeyOf(Convert.ToBase64String(new byte[31]) + "=="));
    }

    [Fact]
    public void NewPrivateKey_IsClampedAndNewEachTime()
    {
        var first = Curve25519Keys.NewPrivateKey();
        var second = Curve25519Keys.NewPrivateKey();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
        Assert.Equal(0, first[0] & 7);
        Assert.Equal(0x40, first[31] & 0xC0);
    }
}
