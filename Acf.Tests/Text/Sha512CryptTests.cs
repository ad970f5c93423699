using Acf.Broker.Text;

namespace Acf.Tests.Text;

public sealed class Sha512CryptTests
{
    // Hashes produced on the development machine by OpenSSL 3.0 (`openssl passwd -6 -salt ...`), an implementation
    // independent of ours.
    private const string OpenSslPassphrase = "$6$Ab3.x/9Zq$v2ijJWXmzwbELWivgdSrH7A7pT1d0G2U2HnqzAEog/PKAAsI9Sb6gOnFWMA7vZhMa3bXhJEA1mzf9KVP7EvJK0";
    private const string OpenSslUnicode = "$6$x$VC4YZ1nalcPJYdd2Ol/LPgArcwP02Tg1nig3tRVtmJsdnX5w/QP0Out8LpYEa0ylTEUbpBLlUrvn6rxu2aMq/0";
    private const string OpenSslRounds = "$6$rounds=1234$abc$XqYbmoQGQJNpgo84CG21MP5uLQ40lQ0wvzjdHGtapstLfbwe/k/eiK7kIj485M6i4AtmYHzRT1qi/QlZQZNdo.";
    private const string OpenSslLongPassword = "$6$rounds=1000$longpasswordsal$bVM1kbGuuTibs98Nt2pamRjSvS6DRk8KGs5w1XT4JNir8V4JRKlHzJnTFh1FCXD/5Ls8c2yOsBkVV.n8iAGL.1";

    // The test vectors published with Drepper's specification: password, salt, rounds, hash.
    private static readonly (string Password, string Salt, int Rounds, string Hash)[] Spec =
    [
        ("Hello world!", "saltstring", 5000, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"),
        ("Hello world!", "saltstringsaltstring", 10000, "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."),
        ("a very much longer text to encrypt.  This one even stretches over morethan one line.", "anotherlongsaltstring", 1400, "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1"),
        ("we have a short salt string but not a short password", "short", 77777, "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0"),
        ("a short string", "asaltof16chars..", 123456, "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1"),
        ("the minimum number is still observed", "roundstoolow", 10, "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX."),
    ];

    public static TheoryData<string, string, int, string> SpecVectors
    {
        get
        {
            var data = new TheoryData<string, string, int, string>();
            foreach (var (password, salt, rounds, hash) in Spec)
            {
                data.Add(password, salt, rounds, hash);
            }

            return data;
        }
    }

    public static TheoryData<string, string> SpecHashes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (password, _, _, hash) in Spec)
            {
                data.Add(password, hash);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Hash_SpecVector_MatchesPublishedHash(string password, string salt, int rounds, string expected)
    {
        // Act
        var hash = Sha512Crypt.Hash(password, salt, rounds);

        // Assert
        Assert.Equal(expected, hash);
    }

    [Theory]
    [MemberData(nameof(SpecHashes))]
    public void Verify_SpecVector_ReturnsTrue(string password, string stored)
    {
        // Act
        var ok = Sha512Crypt.Verify(password, stored);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void Verify_ExplicitDefaultRounds_ReturnsTrue()
    {
        // Arrange: the spec vector that spells out rounds=5000, which Hash itself never writes.
        const string stored = "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0";

        // Act
        var ok = Sha512Crypt.Verify("This is just a test", stored);

        // Assert
        Assert.True(ok);
    }

    [Theory]
    [InlineData("correct horse battery staple", OpenSslPassphrase)]
    [InlineData("pässwörd€", OpenSslUnicode)]
    [InlineData("pw", OpenSslRounds)]
    public void Verify_OpenSslHash_ReturnsTrue(string password, string stored)
    {
        // Act
        var ok = Sha512Crypt.Verify(password, stored);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void Verify_OpenSslHashOfPasswordLongerThanOneDigest_ReturnsTrue()
    {
        // Arrange: 200 bytes exercises the paths that repeat 64-byte digests.
        var password = string.Concat(Enumerable.Repeat("0123456789", 20));

        // Act
        var ok = Sha512Crypt.Verify(password, OpenSslLongPassword);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void Hash_OpenSslSaltAndRounds_ReproducesOpenSslHash()
    {
        // Act
        var hash = Sha512Crypt.Hash("pw", "abc", 1234);

        // Assert
        Assert.Equal(OpenSslRounds, hash);
    }

    [Fact]
    public void Hash_DefaultSaltAndRounds_VerifiesAndHasSixteenCharSalt()
    {
        // Act
        var hash = Sha512Crypt.Hash("s3cret!");

        // Assert
        Assert.StartsWith($"$6$rounds={Sha512Crypt.DefaultRounds}$", hash, StringComparison.Ordinal);
        var salt = hash.Split('$')[3];
        Assert.Equal(16, salt.Length);
        Assert.Matches("^[./0-9A-Za-z]{16}$", salt);
        Assert.True(Sha512Crypt.Verify("s3cret!", hash));
    }

    [Fact]
    public void Hash_TwoCallsWithoutSalt_UseDifferentSalts()
    {
        // Act
        var first = Sha512Crypt.Hash("same", rounds: 1000);
        var second = Sha512Crypt.Hash("same", rounds: 1000);

        // Assert
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Hash_FiveThousandRounds_OmitsRoundsPart()
    {
        // Act
        var hash = Sha512Crypt.Hash("Hello world!", "saltstring", 5000);

        // Assert
        Assert.StartsWith("$6$saltstring$", hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1000)]
    [InlineData("pässwörd€ with ünïcödé", 1000)]
    [InlineData("a:b$c\nd", 1001)]
    public void HashThenVerify_RoundTrip_ReturnsTrue(string password, int rounds)
    {
        // Arrange
        var hash = Sha512Crypt.Hash(password, rounds: rounds);

        // Act
        var ok = Sha512Crypt.Verify(password, hash);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void Verify_WrongPassword_ReturnsFalse()
    {
        // Act
        var ok = Sha512Crypt.Verify("Hello world?", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!")]
    [InlineData("*")]
    [InlineData("plain-text-password")]
    [InlineData("$6$")]
    [InlineData("$6$saltstring")]
    [InlineData("$6$saltstring$")]
    [InlineData("$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1")]
    [InlineData("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF4BDM8N8")]
    [InlineData("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz")]
    [InlineData("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1x")]
    [InlineData("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz!")]
    [InlineData("$6$saltstringsaltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("$6$rounds=$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("$6$rounds=-5$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("$6$rounds=12345678901$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("$6$rounds=5000")]
    [InlineData("$6$salt:string$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("$6$salt string$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData(" $6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    public void Verify_MalformedHash_ReturnsFalse(string stored)
    {
        // Act
        var ok = Sha512Crypt.Verify("Hello world!", stored);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void Verify_NullArguments_ReturnsFalse()
    {
        // Act
        var nullPassword = Sha512Crypt.Verify(null!, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
        var nullHash = Sha512Crypt.Verify("Hello world!", null!);

        // Assert
        Assert.False(nullPassword);
        Assert.False(nullHash);
    }

    [Fact]
    public void Verify_PasswordOverLengthLimit_ReturnsFalse()
    {
        // Arrange: a hash of the cut-off password, to show the long one is refused rather than compared.
        var longPassword = new string('a', Sha512Crypt.MaxPasswordBytes + 1);

        // Act
        var ok = Sha512Crypt.Verify(longPassword, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void Hash_PasswordOverLengthLimit_Throws()
    {
        // Arrange
        var longPassword = new string('a', Sha512Crypt.MaxPasswordBytes + 1);

        // Act
        var act = () => Sha512Crypt.Hash(longPassword, "salt", 1000);

        // Assert
        Assert.Throws<ArgumentException>(act);
    }

    [Theory]
    [InlineData("bad$salt")]
    [InlineData("bad:salt")]
    [InlineData("bad\nsalt")]
    [InlineData("bad salt")]
    public void Hash_SaltWithForbiddenCharacter_Throws(string salt)
    {
        // Act
        var act = () => Sha512Crypt.Hash("pw", salt, 1000);

        // Assert
        Assert.Throws<ArgumentException>(act);
    }
}
