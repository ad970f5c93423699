using static Acf.Tests.Modules.FormPost;

namespace Acf.Tests.Modules;

/// <summary>
/// The squid settings, ACL, access-rule and authentication forms through the runner, over the demo tree with a stock
/// squid.conf. The validator is simulated unless a test is in the RealTools category, where squid -k parse really
/// runs (as the demo host runs it) and the saved file is parsed by squid once more.
/// </summary>
public class SquidFormsTests
{
    private const string Conf = "/etc/squid/squid.conf";
    private const string Passwd = "/etc/squid/passwd";

    private static readonly ModuleFixtureFiles Files = new("squid");

    private static ModuleTestHost Host(string? fixture = "alpine-squid.conf", bool realSquid = false)
    {
        var host = ModuleTestHost.Demo(realSquid ? new SystemOptions { Mode = "demo", DemoReadOnlyCommands = [["squid", "-k", "parse", "-f"]] } : null);
        if (fixture is not null) File.Copy(Files.PathOf(fixture), host.RootPath(Conf), overwrite: true);
        // Debian's squid.conf includes /etc/squid/conf.d/*.conf, and its package ships one there: the confined
        // validator sees the demo root only, so the root has it as a Debian box would.
        if (fixture == "debian-squid.conf") host.WriteRootFile("/etc/squid/conf.d/debian.conf", "logfile_rotate 0\n");
        File.Delete(host.RootPath(Passwd));
        return host;
    }

    private static Task<CfeNode> RunAsync(ModuleTestHost host, string controller, string action, ModuleInput? input = null) =>
        host.RunOkAsync(ModuleTestHost.Editor, "squid", controller, action, input);


    private static (int Status, string Output) Run(string program, IEnumerable<string> args, string? stdin = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>The real squid's verdict on a file, argv-style: exit 0, or 1 with "FATAL: Bungled ...".</summary>
    private static (int Status, string Output) SquidParse(string hostPath) => Run("/usr/sbin/squid", ["-k", "parse", "-f", hostPath]);

    [Fact]
    public async Task ConfigEdit_Read_ShowsTheFilesValues()
    {
        using var host = Host("debian-squid.conf");

        var form = await RunAsync(host, "config", "edit");

        Assert.False(form.Submitted);
        Assert.Equal(["3128"], form.Find("http_port")!.Items);
        Assert.Equal("", form.Find("visible_hostname")!.Text);
        Assert.Equal("", form.Find("cache_dir.type")!.Text); // only the commented example
        Assert.Matches("^[0-9a-f]{32}$", form.Find("tag")!.Text);
        Assert.Equal(["Save"], form.Options.Select(o => o.Value));
    }

    [Theory]
    [InlineData("debian-squid.conf")]
    [InlineData("alpine-squid.conf")]
    public async Task ConfigEdit_UnchangedSave_WritesSameBytes(string fixture)
    {
        using var host = Host(fixture);
        var before = host.Keep(Conf);
        var form = await RunAsync(host, "config", "edit");

        var result = await RunAsync(host, "config", "edit", Post(form, "Save"));

        before.AssertNothingChanged(result);
    }

    [Fact]
    public async Task ConfigEdit_NewValues_ChangeOnlyTheirLines()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);
        var form = await RunAsync(host, "config", "edit");

        var result = await RunAsync(host, "config", "edit", Post(form, "Save",
            ("http_port", "3128\n192.168.1.1:3129 intercept"), ("visible_hostname", "proxy.example.com"),
            ("cache_mem", "256MB"), ("maximum_object_size", "64 mb"), ("cache_dir.type", "ufs"),
            ("cache_dir.path", "/var/cache/squid"), ("cache_dir.size", "1000"), ("cache_dir.l1", "16"), ("cache_dir.l2", "256")));

        Assert.True(result.Succeeded, Errors(result));
        var expected = before
            .Replace("http_port 3128\n", "http_port 3128\nhttp_port 192.168.1.1:3129 intercept\n")
            .Replace("#cache_dir ufs /var/cache/squid 100 16 256\n",
                "#cache_dir ufs /var/cache/squid 100 16 256\ncache_dir ufs /var/cache/squid 1000 16 256\n")
            + "visible_hostname proxy.example.com\ncache_mem 256 MB\nmaximum_object_size 64 MB\n";
        Assert.Equal(expected, host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task ConfigEdit_CacheDirNone_RemovesOnlyThatLine()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);
        File.WriteAllText(host.RootPath(Conf), before.Replace("coredump_dir", "cache_dir aufs /var/cache/squid 500 16 256 max-size=1048576\ncoredump_dir"));
        var form = await RunAsync(host, "config", "edit");
        var shown = (form.Find("cache_dir.type")!.Text, form.Find("cache_dir.size")!.Text);

        var result = await RunAsync(host, "config", "edit", Post(form, "Save", ("cache_dir.type", "")));

        Assert.Equal(("aufs", "500"), shown);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before, host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task ConfigEdit_CacheDirSize_KeepsItsOptions()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf).Replace("coredump_dir", "cache_dir aufs /var/cache/squid 500 16 256 max-size=1048576\ncoredump_dir");
        File.WriteAllText(host.RootPath(Conf), before);
        var form = await RunAsync(host, "config", "edit");

        var result = await RunAsync(host, "config", "edit", Post(form, "Save", ("cache_dir.size", "2000")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("500 16 256 max-size", "2000 16 256 max-size"), host.ReadRootFile(Conf));
    }

    public static TheoryData<string, string, string> Injections => new()
    {
        { "http_port", "3128\nhttp_access allow all", "Line 2: 'http_access' is not a port" },
        { "http_port", "3128\rhttp_access allow all", "control character" },
        { "http_port", "#3128", "start with '#'" },
        { "http_port", "3128 \\", "end with '\\'" },
        { "http_port", "99999", "not a port" },
        { "visible_hostname", "proxy\nhttp_access allow all", "Line breaks" },
        { "visible_hostname", "proxy\rx", "Line breaks" },
        { "visible_hostname", "proxy\0x", "control characters" },
        { "visible_hostname", "#proxy", "start with '#'" },
        { "visible_hostname", "proxy example", "One word only" },
        { "cache_mem", "256 MB\nhttp_access allow all", "Line breaks" },
        { "cache_mem", "256 XB", "not a unit" },
        { "cache_mem", "256", "Add a unit" },
        { "cache_dir.path", "/var/cache/squid\n", "Line breaks" },
        { "cache_dir.path", "/var/../etc", "absolute path" },
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task ConfigEdit_Injection_RefusedOnFieldAndFileUnchanged(string field, string value, string message)
    {
        using var host = Host();
        var before = host.Keep(Conf);
        var form = await RunAsync(host, "config", "edit");
        var changes = new List<(string, string)> { (field, value) };
        if (field.StartsWith("cache_dir.", StringComparison.Ordinal))
            changes.AddRange([("cache_dir.type", "ufs"), ("cache_dir.size", "100"), ("cache_dir.l1", "16"), ("cache_dir.l2", "256")]);

        var result = await RunAsync(host, "config", "edit", Post(form, "Save", changes.ToArray()));

        Assert.NotNull(result.Errtxt);
        before.AssertRefusedOn(result, field, message);
        Assert.DoesNotContain(host.Audit.ReadAll(), e => e.Action == "write");
    }

    [Fact]
    public async Task AclEdit_Read_ListsAclsWithWhereTheyAreUsed()
    {
        using var host = Host();

        var form = await RunAsync(host, "acl", "edit", Query(("name", "SSL_ports")));

        var rows = form.Find("acls")!.Rows;
        Assert.Equal(["localnet", "SSL_ports", "Safe_ports"], rows.Select(r => r["name"]));
        Assert.Equal("", rows[0]["used_by"]);
        Assert.Equal("http_access deny CONNECT !SSL_ports", rows[1]["used_by"]);
        Assert.Equal("80 21 443 70 210 1025-65535 280 488 591 777", rows[2]["values"]);
        Assert.Equal("SSL_ports", form.Find("name")!.Text);
        Assert.Equal(["443"], form.Find("values")!.Items);
    }

    [Fact]
    public async Task AclEdit_NewAcl_AddedAfterTheLastAclLine()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);

        var result = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save",
            ("name", "blocked"), ("type", "dstdomain"), ("values", ".example.com\n.example.net")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("# multiling http\n", "# multiling http\nacl blocked dstdomain .example.com .example.net\n"),
            host.ReadRootFile(Conf));
        Assert.Contains(result.Find("acls")!.Rows, r => r["name"] == "blocked");
    }

    [Fact]
    public async Task AclEdit_ReplaceSpreadAcl_KeepsLinesOfKeptValues()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);

        var result = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save", ("name", "Safe_ports"), ("type", "port"),
            ("values", "80\n21\n443\n210\n1025-65535\n280\n488\n591\n777\n8080")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("acl Safe_ports port 70\t\t# gopher\n", "")
            .Replace("# multiling http\n", "# multiling http\nacl Safe_ports port 8080\n"), host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task AclEdit_RemoveUsedAcl_RefusedListingTheRules()
    {
        using var host = Host();
        var before = host.Keep(Conf);

        var result = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Remove", ("name", "Safe_ports")));

        before.AssertRefusedOn(result, "name", "still used by: http_access deny !Safe_ports (line 33)");
    }

    [Fact]
    public async Task AclEdit_RemoveUnusedAcl_RemovesAllItsLines()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);

        var result = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Remove", ("name", "localnet")));

        Assert.True(result.Succeeded, Errors(result));
        var expected = string.Concat(before.Split('\n').Where(l => !l.StartsWith("acl localnet ", StringComparison.Ordinal))
            .Select(l => l + "\n"))[..^1];
        Assert.Equal(expected, host.ReadRootFile(Conf));
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "src", "10.0.0.0/33", "not an IPv4 or IPv6 address" },
        { "src", "10.0.0.300", "not an IPv4 or IPv6 address" },
        { "dst", "example.com", "not an IPv4 or IPv6 address" },
        { "port", "0", "not a port" },
        { "port", "90-80", "not a port" },
        { "dstdomain", "exa mple.com", "One word only" },
        { "dstdomain", "-bad.example", "not a domain" },
        { "method", "get", "request method" },
        { "proto", "GOPHERS", "protocol" },
        { "time", "MTWHF 17:00-08:00", "days (SMTWHFA)" },
        { "time", "X 08:00-17:00", "days (SMTWHFA)" },
        { "proxy_auth", "a:b", "user name" },
        { "url_regex", "-i", "regular expression" },
        { "src", "#10.0.0.1", "start with '#'" },
        { "src", "10.0.0.1\rhttp_access allow all", "control character" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task AclEdit_BadValue_RefusedOnValuesAndFileUnchanged(string type, string value, string message)
    {
        using var host = Host();
        var before = host.Keep(Conf);

        var result = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save", ("name", "probe"), ("type", type),
            ("values", value)));

        before.AssertRefusedOn(result, "values", message);
    }

    [Theory]
    [InlineData("all", "built into squid")]
    [InlineData("bad name", "letters, digits")]
    [InlineData("-x", "does not start with '-'")]
    public async Task AclEdit_BadName_RefusedOnName(string name, string message)
    {
        using var host = Host();

        var result = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save", ("name", name), ("type", "src"),
            ("values", "10.0.0.0/8")));

        Assert.Contains(message, result.Find("name")!.Errtxt);
    }

    /// <summary>The rule table as the browser posts it (issue 20): one list per column and the row count.</summary>
    private static ModuleInput AccessSubmit(IReadOnlyList<string> rules, string? tag = null)
    {
        var split = rules.Select(r => r.Split(' ', 2)).ToList();
        var values = new Dictionary<string, IReadOnlyList<string>>
        {
            ["rules.#"] = [split.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ["rules.action"] = split.Select(r => r[0]).ToList(),
            ["rules.acls"] = split.Select(r => r.Length > 1 ? r[1] : "").ToList(),
        };
        if (tag is not null) values["tag"] = [tag];
        return new ModuleInput(values, "Save");
    }

    private static List<string> Rules(CfeNode form) =>
        form.Find("rules")!.Rows.Select(r => (r["action"] + " " + r["acls"]).Trim()).ToList();

    /// <summary>Issue 20: the rules are a table (action, ACLs) instead of a textarea and row numbers.</summary>
    [Fact]
    public async Task AclAccess_Read_RulesAsATableOfActionAndAcls()
    {
        using var host = Host();

        var rules = (await RunAsync(host, "acl", "access")).Find("rules")!;

        Assert.Equal(CfeTypes.Records, rules.Type);
        Assert.Equal(["action", "acls"], rules.Children.Select(c => c.Name));
        Assert.Equal(["allow", "deny"], rules.Children[0].Options.Select(o => o.Value));
        Assert.Equal(("deny", "!Safe_ports"), (rules.Rows[0]["action"], rules.Rows[0]["acls"]));
    }

    [Fact]
    public async Task AclAccess_RowsSwapped_WrittenInTheNewOrder()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);
        var form = await RunAsync(host, "acl", "access");
        var rules = Rules(form);
        (rules[0], rules[1]) = (rules[1], rules[0]);

        var result = await RunAsync(host, "acl", "access", AccessSubmit(rules, form.Find("tag")!.Text!));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(["deny CONNECT !SSL_ports", "deny !Safe_ports"], Rules(result).Take(2));
        var after = host.ReadRootFile(Conf);
        Assert.Equal(before.Length, after.Length);
        Assert.True(after.IndexOf("http_access deny CONNECT !SSL_ports", StringComparison.Ordinal)
            < after.IndexOf("http_access deny !Safe_ports", StringComparison.Ordinal));
        Assert.Contains("first rule whose ACLs all match decides", form.Descr);
    }

    [Fact]
    public async Task AclEditAndAccess_UnchangedSaves_WriteSameBytes()
    {
        using var host = Host("debian-squid.conf");
        var before = host.Keep(Conf);
        var acl = await RunAsync(host, "acl", "edit", Query(("name", "localnet")));
        var access = await RunAsync(host, "acl", "access");

        var savedAcl = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save", ("name", "localnet"), ("type", "src"),
            ("values", string.Join("\n", acl.Find("values")!.Items)), ("tag", acl.Find("tag")!.Text!)));
        var savedRules = await RunAsync(host, "acl", "access", AccessSubmit(Rules(access), access.Find("tag")!.Text!));

        Assert.Equal("Nothing changed.", savedAcl.Descr);
        Assert.Equal("Nothing changed.", savedRules.Descr);
        before.AssertUnchanged();
        Assert.Contains("Rules in included files (/etc/squid/conf.d/*.conf) are not listed", access.Descr);
    }

    [Fact]
    public async Task AclAccess_FileChangedSinceRead_RefusedAndNothingWritten()
    {
        using var host = Host();
        var form = await RunAsync(host, "acl", "access");
        var changed = host.ReadRootFile(Conf) + "visible_hostname meanwhile\n";
        File.WriteAllText(host.RootPath(Conf), changed);

        var result = await RunAsync(host, "acl", "access", AccessSubmit(["deny all"], form.Find("tag")!.Text!));

        Assert.False(result.Succeeded);
        Assert.Contains("changed since it was read", result.Errtxt);
        Assert.Equal(changed, host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task AclAccess_NewRule_InsertedAfterTheRuleBeforeIt()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);
        var rules = Rules(await RunAsync(host, "acl", "access"));
        rules.Insert(rules.Count - 1, "allow localnet");

        var result = await RunAsync(host, "acl", "access", AccessSubmit(rules));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before.Replace("http_access deny to_linklocal\n", "http_access deny to_linklocal\nhttp_access allow localnet\n"),
            host.ReadRootFile(Conf));
    }

    /// <summary>Each cell is checked: the error names the row and column and sits on that cell (<c>@err column</c>).</summary>
    [Theory]
    [InlineData("allow nosuch", "acls", "'nosuch' is not a defined ACL")]
    [InlineData("permit localnet", "action", "Choose one of the offered values")]
    [InlineData("allow", "acls", "at least one ACL")]
    [InlineData("allow localnet\rdeny all", "acls", "control characters")]
    public async Task AclAccess_BadRule_RefusedOnItsCell(string rule, string column, string message)
    {
        using var host = Host();
        var before = host.Keep(Conf);

        var result = await RunAsync(host, "acl", "access", AccessSubmit([rule, "deny all"]));

        var rules = result.Find("rules")!;
        Assert.StartsWith("Row 1, ", rules.Errtxt);
        Assert.Contains(message, rules.Rows[0]["@err " + column]);
        Assert.DoesNotContain(rules.Rows[1].Keys, k => k.StartsWith('@'));
        before.AssertUnchanged();
    }

    /// <summary>An emptied table is submitted as no rows (the count says so), not left alone.</summary>
    [Fact]
    public async Task AclAccess_AllRowsRemoved_NoHttpAccessLinesLeft()
    {
        using var host = Host();

        var result = await RunAsync(host, "acl", "access", AccessSubmit([]));

        Assert.True(result.Succeeded, Errors(result));
        Assert.DoesNotContain("\nhttp_access ", host.ReadRootFile(Conf));
    }

    [Fact]
    public async Task AuthEdit_Enable_WritesProgramRealmBeforeTheAclsAndTheAcl()
    {
        using var host = Host();
        var before = host.ReadRootFile(Conf);

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Save", ("enabled", "true"), ("realm", "Office proxy")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(before
            .Replace("acl localnet src 0.0.0.1-", "auth_param basic program /usr/lib/squid/basic_ncsa_auth /etc/squid/passwd\n"
                + "auth_param basic realm Office proxy\nacl localnet src 0.0.0.1-")
            .Replace("# multiling http\n", "# multiling http\nacl authenticated proxy_auth REQUIRED\n"), host.ReadRootFile(Conf));
        Assert.True(result.Find("enabled")!.Checked);
    }

    [Fact]
    public async Task AuthEdit_AddUser_WritesSha512CryptLineAndNeverShowsThePassword()
    {
        using var host = Host();

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Add user", ("user", "alice"), ("password", "s3cret pass")));
        var again = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Add user", ("user", "bob"), ("password", "other")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal("", result.Find("password")!.Text);
        Assert.True(again.Succeeded, Errors(again));
        var lines = host.ReadRootFile(Passwd).Split('\n');
        Assert.Matches(@"^alice:\$6\$(rounds=[0-9]+\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$", lines[0]);
        Assert.StartsWith("bob:$6$", lines[1]);
        Assert.Equal("", lines[2]);
        Assert.Equal(["alice", "bob"], again.Find("users")!.Rows.Select(r => r["user"]));
    }

    [Fact]
    public async Task AuthEdit_AddExistingUser_ChangesOnlyItsHash()
    {
        using var host = Host();
        host.WriteRootFile(Passwd, "# users\nalice:$6$old$hash\nbob:$6$bob$hash\n");

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Add user", ("user", "alice"), ("password", "new")));

        Assert.True(result.Succeeded, Errors(result));
        var lines = host.ReadRootFile(Passwd).Split('\n');
        Assert.Equal("# users", lines[0]);
        Assert.StartsWith("alice:$6$", lines[1]);
        Assert.NotEqual("alice:$6$old$hash", lines[1]);
        Assert.Equal("bob:$6$bob$hash", lines[2]);
    }

    [Theory]
    [InlineData("Add user", "al:ice", "pw", "user", "letters, digits")]
    [InlineData("Add user", "alice", "", "password", "Enter a password")]
    [InlineData("Add user", "alice", "a\nb", "password", "control characters")]
    [InlineData("Remove user", "nobody", "", "user", "no user 'nobody'")]
    public async Task AuthEdit_BadUserInput_RefusedOnField(string button, string user, string password, string field, string message)
    {
        using var host = Host();

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit(button, ("user", user), ("password", password)));

        Assert.Contains(message, result.Find(field)!.Errtxt);
        Assert.False(File.Exists(host.RootPath(Passwd)));
    }

    [Fact]
    public async Task AuthEdit_RemoveUser_DropsOnlyItsLine()
    {
        using var host = Host();
        host.WriteRootFile(Passwd, "alice:$6$a$h\n# keep\nbob:$6$b$h\n");

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Remove user", ("user", "alice")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal("# keep\nbob:$6$b$h\n", host.ReadRootFile(Passwd));
    }

    [Fact]
    public async Task AuthEdit_DisableWhileARuleUsesTheAcl_RefusedListingTheRule()
    {
        using var host = Host();
        await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Save", ("enabled", "true"), ("realm", "")));
        var rules = Rules(await RunAsync(host, "acl", "access")).Prepend("allow authenticated").ToList();
        await RunAsync(host, "acl", "access", AccessSubmit(rules));
        var before = host.Keep(Conf);

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Save", ("enabled", "false"), ("realm", "")));

        Assert.Contains("used by: http_access allow authenticated", result.Find("enabled")!.Errtxt);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task AuthEdit_EnableThenDisable_GivesBackTheSameBytes()
    {
        using var host = Host("debian-squid.conf");
        var before = host.Keep(Conf);
        await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Save", ("enabled", "true"), ("realm", "Proxy")));
        var enabled = host.ReadRootFile(Conf);

        var result = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Save", ("enabled", "false"), ("realm", "Proxy")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains("\nauth_param basic program /usr/lib/squid/basic_ncsa_auth /etc/squid/passwd\nauth_param basic realm Proxy\n", enabled);
        before.AssertUnchanged();
        Assert.False(result.Find("enabled")!.Checked);
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task ConfigEdit_DebianFile_EditPassesRealSquidParse()
    {
        using var host = Host("debian-squid.conf", realSquid: true);
        var form = await RunAsync(host, "config", "edit");

        var result = await RunAsync(host, "config", "edit", Post(form, "Save",
            ("http_port", "3128\n127.0.0.1:3129 intercept"), ("visible_hostname", "proxy.example.com"), ("cache_mem", "256 MB"),
            ("maximum_object_size", "64 MB"), ("cache_dir.type", "aufs"), ("cache_dir.path", "/var/spool/squid"),
            ("cache_dir.size", "1000"), ("cache_dir.l1", "16"), ("cache_dir.l2", "256")));

        Assert.True(result.Succeeded, Errors(result));
        Assert.Contains(host.Audit.ReadAll(), e => e.Action == "validate" && e.Detail == "status 0");
        var (status, output) = SquidParse(host.RootPath(Conf));
        Assert.True(status == 0, output);
        Assert.Contains("\ncache_dir aufs /var/spool/squid 1000 16 256\n", host.ReadRootFile(Conf));
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task ConfigEdit_PortOptionSquidDoesNotKnow_RefusedWithSquidsMessageAndNothingWritten()
    {
        using var host = Host(fixture: null, realSquid: true);
        var before = host.Keep(Conf);
        var form = await RunAsync(host, "config", "edit");

        var result = await RunAsync(host, "config", "edit", Post(form, "Save", ("http_port", "3128 no-such-option")));

        Assert.False(result.Succeeded);
        Assert.Contains("squid refused the new content", result.Errtxt);
        Assert.Contains("Unknown http_port option 'no-such-option'", result.Errtxt);
        Assert.DoesNotContain("Startup:", result.Errtxt);
        before.AssertUnchanged();
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task AclAndAccess_NewAclAndRule_PassRealSquidParse()
    {
        using var host = Host(fixture: null, realSquid: true);
        var acl = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save", ("name", "work_hours"), ("type", "time"),
            ("values", "MTWHF 08:00-17:00\nA 09:00-12:00")));
        var sites = await RunAsync(host, "acl", "edit", ModuleTestHost.Submit("Save", ("name", "blocked"), ("type", "url_regex"),
            ("values", "^https?://[^/]*example\\.com/\n\\.exe$"), ("ignore_case", "true")));
        var rules = Rules(await RunAsync(host, "acl", "access")).Prepend("deny blocked !work_hours").ToList();

        var access = await RunAsync(host, "acl", "access", AccessSubmit(rules));

        Assert.True(acl.Succeeded, Errors(acl));
        Assert.True(sites.Succeeded, Errors(sites));
        Assert.True(access.Succeeded, Errors(access));
        var text = host.ReadRootFile(Conf);
        Assert.Contains("acl work_hours time MTWHF 08:00-17:00\nacl work_hours time A 09:00-12:00\n", text);
        Assert.Contains("acl blocked url_regex -i ^https?://[^/]*example\\.com/ \\.exe$\n", text);
        var (status, output) = SquidParse(host.RootPath(Conf));
        Assert.True(status == 0, output);
    }

    [Fact]
    [Trait("Category", "RealTools")]
    public async Task AuthEdit_EnableAndAddUser_SquidParsesAndHelperAcceptsThePassword()
    {
        using var host = Host(fixture: null, realSquid: true);

        var enabled = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Save", ("enabled", "true"), ("realm", "Proxy")));
        var added = await RunAsync(host, "auth", "edit", ModuleTestHost.Submit("Add user", ("user", "alice"), ("password", "s3cret-pass")));

        Assert.True(enabled.Succeeded, Errors(enabled));
        Assert.True(added.Succeeded, Errors(added));
        var (status, output) = SquidParse(host.RootPath(Conf));
        Assert.True(status == 0, output);
        var helper = Run("/usr/lib/squid/basic_ncsa_auth", [host.RootPath(Passwd)], "alice s3cret-pass\nalice wrong\n");
        Assert.Equal(["OK", "ERR"], helper.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }
}
