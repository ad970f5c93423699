using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace Acf.Tests.Web;

/// <summary>
/// Tabs of the app for bUnit, each as a circuit: its own renderer and scope of the app's services, signed in as root.
/// A broker call runs on the renderer's thread that awaits it, so pages held inside the broker each need their own.
/// Disposing closes every tab still open (MudBlazor's services are only async-disposable).
/// </summary>
internal sealed class CircuitTabs(AcfAppFactory app) : IAsyncDisposable
{
    private readonly List<BunitContext> _tabs = [];
    private readonly List<AsyncServiceScope> _scopes = [];

    /// <summary>A new session of root, as a sign-in gives it to a circuit.</summary>
    public SignedIn SignIn() =>
        new(UserStore.FirstAdmin, app.Services.GetRequiredService<SessionStore>().Start(UserStore.FirstAdmin));

    /// <summary>A tab signed in with <paramref name="signedIn"/> (a new session of root when null).</summary>
    public BunitContext Open(SignedIn? signedIn = null)
    {
        signedIn ??= SignIn();
        var scope = app.Services.CreateAsyncScope();
        var ctx = new BunitContext();
        _tabs.Add(ctx);
        _scopes.Add(scope);
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton<AuthenticationStateProvider>(signedIn);
        ctx.Services.AddSingleton(ActivatorUtilities.CreateInstance<CurrentUser>(scope.ServiceProvider, (AuthenticationStateProvider)signedIn));
        ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        return ctx;
    }

    /// <summary>The tab closes (its circuit disposes its pages) when the returned task ends.</summary>
    public Task CloseAsync(BunitContext tab)
    {
        _tabs.Remove(tab);
        return tab.DisposeAsync().AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tab in _tabs) await tab.DisposeAsync();
        foreach (var scope in _scopes) await scope.DisposeAsync();
    }
}

/// <summary>A circuit's signed-in user and session; <see cref="Failure"/>, once set, is what reading it throws.</summary>
internal sealed class SignedIn(string user, string session) : AuthenticationStateProvider
{
    public Exception? Failure { get; set; }

    public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
        Failure is { } failure ? Task.FromException<AuthenticationState>(failure)
            : Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user), new Claim(SessionStore.ClaimType, session)], "test"))));
}

/// <summary>
/// A test class whose tests open tabs (<see cref="Tabs"/>) of an app of their own (<see cref="App"/>): both go when the
/// test ends. The tabs are made at first use, so a constructor can still add test services to the app.
/// </summary>
public abstract class TabsTest : IAsyncDisposable
{
    private CircuitTabs? _tabs;

    protected AcfAppFactory App { get; } = new();

    internal CircuitTabs Tabs => _tabs ??= new CircuitTabs(App);

    public virtual async ValueTask DisposeAsync()
    {
        if (_tabs is not null) await _tabs.DisposeAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
