using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Acf.Web.Security;

/// <summary>
/// Transport (<c>Acf:Https</c>). <c>auto</c> means HTTPS on Alpine and plain HTTP on the demo host; with HTTPS on,
/// every address Acf listens on speaks HTTPS (an <c>http://</c> address in <c>--urls</c> is served as <c>https://</c>),
/// with the configured certificate or else a self-signed one made once in the data folder.
/// </summary>
public sealed class HttpsOptions : IValidatableObject
{
    public const string Section = "Acf:Https";

    [RegularExpression("^(auto|on|off)$")]
    public string Mode { get; set; } = "auto";

    /// <summary>Where Acf listens when no address is given (<c>--urls</c>, <c>ASPNETCORE_URLS</c>): every address, this port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary>A PEM certificate (with <see cref="KeyPath"/>, or the key in the same file) or a PKCS#12 file; empty: self-signed.</summary>
    public string CertificatePath { get; set; } = "";

    public string KeyPath { get; set; } = "";

    /// <summary>The PKCS#12 file's password (or the PEM key's, when it is encrypted).</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>Strict-Transport-Security max-age on HTTPS responses; 0 sends none.</summary>
    [Range(0, 3650)]
    public int HstsMaxAgeDays { get; set; } = 365;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CertificatePath.Length > 0 && !File.Exists(CertificatePath))
            yield return new ValidationResult($"Acf:Https:CertificatePath: {CertificatePath} does not exist.");
        if (KeyPath.Length > 0 && !File.Exists(KeyPath))
            yield return new ValidationResult($"Acf:Https:KeyPath: {KeyPath} does not exist.");
    }
}

/// <summary>Checks HttpsOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateHttpsOptions : IValidateOptions<HttpsOptions>;
