namespace Acf.Web.Auth;

/// <summary>
/// No default password: while no user exists, the first admin <c>root</c> (role ADMIN, as ACF's setup-acf makes it)
/// gets the configured <c>Acf:Bootstrap:AdminPassword</c>, or else a one-time setup link is printed to the log.
/// </summary>
public sealed class AdminBootstrap(UserStore users, IOptions<BootstrapOptions> options, ILogger<AdminBootstrap> logger)
    : IHostedService
{
    private readonly Lock _gate = new();
    private string? _setupToken;

    /// <summary>True while the setup link is valid: no user exists and no password was configured.</summary>
    public bool SetupPending
    {
        get { lock (_gate) return _setupToken is not null && !users.HasUsers; }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (users.HasUsers) return Task.CompletedTask;
        var password = options.Value.AdminPassword;
        if (!string.IsNullOrEmpty(password))
        {
            users.CreateFirstAdmin(password, "bootstrap");
            logger.LogInformation("Created the first admin '{User}' from Acf:Bootstrap:AdminPassword", UserStore.FirstAdmin);
            return Task.CompletedTask;
        }
        lock (_gate) _setupToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        logger.LogWarning("No user exists yet. To set the password of '{User}', open /setup?token={Token} on this server (valid until used)",
            UserStore.FirstAdmin, _setupToken);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsValidToken(string? token)
    {
        lock (_gate)
            return token is not null && _setupToken is not null
                && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token),
                    System.Text.Encoding.UTF8.GetBytes(_setupToken));
    }

    /// <summary>Uses the token once: creates root with the password; false when the token is wrong or a user exists.</summary>
    public bool CompleteSetup(string? token, string password)
    {
        lock (_gate)
        {
            if (!IsValidToken(token) || !users.CreateFirstAdmin(password, UserStore.FirstAdmin)) return false;
            _setupToken = null;
            logger.LogInformation("The first admin '{User}' was created through the setup link", UserStore.FirstAdmin);
            return true;
        }
    }
}
