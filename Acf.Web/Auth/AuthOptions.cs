using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Acf.Web.Auth;

/// <summary>Sessions and lockout (<c>Acf:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Acf:Auth";

    /// <summary>A session ends after this long without a request (sliding).</summary>
    [Range(1, 24 * 60)]
    public int IdleTimeoutMinutes { get; set; } = 30;

    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int FailureWindowMinutes { get; set; } = 15;

    /// <summary>The longest wait after failed logins (the back-off doubles up to it).</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>The first wait, after <see cref="MaxFailures"/> failures in a row.</summary>
    [Range(1, 24 * 60 * 60)]
    public int FirstBackOffSeconds { get; set; } = 30;

    /// <summary>Who must have a second factor: <c>none</c>, <c>all</c>, or roles such as <c>admin</c> (see <see cref="SecondFactorPolicy"/>).</summary>
    [RegularExpression(SecondFactorPolicy.Pattern)]
    public string RequireSecondFactor { get; set; } = "none";
}

/// <summary>The first admin (<c>Acf:Bootstrap</c>): used only while no user exists.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Acf:Bootstrap";

    /// <summary>The password <c>root</c> gets when no user exists yet; empty means a one-time setup link is logged instead.</summary>
    public string? AdminPassword { get; set; }
}

/// <summary>Checks AuthOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateAuthOptions : IValidateOptions<AuthOptions>;
