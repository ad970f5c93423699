namespace Acf.Tests.Lab;

/// <summary>
/// A test of the three-node DMVPN lab (<see cref="DmvpnLab"/>). It runs with the suite, as the other lab classes do;
/// <c>ACF_LAB_DMVPN=0</c> skips it (a loaded machine where it takes 16-17 minutes instead of 3-4: docs/lab.md, The
/// DMVPN). Run the class alone with <c>dotnet test Acf.Tests --filter FullyQualifiedName~DmvpnLabTests</c>.
/// </summary>
public sealed class DmvpnLabFactAttribute : FactAttribute
{
    public const string Reason = "ACF_LAB_DMVPN=0: the DMVPN lab class was asked to be skipped (docs/lab.md, The DMVPN)";

    public DmvpnLabFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ACF_LAB_DMVPN") == "0") Skip = Reason;
    }
}
