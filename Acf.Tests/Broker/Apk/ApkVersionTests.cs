namespace Acf.Tests.Broker.Apk;

/// <summary>apk's version order, on rows of apk-tools' own test table (test/version.data) and Alpine's forms.</summary>
public sealed class ApkVersionTests
{
    [Theory]
    // Alpine's everyday forms
    [InlineData("1.36.1-r2", "<", "1.36.1-r10")]
    [InlineData("1.36.1-r2", ">", "1.36.1")]
    [InlineData("1.36.1", "<", "1.36.1-r0")]
    [InlineData("3.0.12_p1-r0", ">", "3.0.12-r0")]
    [InlineData("3.0.12_p1-r0", "<", "3.0.12_p2-r0")]
    [InlineData("3.0.12_p1-r0", "<", "3.0.13-r0")]
    [InlineData("2.4_rc1", "<", "2.4")]
    [InlineData("2.4_rc1", ">", "2.4_beta3")]
    [InlineData("2.4_alpha", "<", "2.4_beta")]
    [InlineData("2.4_pre1", "<", "2.4_rc1")]
    [InlineData("2.4_git20250101", ">", "2.4")]
    [InlineData("2.4_cvs", "<", "2.4_svn")]
    [InlineData("2.4_hg", "<", "2.4_p")]
    [InlineData("1.2.3a", ">", "1.2.3")]
    [InlineData("1.2.3a", "<", "1.2.3b")]
    [InlineData("1.2.3a", "<", "1.2.4")]
    [InlineData("10.0_p1-r9", ">", "10.0_p1-r7")]
    [InlineData("1.37.0-r19", ">", "1.37.0-r18")]
    [InlineData("20250911-r0", ">", "20250619-r0")]
    [InlineData("6.5_p20250503-r0", ">", "6.5-r0")]
    [InlineData("1.2.5-r10", "=", "1.2.5-r10")]
    [InlineData("1.0", "<", "1.0.0")]
    [InlineData("1.2", "<", "1.10")]
    [InlineData("1.0~abc123-r0", "<", "1.0~abd-r0")]
    [InlineData("1.0~abc123", ">", "1.0-r1")]
    // rows of apk-tools' test/version.data
    [InlineData("2.34", ">", "0.1.0_alpha")]
    [InlineData("23_foo", ">", "4_beta")]
    [InlineData("1.0", "<", "1.0bc")]
    [InlineData("0.1.0_alpha2", ">", "0.1.0_alpha")]
    [InlineData("1.1", ">", "1.1_alpha1")]
    [InlineData("2.3.0b-r1", "<", "2.3.0b-r2")]
    [InlineData("0.12.3", ">", "0.12")]
    [InlineData("3.1_p16", "<", "3.1_p17")]
    [InlineData("1.06-r6", "<", "006")]
    [InlineData("1.2.2-r1", ">", "1.2.2")]
    [InlineData("1.0.4", "<", "20050718-r1")]
    [InlineData("2.01.01_alpha10", ">", "0.94")]
    [InlineData("0.99.3.20040818", "<", "1.0")]
    [InlineData("1.02", "<", "1.03-r1")]
    [InlineData("4.2.52_p2-r1", "<", "4.2.52_p4-r2")]
    [InlineData("22.7-r1", "<", "22.7.3-r1")]
    [InlineData("2.1_pre20", "<", "2.1_pre26")]
    [InlineData("3.81", ">", "1.6d")]
    [InlineData("1.2.07.8", "<", "1.2.12.04")]
    [InlineData("0.20070118", "<", "0.20070207_rc1")]
    [InlineData("4.5_p1-r1", ">", "4.5_p1")]
    [InlineData("0.9.8c-r1", "<", "0.9.8d")]
    [InlineData("2.2.3-r2", "<", "013")]
    [InlineData("1.7", "<", "1.7b")]
    [InlineData("0.9.28.1", "<", "087-r1")]
    [InlineData("2.12r-r4", "<", "2.12r-r5")]
    [InlineData("7.0.17", "<", "7.0.174")]
    [InlineData("1.3_pre1-r1", "<", "1.3.2")]
    [InlineData("1.0_p10-r0", ">", "1.0_p9-r0")]
    [InlineData("0.1.0_alpha_pre2", "<", "0.1.0_alpha")]
    [InlineData("1.0.0_pre20191002222144-r0", "<", "1.0.0_pre20210530193627-r0")]
    public void Compare_TableRow_OrdersAsApk(string a, string op, string b)
    {
        var expected = op switch { "<" => -1, ">" => 1, _ => 0 };

        var forward = ApkVersion.Compare(a, b);
        var backward = ApkVersion.Compare(b, a);

        Assert.Equal(expected, forward);
        Assert.Equal(-expected, backward);
    }

    [Theory]
    [InlineData("1.36.1-r2", true)]
    [InlineData("3.0.12_p1-r0", true)]
    [InlineData("2.4_rc1", true)]
    [InlineData("1.2.3a", true)]
    [InlineData("6.5_p20250503-r0", true)]
    [InlineData("1.0~abc123-r1", true)]
    [InlineData("1.0bc", false)]
    [InlineData("1.0_foo", false)]
    [InlineData("1.0-1", false)]
    [InlineData("1.0-r1-r2", false)]
    [InlineData("a1.0", false)]
    [InlineData("", false)]
    [InlineData("1..0", false)]
    public void IsValid_Version_AsApkValidates(string version, bool valid)
    {
        var result = ApkVersion.IsValid(version);

        Assert.Equal(valid, result);
    }
}
