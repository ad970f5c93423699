namespace Acf.Modules.Cfe;

/// <summary>
/// One ACF Configuration Framework Entity as a module returned it. ACF's names are kept (type, value, label, descr,
/// errtxt, option, default, seq, readonly, key) so that ACF authors feel at home; the loosely typed Lua <c>value</c>
/// is split into typed members here so the renderer never has to guess.
/// </summary>
public sealed record CfeNode
{
    /// <summary>The CFE type: one of <see cref="CfeTypes"/>; unknown types render as text.</summary>
    public required string Type { get; init; }

    /// <summary>The field's name inside its parent group or form ("" for the top entity).</summary>
    public string Name { get; init; } = "";

    public string? Label { get; init; }

    /// <summary>Help text; on a submitted form without <see cref="Errtxt"/> it is the success message.</summary>
    public string? Descr { get; init; }

    /// <summary>The error for this field, or for the whole form.</summary>
    public string? Errtxt { get; init; }

    public string? Default { get; init; }

    public int? Seq { get; init; }

    public bool Readonly { get; init; }

    public string? Key { get; init; }

    /// <summary>Bounds of an <c>integer</c>.</summary>
    public long? Min { get; init; }

    public long? Max { get; init; }

    /// <summary>The value of scalar types: text, longtext, password, hidden, select, integer, link (the target), raw, file.</summary>
    public string? Text { get; init; }

    /// <summary>The value of <c>boolean</c>.</summary>
    public bool Checked { get; init; }

    /// <summary>The values of <c>multi</c> and <c>list</c>.</summary>
    public IReadOnlyList<string> Items { get; init; } = [];

    /// <summary>The children of <c>group</c> and <c>form</c>, ordered by seq then name.</summary>
    public IReadOnlyList<CfeNode> Children { get; init; } = [];

    /// <summary>Choices of <c>select</c> and <c>multi</c>; submit buttons of <c>form</c>.</summary>
    public IReadOnlyList<CfeOption> Options { get; init; } = [];

    /// <summary>Column keys of a <c>structure</c>, in order.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>Rows of a <c>structure</c>: column key to cell text.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; init; } = [];

    /// <summary>Seconds after which the page runs the action again (a log's live tail); null for never.</summary>
    public int? Refresh { get; init; }

    /// <summary>Where the page goes after this form's submit succeeded (an app path such as <c>/restarting</c>: the
    /// reboot's "the box is restarting" page); the page follows only a local path.</summary>
    public string? Redirect { get; init; }

    /// <summary>
    /// A structure's row buttons (its <see cref="Options"/>) run this <c>controller/action</c> of the same module, with
    /// the field <see cref="Key"/> set to the row's <c>@key</c> cell (the services list's Start/Stop per row run
    /// <c>rc/control</c>: its roles and its confirm-or-rollback apply, as on its own page).
    /// </summary>
    public string? Action { get; init; }

    /// <summary>True when this form is the answer to a submit (ACF's handle_form ran).</summary>
    public bool Submitted { get; init; }

    /// <summary>A submitted form that carries no error: its <see cref="Descr"/> is the success message.</summary>
    public bool Succeeded => Submitted && Errtxt is null && !HasFieldErrors;

    /// <summary>True when this entity or any descendant carries an error.</summary>
    public bool HasFieldErrors => Children.Any(c => c.Errtxt is not null || c.HasFieldErrors);

    /// <summary>Finds a descendant by its dotted name (<c>group.field</c>).</summary>
    public CfeNode? Find(string dottedName)
    {
        var node = this;
        foreach (var part in dottedName.Split('.'))
        {
            node = node.Children.FirstOrDefault(c => c.Name == part);
            if (node is null) return null;
        }
        return node;
    }
}

/// <summary>A choice of a select or multi (with <see cref="Group"/> set for option groups), or a form's submit button;
/// a button with <see cref="Confirm"/> asks that question first and runs only when the admin agrees (stop a service,
/// remove a package).</summary>
public sealed record CfeOption(string Value, string Label, string? Group = null, string? Confirm = null);

/// <summary>The CFE types the renderer knows.</summary>
public static class CfeTypes
{
    public const string Text = "text";
    public const string Longtext = "longtext";
    public const string Password = "password";
    public const string Hidden = "hidden";
    public const string Select = "select";
    public const string Multi = "multi";
    public const string Boolean = "boolean";
    public const string List = "list";
    public const string Integer = "integer";
    public const string Group = "group";
    public const string Form = "form";
    public const string Link = "link";
    public const string Structure = "structure";
    public const string Raw = "raw";
    public const string File = "file";

    /// <summary>Not ACF's: rows like a structure, drawn as a bar chart (first column the labels, the others the series).</summary>
    public const string Chart = "chart";

    /// <summary>
    /// Not ACF's: a table the admin edits (a rule table): <see cref="CfeNode.Children"/> are its columns (each a field
    /// with its type, label and options), <see cref="CfeNode.Rows"/> its rows; a cell's error is the row's
    /// <c>@err &lt;column&gt;</c>. Submitted as one list per column (<c>name.column</c>) and the count (<c>name.#</c>).
    /// </summary>
    public const string Records = "records";

    /// <summary>Not ACF's: a text shown as a QR code and as text (a new WireGuard peer's client configuration); display
    /// only, never taken from a submit.</summary>
    public const string QrCode = "qrcode";

    /// <summary>Every type, in this order (the API document lists them so; the renderer's table has a row for each).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Text, Longtext, Password, Hidden, Select, Multi, Boolean, List, Integer, Group, Form, Link, Structure, Raw, File, Chart,
        Records, QrCode,
    ];

    /// <summary>Types whose children are fields.</summary>
    public static bool IsContainer(string type) => type is Group or Form;
}
