namespace Acf.Tests.Lab;

/// <summary>
/// A test of the three-node DMVPN lab (<see cref="DmvpnLab"/>): skipped unless <c>ACF_LAB_DMVPN=1</c> is set, with the
/// measured reason in the skip (docs/lab.md, The DMVPN). Run the class alone with
/// <c>ACF_LAB_DMVPN=1 dotnet test Acf.Tests --filter FullyQualifiedName~DmvpnLabTests</c>.
/// </summary>
public sealed class DmvpnLabFactAttribute : FactAttribute
{
    public const string Reason = "Opt-in (ACF_LAB_DMVPN=1): the class takes 16-17 min on the loaded 2-core machine (fixture "
        + "332-446 s, the rollback test 6-7 min; docs/lab.md, The DMVPN), four to five times the 3-4 min the suite's 20-min CI "
        + "budget leaves it; it passed whole once (with builds alongside), not yet three times in a row";

    public DmvpnLabFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ACF_LAB_DMVPN") != "1") Skip = Reason;
    }
}
