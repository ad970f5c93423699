namespace Acf.Web.Auth;

/// <summary>
/// A signed-in user proves again who they are: the current password to change it or to switch the second factor
/// on, a code to switch it off. Each wrong answer counts in the login throttle for the user and the client address,
/// so a stolen session cannot guess the password or the code without limit.
/// </summary>
public sealed class Reauthentication(UserStore users, SecondFactorStore secondFactor, LoginThrottle throttle)
{
    public static readonly string TooManyAttempts = Translatable.Text("Too many wrong attempts. Try again later.");
    public static readonly string WrongPassword = Translatable.Text("The current password is wrong.");
    public static readonly string WrongCode = Translatable.Text("Wrong code: the second factor stays on.");

    /// <summary>Null when <paramref name="password"/> is the user's, else the message.</summary>
    public string? CheckPassword(AcfPrincipal user, string password)
    {
        var address = AddressOf(user);
        if (throttle.IsLocked(user.Name, address, out _)) return TooManyAttempts;
        if (users.Verify(user.Name, password) is not null) return null;
        throttle.RecordFailure(user.Name, address, userExists: true);
        return WrongPassword;
    }

    /// <summary>Null when <paramref name="code"/> is the user's current TOTP code or an unused recovery code, else the message.</summary>
    public string? CheckCode(AcfPrincipal user, string code)
    {
        var address = AddressOf(user);
        if (throttle.IsLocked(user.Name, address, out _)) return TooManyAttempts;
        if (secondFactor.Check(user.Name, code, user.Name) is CodeCheck.Accepted or CodeCheck.RecoveryCodeUsed) return null;
        throttle.RecordFailure(user.Name, address, userExists: true);
        return WrongCode;
    }

    private static string AddressOf(AcfPrincipal user) => user.Origin?.ClientAddress ?? "unknown";
}
