using Acf.Web.Components.Renderer;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Acf.Tests.Components;

public sealed class CfeViewTests : IAsyncDisposable
{
    /// <summary>This test's context (xunit makes a new instance of the class for each test and disposes it
    /// asynchronously, as MudBlazor's popover service asks).</summary>
    private readonly BunitContext _ctx = RendererContext.New();

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    private static CfeNode Form(params CfeNode[] children) => new()
    {
        Type = CfeTypes.Form,
        Label = "Settings",
        Options = [new CfeOption("Save", "Save")],
        Children = children,
    };

    /// <summary>What the views this test rendered submitted (xunit makes a new instance of the class for each test).</summary>
    private readonly List<CfeSubmission> _submissions = [];

    /// <summary>Renders <paramref name="entity"/> in this test's context; what it submits is collected in
    /// <see cref="_submissions"/>.</summary>
    private IRenderedComponent<CfeView> Render(CfeNode entity, bool busy = false) =>
        _ctx.Render<CfeView>(p => p
            .Add(x => x.Entity, entity)
            .Add(x => x.Busy, busy)
            .Add(x => x.OnSubmit, (CfeSubmission s) => _submissions.Add(s)));

    private CfeSubmission Submit(IRenderedComponent<CfeView> cut, string button = "Save")
    {
        cut.Find($"#cfe-submit-{button}").Click();
        return Assert.Single(_submissions);
    }

    private static string[] Values(CfeSubmission submission, string name) =>
        [.. Assert.Contains(name, submission.Values)];

    /// <summary>Issue 20: while a slow save runs, the step the module names shows beside the pressed button, and
    /// goes when the save is over.</summary>
    [Fact]
    public async Task Submit_WhileTheSaveRuns_ShowsTheStepBesideTheButton()
    {
        var running = new TaskCompletionSource();
        var cut = _ctx.Render<CfeView>(p => p
            .Add(x => x.Entity, Form())
            .Add(x => x.Step, "Checking squid.conf")
            .Add(x => x.OnSubmit, (CfeSubmission _) => running.Task));

        cut.Find("#cfe-submit-Save").Click();
        var during = cut.Find("#cfe-step").TextContent;
        running.SetResult();
        await cut.InvokeAsync(() => { });

        Assert.Equal("Checking squid.conf", during);
        Assert.Empty(cut.FindAll("#cfe-step"));
    }

    /// <summary>Issue #20: a button the module marks with a question asks it first; Cancel submits nothing.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_ButtonWithQuestion_SubmitsOnlyWhenConfirmed(bool confirm)
    {
        var dialogs = _ctx.Render<MudDialogProvider>();
        var form = Form() with { Options = [new CfeOption("Stop", "Stop", Confirm: "Stop sshd? You may lose your connection.")] };
        var cut = Render(form);

        var clicking = cut.Find("#cfe-submit-Stop").ClickAsync(new()); // completes once the question is answered
        dialogs.WaitForElement(".mud-dialog");
        Assert.Contains("Stop sshd? You may lose your connection.", dialogs.Find(".mud-dialog").TextContent);
        Assert.Empty(_submissions);
        var answer = dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == (confirm ? "Stop" : "Cancel"));
        await answer.ClickAsync(new());
        await clicking;

        cut.WaitForAssertion(() => Assert.Equal(confirm ? 1 : 0, _submissions.Count));
        if (confirm) Assert.Equal("Stop", _submissions[0].Button);
    }

    [Fact]
    public void Render_TextField_ShowsLabelValueAndDescr()
    {
        var cut = Render(Form(new CfeNode { Type = "text", Name = "hostname", Label = "Host name", Text = "box", Descr = "Short name" }));

        var input = cut.Find("input#cfe-hostname");
        Assert.Equal("text", input.GetAttribute("type"));
        Assert.Equal("box", input.GetAttribute("value"));
        Assert.Equal("Host name", cut.Find("label[for='cfe-hostname']").TextContent);
        Assert.Contains("Short name", input.Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void Render_FieldWithErrtxt_ShowsErrorNextToFieldAndKeepsDescr()
    {
        var form = Form(
            new CfeNode { Type = "text", Name = "hostname", Label = "Host name", Text = "-bad", Descr = "Short name", Errtxt = "Invalid host name", Seq = 1 },
            new CfeNode { Type = "text", Name = "domain", Label = "Domain", Text = "lan", Seq = 2 });

        var cut = Render(form);

        var control = cut.Find("#cfe-hostname").Closest(".mud-input-control")!;
        Assert.Contains("mud-input-error", control.ClassList);
        Assert.Contains("Invalid host name", control.TextContent);
        Assert.Equal("true", cut.Find("#cfe-hostname").GetAttribute("aria-invalid"));
        Assert.Contains("Short name", cut.Find(".cfe-descr").TextContent);
        Assert.DoesNotContain("Invalid host name", cut.Find("#cfe-domain").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void Render_FieldWithDefaultAndNoValue_ShowsDefaultAsPlaceholder()
    {
        var cut = Render(Form(new CfeNode { Type = "text", Name = "port", Label = "Port", Default = "3128" }));

        Assert.Equal("Default: 3128", cut.Find("#cfe-port").GetAttribute("placeholder"));
    }

    [Fact]
    public void Render_Longtext_ShowsMonospaceTextareaWithEightLines()
    {
        var cut = Render(Form(new CfeNode { Type = "longtext", Name = "config", Label = "squid.conf", Text = "http_port 3128\nacl lan src 10.0.0.0/8" }));

        var textarea = cut.Find("textarea#cfe-config");
        Assert.Equal("8", textarea.GetAttribute("rows"));
        Assert.Equal("http_port 3128\nacl lan src 10.0.0.0/8", textarea.GetAttribute("value") ?? textarea.TextContent);
        Assert.Contains("monospace", textarea.Closest(".mud-input")!.GetAttribute("style"));
    }

    [Fact]
    public void Render_Password_NeverPutsValueIntoDomAndSubmitsOnlyWhenTyped()
    {
        var cut = Render(Form(new CfeNode { Type = "password", Name = "secret", Label = "Password", Text = "hunter2" }));

        var type = cut.Find("#cfe-secret").GetAttribute("type");
        var shown = cut.Find("#cfe-secret").GetAttribute("value");
        var markup = cut.Markup;
        var untyped = Submit(cut);
        _submissions.Clear();
        cut.Find("#cfe-secret").Change("n3w-pass");
        var typed = Submit(cut);

        Assert.Equal("password", type);
        Assert.True(string.IsNullOrEmpty(shown));
        Assert.DoesNotContain("hunter2", markup);
        Assert.DoesNotContain("hunter2", cut.Markup);
        Assert.False(untyped.Values.ContainsKey("secret"));
        Assert.Equal(["n3w-pass"], Values(typed, "secret"));
    }

    [Fact]
    public void Render_Hidden_RendersInvisibleInputAndSubmitsItsValue()
    {
        var cut = Render(Form(new CfeNode { Type = "hidden", Name = "tag", Label = "Tag", Text = "abc123" }));

        var type = cut.Find("#cfe-tag").GetAttribute("type");
        var submission = Submit(cut);

        Assert.Equal("hidden", type);
        Assert.DoesNotContain("Tag", cut.Find(".cfe-fields").TextContent);
        Assert.Equal(["abc123"], Values(submission, "tag"));
    }

    [Fact]
    public void Render_SelectWithOptionGroups_ShowsGroupHeadersAndSubmitsChosenValue()
    {
        var popovers = _ctx.Render<MudPopoverProvider>();
        var form = Form(new CfeNode
        {
            Type = "select", Name = "iface", Label = "Interface", Text = "eth0",
            Options = [new("eth0", "Ethernet 0", "Wired"), new("eth1", "Ethernet 1", "Wired"), new("wlan0", "Wi-Fi", "Wireless")],
        });
        var cut = Render(form);

        var shown = cut.Find("#cfe-iface input").GetAttribute("value");
        cut.Find("#cfe-iface .mud-input-control").MouseDown();
        // The popover's list renders on a later turn of the renderer (late on a busy machine): wait for it, not for time.
        popovers.WaitForAssertion(() => Assert.Equal(3, popovers.FindAll(".mud-list-item").Count));
        var headers = popovers.FindAll(".cfe-option-group").Select(h => h.TextContent.Trim()).ToList();
        var items = popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToList();
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("Wi-Fi")).Click();
        var submission = Submit(cut);

        Assert.Equal("Ethernet 0", shown);
        Assert.Equal(["Wired", "Wireless"], headers);
        Assert.Equal(["Ethernet 0", "Ethernet 1", "Wi-Fi"], items);
        Assert.DoesNotContain("Wireless", cut.Markup);
        Assert.Equal(["wlan0"], Values(submission, "iface"));
    }

    [Fact]
    public void Render_Multi_ShowsGroupedCheckboxesAndSubmitsSelectedValues()
    {
        var form = Form(new CfeNode
        {
            Type = "multi", Name = "services", Label = "Services", Items = ["sshd"],
            Options = [new("sshd", "SSH", "Remote"), new("telnetd", "Telnet", "Remote"), new("ntpd", "NTP", "Time")],
        });
        var cut = Render(form);

        var headers = cut.FindAll("#cfe-services .cfe-option-group").Select(h => h.TextContent).ToList();
        var initiallyChecked = cut.Find("#cfe-services input[data-value='sshd']").HasAttribute("checked");
        cut.Find("#cfe-services input[data-value='ntpd']").Change(true);
        var both = Submit(cut);
        _submissions.Clear();
        cut.Find("#cfe-services input[data-value='sshd']").Change(false);
        cut.Find("#cfe-services input[data-value='ntpd']").Change(false);
        var none = Submit(cut);

        Assert.Equal(["Remote", "Time"], headers);
        Assert.True(initiallyChecked);
        Assert.Equal(["sshd", "ntpd"], Values(both, "services"));
        Assert.False(none.Values.ContainsKey("services"));
    }

    [Fact]
    public void Render_Boolean_SubmitsTrueWhenCheckedAndNothingWhenUnchecked()
    {
        var cut = Render(Form(new CfeNode { Type = "boolean", Name = "enabled", Label = "Enabled", Checked = true, Descr = "Start at boot" }));

        var label = cut.Find(".cfe-boolean").TextContent;
        var on = Submit(cut);
        _submissions.Clear();
        cut.Find("input#cfe-enabled").Change(false);
        var off = Submit(cut);

        Assert.Contains("Enabled", label);
        Assert.Contains("Start at boot", label);
        Assert.Equal(["true"], Values(on, "enabled"));
        Assert.False(off.Values.ContainsKey("enabled"));
    }

    [Fact]
    public void Render_List_ShowsOneItemPerLineAndSubmitsNonEmptyLines()
    {
        var cut = Render(Form(new CfeNode { Type = "list", Name = "dns", Label = "DNS servers", Items = ["1.1.1.1", "9.9.9.9"] }));

        var textarea = cut.Find("textarea#cfe-dns");
        var shown = textarea.GetAttribute("value") ?? textarea.TextContent;
        cut.Find("#cfe-dns").Change("8.8.8.8\r\n\r\n8.8.4.4\r\n");
        var submission = Submit(cut);

        Assert.Equal("1.1.1.1\n9.9.9.9", shown);
        Assert.Equal(["8.8.8.8", "8.8.4.4"], Values(submission, "dns"));
    }

    [Fact]
    public void Render_ListEmptied_SubmitsAnEmptyListSoTheLastItemCanBeRemoved()
    {
        var cut = Render(Form(new CfeNode { Type = "list", Name = "search", Label = "Search domains", Items = ["example.org"] }));

        cut.Find("#cfe-search").Change("");
        var submission = Submit(cut);

        Assert.Empty(Values(submission, "search"));
    }

    [Fact]
    public void Render_ValueWithRawBytes_ShownEscapedReadOnlyAndSubmittedUnchanged()
    {
        var realm = ByteText.Decode(Encoding.Latin1.GetBytes("f\u00fcr B\u00fcro"));
        var form = Form(new CfeNode { Type = "text", Name = "realm", Label = "Realm", Text = realm },
            new CfeNode { Type = "list", Name = "ssids", Label = "SSIDs", Items = ["plain", realm] });
        var cut = Render(form);

        var input = cut.Find("input#cfe-realm");
        (string? value, bool readOnly) shown = (input.GetAttribute("value"), input.HasAttribute("readonly"));
        var list = cut.Find("textarea#cfe-ssids");
        var listShown = list.GetAttribute("value") ?? list.TextContent;
        var submission = Submit(cut);

        Assert.Equal((@"f\xFCr B\xFCro", true), shown);
        Assert.Equal("plain\n" + @"f\xFCr B\xFCro", listShown);
        Assert.True(list.HasAttribute("readonly"));
        Assert.Equal([realm], Values(submission, "realm"));
        Assert.Equal(["plain", realm], Values(submission, "ssids"));
    }

    [Fact]
    public void Render_Integer_ShowsBoundsAndSubmitsTypedNumber()
    {
        var cut = Render(Form(new CfeNode { Type = "integer", Name = "mtu", Label = "MTU", Text = "1500", Min = 576, Max = 9000 }));

        var input = cut.Find("input#cfe-mtu");
        (string? value, string? min, string? max) shown = (input.GetAttribute("value"), input.GetAttribute("min"), input.GetAttribute("max"));
        cut.Find("#cfe-mtu").Change("1400");
        var submission = Submit(cut);

        Assert.Equal(("1500", "576", "9000"), shown);
        Assert.Equal(["1400"], Values(submission, "mtu"));
    }

    [Fact]
    public void Render_Group_ShowsTitledSectionWithDottedFieldNames()
    {
        var form = Form(new CfeNode
        {
            Type = "group", Name = "eth0", Label = "Interface eth0", Descr = "The wired port",
            Children = [new CfeNode { Type = "text", Name = "address", Label = "Address", Text = "10.0.0.1" }],
        });
        var cut = Render(form);

        cut.Find("#cfe-eth0-address").Change("10.0.0.2");
        var submission = Submit(cut);

        var group = cut.Find("#cfe-eth0");
        Assert.Contains("Interface eth0", group.QuerySelector(".cfe-group-title")!.TextContent);
        Assert.Contains("The wired port", group.TextContent);
        Assert.NotNull(group.QuerySelector("#cfe-eth0-address"));
        Assert.Equal(["10.0.0.2"], Values(submission, "eth0.address"));
    }

    [Fact]
    public void Render_FormWithTwoButtons_FirstIsPrimaryAndSecondRaisesItsValue()
    {
        var form = Form(new CfeNode { Type = "text", Name = "name", Label = "Name", Text = "x" }) with
        {
            Options = [new("Save", "Save"), new("Apply", "Save and apply")],
        };
        var cut = Render(form);

        var submission = Submit(cut, "Apply");

        var save = cut.Find("#cfe-submit-Save");
        var apply = cut.Find("#cfe-submit-Apply");
        Assert.Contains("mud-button-filled-primary", save.ClassList);
        Assert.DoesNotContain("mud-button-filled-primary", apply.ClassList);
        Assert.Equal("Save and apply", apply.TextContent.Trim());
        Assert.Equal("Apply", submission.Button);
    }

    [Fact]
    public void Render_Busy_DisablesSubmitButtons()
    {

        var cut = Render(Form(), busy: true);

        Assert.True(cut.Find("#cfe-submit-Save").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("/base/hostname/edit", "/base/hostname/edit")]
    [InlineData("https://wiki.alpinelinux.org/", "https://wiki.alpinelinux.org/")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("JavaScript:alert(1)", null)]
    [InlineData("//evil.example/", null)]
    [InlineData("/\\evil.example/", null)]
    [InlineData("/\t/evil.example/", null)]
    [InlineData("data:text/html,<b>x</b>", null)]
    public void Render_Link_UsesHrefOnlyForAppPathsAndHttp(string target, string? expectedHref)
    {
        var entity = new CfeNode { Type = "link", Name = "more", Label = "Read more", Text = target };

        var cut = Render(entity);

        var anchors = cut.FindAll("#cfe-more a");
        Assert.Contains("Read more", cut.Find("#cfe-more").TextContent);
        if (expectedHref is null)
        {
            Assert.Empty(anchors);
        }
        else
        {
            var anchor = Assert.Single(anchors);
            Assert.Equal(expectedHref, anchor.GetAttribute("href"));
            if (expectedHref.StartsWith("http", StringComparison.Ordinal))
            {
                Assert.Equal("_blank", anchor.GetAttribute("target"));
                Assert.Contains("noopener", anchor.GetAttribute("rel"));
            }
        }
    }

    [Fact]
    public void Render_Structure_ShowsColumnKeysAsHeadersAndFiltersRows()
    {
        var entity = new CfeNode
        {
            Type = "structure", Name = "packages", Label = "Installed packages", Columns = ["name", "version"],
            Rows =
            [
                new Dictionary<string, string> { ["name"] = "busybox", ["version"] = "1.37.0-r0" },
                new Dictionary<string, string> { ["name"] = "squid", ["version"] = "6.12-r0" },
            ],
        };
        var cut = Render(entity);

        var headers = cut.FindAll("#cfe-packages th").Select(h => h.TextContent.Trim()).ToList();
        var rowsBefore = cut.FindAll("#cfe-packages tbody tr").Count;
        cut.Find("#cfe-packages-search").Input("squid");
        var rowsAfter = cut.FindAll("#cfe-packages tbody tr");

        Assert.Equal(["name", "version"], headers);
        Assert.Equal(2, rowsBefore);
        var row = Assert.Single(rowsAfter);
        Assert.Equal(["squid", "6.12-r0"], row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Contains("Installed packages", cut.Markup);
    }

    [Fact]
    public void Render_Raw_ShowsMonospaceTextAndDownloadLinkThatDecodesToText()
    {
        const string text = "line 1 <b>é</b>\nline 2";
        var entity = new CfeNode { Type = "raw", Name = "log", Label = "Messages", Text = text };

        var cut = Render(entity);

        Assert.Equal(text, cut.Find("#cfe-log pre").TextContent);
        var link = cut.Find("#cfe-log a[download]");
        Assert.Equal("Messages.txt", link.GetAttribute("download"));
        const string prefix = "data:text/plain;charset=utf-8;base64,";
        var href = link.GetAttribute("href")!;
        Assert.StartsWith(prefix, href);
        Assert.Equal(text, Encoding.UTF8.GetString(Convert.FromBase64String(href[prefix.Length..])));
    }

    [Fact]
    public void Render_File_SubmitsTheChosenFilesBytesAsBase64()
    {
        var cut = Render(Form(new CfeNode { Type = "file", Name = "upload", Label = "Certificate bundle" }));
        byte[] binary = [0x30, 0x82, 0x00, 0xff, 0x0a, 0x0d, 0xc3, 0x28, 0x00];

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(binary, "spoke.pfx"));
        var submission = Submit(cut);

        Assert.Contains("spoke.pfx", cut.Find("#cfe-upload").TextContent);
        Assert.Equal([Convert.ToBase64String(binary)], Values(submission, "upload"));
    }

    [Fact]
    public void Render_FileLargerThanOneMebibyte_ShowsErrorAndSubmitsNothing()
    {
        var cut = Render(Form(new CfeNode { Type = "file", Name = "upload", Label = "Configuration file", Text = "old" }));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(new string('x', 1024 * 1024 + 1), "big.txt"));
        var submission = Submit(cut);

        Assert.Contains("big.txt", cut.Find("#cfe-upload .cfe-error").TextContent);
        Assert.False(submission.Values.ContainsKey("upload"));
    }

    [Fact]
    public void Submit_ReadonlyFields_AreShownButNotSubmitted()
    {
        var form = Form(
            new CfeNode { Type = "text", Name = "release", Label = "Release", Text = "3.22", Readonly = true, Seq = 1 },
            new CfeNode
            {
                Type = "group", Name = "status", Label = "Status", Readonly = true, Seq = 2,
                Children = [new CfeNode { Type = "text", Name = "uptime", Text = "5 days" }],
            },
            new CfeNode { Type = "text", Name = "hostname", Text = "box", Seq = 3 });
        var cut = Render(form);

        var submission = Submit(cut);

        Assert.True(cut.Find("#cfe-release").HasAttribute("readonly"));
        Assert.True(cut.Find("#cfe-status-uptime").HasAttribute("readonly"));
        Assert.Equal(["hostname"], submission.Values.Keys);
    }

    [Fact]
    public void Submit_EditedForm_CollectsValuesAsSpecified()
    {
        var form = new CfeNode
        {
            Type = CfeTypes.Form, Label = "Edit", Options = [new("Save", "Save"), new("Apply", "Apply")],
            Children =
            [
                new CfeNode { Type = "text", Name = "hostname", Text = "old", Seq = 1 },
                new CfeNode { Type = "boolean", Name = "ssh", Checked = false, Seq = 2 },
                new CfeNode { Type = "boolean", Name = "telnet", Checked = false, Seq = 3 },
                new CfeNode { Type = "multi", Name = "ntp", Items = ["a", "b"], Options = [new("a", "A"), new("b", "B")], Seq = 4 },
                new CfeNode { Type = "multi", Name = "none", Options = [new("x", "X")], Seq = 5 },
                new CfeNode { Type = "list", Name = "dns", Items = ["1.1.1.1", "8.8.8.8"], Seq = 6 },
                new CfeNode { Type = "list", Name = "empty", Seq = 7 },
                new CfeNode { Type = "password", Name = "pw", Text = "secret", Seq = 8 },
                new CfeNode { Type = "integer", Name = "mtu", Text = "1500", Seq = 9 },
                new CfeNode { Type = "select", Name = "mode", Text = "dhcp", Options = [new("dhcp", "DHCP"), new("static", "Static")], Seq = 10 },
                new CfeNode { Type = "hidden", Name = "tag", Text = "t1", Seq = 11 },
                new CfeNode { Type = "text", Name = "fixed", Text = "ro", Readonly = true, Seq = 12 },
                new CfeNode
                {
                    Type = "group", Name = "lan", Seq = 13,
                    Children = [new CfeNode { Type = "text", Name = "address", Text = "10.0.0.1" }],
                },
                new CfeNode { Type = "raw", Name = "log", Text = "shown only", Seq = 14 },
            ],
        };
        var cut = Render(form);

        cut.Find("#cfe-hostname").Change("router");
        cut.Find("#cfe-ssh").Change(true);
        var submission = Submit(cut, "Apply");

        Assert.Equal("Apply", submission.Button);
        var expected = new Dictionary<string, string[]>
        {
            ["hostname"] = ["router"],
            ["ssh"] = ["true"],
            ["ntp"] = ["a", "b"],
            ["dns"] = ["1.1.1.1", "8.8.8.8"],
            ["empty"] = [], // an empty list is submitted as no items (issue 14: a list can be emptied)
            ["mtu"] = ["1500"],
            ["mode"] = ["dhcp"],
            ["tag"] = ["t1"],
            ["lan.address"] = ["10.0.0.1"],
        };
        Assert.Equal(
            expected.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, string.Join("|", kv.Value))),
            submission.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, string.Join("|", kv.Value))));
    }

    [Fact]
    public void Render_SameEntityAgain_KeepsTypingAndNewEntityResetsFields()
    {
        var form = Form(new CfeNode { Type = "text", Name = "hostname", Text = "old" });
        var cut = Render(form);

        cut.Find("#cfe-hostname").Change("typed");
        cut.Render(p => p.Add(x => x.Busy, true));
        var kept = cut.Find("#cfe-hostname").GetAttribute("value");
        cut.Render(p => p.Add(x => x.Entity, form with { }).Add(x => x.Busy, false));
        var reset = cut.Find("#cfe-hostname").GetAttribute("value");

        Assert.Equal("typed", kept);
        Assert.Equal("old", reset);
    }

    [Fact]
    public void Render_SucceededForm_ShowsDescrAsSuccessMessage()
    {
        var form = Form(new CfeNode { Type = "text", Name = "hostname", Text = "router" }) with
        {
            Submitted = true, Descr = "Hostname set",
        };

        var cut = Render(form);

        var alert = cut.Find("#cfe-form-result");
        Assert.Contains("mud-alert-text-success", alert.ClassList);
        Assert.Contains("Hostname set", alert.TextContent);
        Assert.Empty(cut.FindAll("#cfe-form-error"));
    }

    [Fact]
    public void Render_FormWithErrtxt_ShowsErrorAlertAndDescrAsHelp()
    {
        var form = Form(new CfeNode { Type = "text", Name = "hostname", Text = "router" }) with
        {
            Submitted = true, Descr = "Sets the host name", Errtxt = "Failed to save",
        };

        var cut = Render(form);

        var alert = cut.Find("#cfe-form-error");
        Assert.Contains("mud-alert-text-error", alert.ClassList);
        Assert.Contains("Failed to save", alert.TextContent);
        Assert.Contains("Sets the host name", cut.Find("#cfe-form-descr").TextContent);
        Assert.Empty(cut.FindAll("#cfe-form-result"));
        Assert.Equal("Settings", cut.Find("#cfe-form-title").TextContent);
    }

    [Fact]
    public void Render_LabelWithScriptTag_IsEscapedText()
    {
        const string evil = "<script>alert('x')</script>";
        var form = Form(
            new CfeNode { Type = "text", Name = "a", Label = evil, Text = evil, Descr = evil, Errtxt = evil },
            new CfeNode { Type = "group", Name = "g", Label = evil }) with { Label = evil, Errtxt = evil };

        var cut = Render(form);

        Assert.Empty(cut.FindAll("script"));
        Assert.Contains("&lt;script&gt;", cut.Markup);
        Assert.Equal(evil, cut.Find("#cfe-form-title").TextContent);
        Assert.Equal(evil, cut.Find("label[for='cfe-a']").TextContent);
    }

    [Fact]
    public void Render_NonFormText_ShowsLabelAndValueWithoutInputs()
    {
        var entity = new CfeNode { Type = "text", Label = "Hostname", Text = "router", Descr = "From /etc/hostname" };

        var cut = Render(entity);

        Assert.Empty(cut.FindAll("input"));
        Assert.Empty(cut.FindAll("button"));
        Assert.Equal("Hostname", cut.Find(".cfe-value-label").TextContent);
        Assert.Equal("router", cut.Find(".cfe-value-text").TextContent);
        Assert.Contains("From /etc/hostname", cut.Markup);
    }

    [Fact]
    public void Render_NonFormGroup_ShowsTitledSectionOfValues()
    {
        var entity = new CfeNode
        {
            Type = "group", Label = "System",
            Children =
            [
                new CfeNode { Type = "text", Name = "release", Label = "Release", Text = "3.22.1", Seq = 1 },
                new CfeNode { Type = "boolean", Name = "ntp", Label = "NTP", Checked = true, Seq = 2 },
                new CfeNode { Type = "select", Name = "mode", Label = "Mode", Text = "s", Options = [new("s", "Static")], Seq = 3 },
            ],
        };

        var cut = Render(entity);

        Assert.Empty(cut.FindAll("input"));
        Assert.Equal("System", cut.Find(".cfe-group-title").TextContent);
        Assert.Equal("3.22.1", cut.Find("#cfe-release .cfe-value-text").TextContent);
        Assert.Equal("Yes", cut.Find("#cfe-ntp .cfe-value-text").TextContent);
        Assert.Equal("Static", cut.Find("#cfe-mode .cfe-value-text").TextContent);
    }

    [Fact]
    public void Render_UnknownType_RendersAsTextField()
    {
        var cut = Render(Form(new CfeNode { Type = "ipv4", Name = "address", Label = "Address", Text = "10.0.0.1" }));

        var submission = Submit(cut);

        Assert.Equal("10.0.0.1", cut.Find("input#cfe-address").GetAttribute("value"));
        Assert.Equal(["10.0.0.1"], Values(submission, "address"));
    }
}
