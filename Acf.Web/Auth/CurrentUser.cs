using Acf.Modules;
using Microsoft.AspNetCore.Components.Authorization;

namespace Acf.Web.Auth;

/// <summary>
/// The signed-in user of a circuit, with roles as /etc/acf/passwd gives them now: a user removed or demoted in the
/// file loses the rights at the next action, not at the next login.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, UserStore users)
{
    public async Task<AcfPrincipal?> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true ? users.Principal(state.User.Identity.Name) : null;
    }
}
