namespace Acf.Tests.Crash;

/// <summary>
/// A test that needs root (it mounts a tmpfs): skipped, with the reason in the test output, when the tests do not run
/// as root. CI and the team's machines run as root, so there it always runs; a skip is never a pass in disguise.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (UnixFile.EffectiveUser() != 0)
            Skip = "needs root to mount a small tmpfs (a real full disk); run the suite as root, as CI does";
    }
}
