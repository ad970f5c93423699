using Acf.Web.Api;
using Acf.Web.Components.Renderer;

namespace Acf.Tests.Lossless;

/// <summary>
/// A value that is not UTF-8 (a Latin-1 realm) in every field type: from the file through the sandbox, the worker's
/// pipe, the CFE and the form's state back into the module, byte for byte (issue 14, bytes end to end).
/// </summary>
public class RawBytesFormTests
{
    private static readonly byte[] Realm = Encoding.Latin1.GetBytes("f\u00fcr B\u00fcro");

    private const string Manifest = """
        { "title": "Bytes probe",
          "roles": { "GUEST": [ "ctl/edit" ] },
          "capabilities": { "read": [ "/etc/in.conf", "/etc/out.conf" ], "write": [ "/etc/out.conf" ] } }
        """;

    // Every field type that carries a value, each holding the file's value; a submit writes what came back.
    private const string Controller = """
        local cfe = require("cfe")
        local M = {}
        function M.edit(ctx, input)
          local value = acf.fs.read("/etc/in.conf"):match("^value=(.-)\n")
          local form = cfe.form{ option = { "Save" }, value = {
            text = cfe.text{ value = value }, longtext = cfe.longtext{ value = value }, hidden = cfe.hidden{ value = value },
            select = cfe.select{ value = value, option = { "plain", value } },
            multi = cfe.multi{ value = { value }, option = { "plain", value } },
            list = cfe.list{ value = { "plain", value } },
            group = cfe.group{ value = { inner = cfe.text{ value = value } } },
            raw = cfe.raw{ value = value },
          } }
          if not input.submit then return form end
          if not cfe.handle_form(form, input) then return cfe.fail(form) end
          local v = form.value
          acf.fs.write("/etc/out.conf", table.concat({ v.text.value, v.longtext.value, v.hidden.value, v.select.value,
            table.concat(v.multi.value, ","), table.concat(v.list.value, ","), v.group.value.inner.value }, "\n") .. "\n")
          return cfe.done(form, "saved")
        end
        return M
        """;

    private static ModuleTestHost HostWithRealm()
    {
        var host = new ModuleTestHost();
        host.AddModule("bytes", Manifest, ("ctl", Controller));
        var input = host.RootPath("/etc/in.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(input)!);
        File.WriteAllBytes(input, [.. "value="u8, .. Realm, .. "\n"u8]);
        return host;
    }

    [Fact]
    public async Task UnchangedSubmit_Latin1InEveryFieldType_ReachesTheModuleByteForByte()
    {
        using var host = HostWithRealm();

        var form = (await host.RunAsync(ModuleTestHost.Guest, "bytes", "ctl", "edit")).Entity!;
        var values = CfeFormState.From(form).Collect(form);
        var saved = await host.RunAsync(ModuleTestHost.Guest, "bytes", "ctl", "edit", new ModuleInput(values, "Save"));

        Assert.True(saved.Entity!.Succeeded, saved.Entity.Errtxt);
        var line = (byte[])[.. Realm, .. "\n"u8];
        byte[] expected = [.. line, .. line, .. line, .. line, .. line, .. "plain,"u8, .. line, .. line];
        Assert.Equal(expected, File.ReadAllBytes(host.RootPath("/etc/out.conf")));
    }

    [Fact]
    public async Task Read_Latin1Value_KeptAsRawBytesInTheCfe()
    {
        using var host = HostWithRealm();

        var form = (await host.RunAsync(ModuleTestHost.Guest, "bytes", "ctl", "edit")).Entity!;

        Assert.Equal(Realm, ByteText.Encode(form.Find("text")!.Text!));
        Assert.Equal(Realm, ByteText.Encode(form.Find("group.inner")!.Text!));
        Assert.Equal(Realm, ByteText.Encode(form.Find("list")!.Items[1]));
        Assert.Equal(@"f\xFCr B\xFCro", ByteText.Escaped(form.Find("raw")!.Text));
    }

    [Fact]
    public async Task CfeJson_Latin1Value_WrittenAsBase64Bytes()
    {
        using var host = HostWithRealm();
        var form = (await host.RunAsync(ModuleTestHost.Guest, "bytes", "ctl", "edit")).Entity!;
        using var buffer = new MemoryStream();

        using (var writer = new Utf8JsonWriter(buffer)) CfeJson.Write(writer, form);
        using var json = JsonDocument.Parse(buffer.ToArray());

        var text = json.RootElement.GetProperty("value").GetProperty("text").GetProperty("value");
        Assert.Equal(Convert.ToBase64String(Realm), text.GetProperty(ByteText.JsonMember).GetString());
        var list = json.RootElement.GetProperty("value").GetProperty("list").GetProperty("value");
        Assert.Equal("plain", list[0].GetString());
        Assert.Equal(Realm, list[1].GetProperty(ByteText.JsonMember).GetBytesFromBase64());
    }
}
