using Acf.Web.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace Acf.Tests.Web;

/// <summary>The module page in a tab of the app (bUnit): what it does with work it starts on its own.</summary>
public sealed class ModulePageTests : TabsTest
{

    /// <summary>
    /// Choosing another item (a link to the same action with another query) reads the page again from the location
    /// event, which nobody can await. When that read fails, the page must say so; before, the failure went with the
    /// discarded task and the page went on showing the item it had shown, as if it were the one chosen.
    /// </summary>
    [Fact]
    public void ModulePage_ReadAfterALocationChangeFails_ShowsTheFailureNotTheOldForm()
    {
        var signedIn = Tabs.SignIn();
        var tab = Tabs.Open(signedIn);
        var navigation = tab.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/alpine-baselayout/hostname/edit");
        var page = tab.Render<ModulePage>(parameters => parameters
            .Add(p => p.Prefix, "alpine-baselayout").Add(p => p.Controller, "hostname").Add(p => p.Action, "edit"));
        page.WaitForElement("#cfe-form-title", TimeSpan.FromMinutes(2));

        signedIn.Failure = new InvalidOperationException("the session store could not be read");
        navigation.NavigateTo("/alpine-baselayout/hostname/edit?item=other");

        page.WaitForAssertion(() => Assert.Contains("the session store could not be read", page.Find("#module-error").TextContent),
            TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("#cfe-form-title"));
    }

    /// <summary>
    /// A followed log is read again every 2 s by the page's refresh loop, which nobody awaits: it shows what the file
    /// gained, and when a read of it fails the page says so (before, the loop ended with no word and the log froze).
    /// </summary>
    [Fact]
    public void ModulePage_FollowedLog_ShowsNewLinesAndThenTheRefreshFailure()
    {
        var signedIn = Tabs.SignIn();
        var tab = Tabs.Open(signedIn);
        tab.Services.GetRequiredService<NavigationManager>()
            .NavigateTo("/alpine-baselayout/logfiles/view?file=/var/log/messages&follow=true");
        var page = tab.Render<ModulePage>(parameters => parameters
            .Add(p => p.Prefix, "alpine-baselayout").Add(p => p.Controller, "logfiles").Add(p => p.Action, "view"));
        page.WaitForElement("#cfe-form-title", TimeSpan.FromMinutes(2));

        File.AppendAllText(Path.Combine(App.DemoRoot, "var", "log", "messages"), "refresh-test: a new line\n");
        page.WaitForAssertion(() => Assert.Contains("refresh-test: a new line", page.Markup), TimeSpan.FromSeconds(30));
        signedIn.Failure = new InvalidOperationException("the session store could not be read");

        page.WaitForAssertion(() => Assert.Contains("the session store could not be read", page.Find("#module-error").TextContent),
            TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// A row's button runs another action than the page's (Start on the services list runs rc/control): a user whose
    /// roles grant the list but not the button is told which action he lacks, not the page's own (which he has).
    /// </summary>
    [Fact]
    public void ModulePage_RowButtonTheRolesDoNotGrant_NamesTheButtonsAction()
    {
        App.AddUser("viewer", "viewer-pass-1", "USER");
        var tab = Tabs.Open(new SignedIn("viewer", App.Services.GetRequiredService<SessionStore>().Start("viewer")));
        tab.Services.GetRequiredService<NavigationManager>().NavigateTo("/alpine-baselayout/rc/status");
        var page = tab.Render<ModulePage>(parameters => parameters
            .Add(p => p.Prefix, "alpine-baselayout").Add(p => p.Controller, "rc").Add(p => p.Action, "status"));
        page.WaitForAssertion(() => Assert.Contains("-submit-Start-", page.Markup), TimeSpan.FromSeconds(40));

        page.FindAll("button").First(b => b.Id?.Contains("-submit-Start-", StringComparison.Ordinal) == true).Click();

        page.WaitForAssertion(() => Assert.Contains("your roles do not grant rc/control", page.Markup), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("do not grant rc/status", page.Markup);
    }
}
