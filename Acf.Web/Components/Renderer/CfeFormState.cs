namespace Acf.Web.Components.Renderer;

/// <summary>
/// The values a user edits in one form, keyed by dotted field name. Built from the entity when a new entity arrives,
/// changed by the field components, and read back on submit with ACF's handle_form rules: booleans only when checked,
/// multi as the selected values, list one item per line, passwords only when typed, readonly fields never.
/// </summary>
public sealed class CfeFormState
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _selected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CfeRecord>> _records = new(StringComparer.Ordinal);

    private CfeFormState()
    {
    }

    /// <summary>How a CFE type keeps and submits its value (which type is which: <see cref="Fields.CfeFields"/>).</summary>
    public enum FieldKind
    {
        /// <summary>One string: text, longtext, hidden, select, integer, and unknown types (rendered as text).</summary>
        Scalar,
        /// <summary>One string, never pre-filled, submitted only when typed.</summary>
        Password,
        Boolean,
        Multi,
        List,
        /// <summary>group and form: their children are fields.</summary>
        Container,
        /// <summary>link, structure, chart, raw, qrcode: shown, never submitted.</summary>
        Display,
        /// <summary>records: rows of cells, one list per column and the row count.</summary>
        Records,
        /// <summary>file: the base64 of an upload, never the module's text; submitted only when a file was chosen.</summary>
        Upload,
    }

    public static FieldKind KindOf(string type) => Fields.CfeFields.Of(type).Kind;

    /// <summary>The state of a form's fields as the entity holds them.</summary>
    public static CfeFormState From(CfeNode form)
    {
        var state = new CfeFormState();
        state.Load(form.Children, "");
        return state;
    }

    public string? GetText(string path) => _texts.GetValueOrDefault(path);

    public void SetText(string path, string? value) => _texts[path] = value ?? "";

    public bool IsChecked(string path) => _checks.GetValueOrDefault(path);

    public void SetChecked(string path, bool value) => _checks[path] = value;

    public bool IsSelected(string path, string value) =>
        _selected.TryGetValue(path, out var values) && values.Contains(value, StringComparer.Ordinal);

    public void SetSelected(string path, string value, bool selected)
    {
        if (!_selected.TryGetValue(path, out var values)) _selected[path] = values = [];
        values.RemoveAll(v => v == value);
        if (selected) values.Add(value);
    }

    /// <summary>The rows of a records field, in order; the table component adds, removes and moves them here.</summary>
    public List<CfeRecord> Records(string path) =>
        _records.TryGetValue(path, out var rows) ? rows : _records[path] = [];

    /// <summary>The values to submit for <paramref name="form"/>, whose fields this state was built from.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Collect(CfeNode form)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        Collect(form.Children, "", values);
        return values;
    }

    private void Load(IEnumerable<CfeNode> nodes, string prefix)
    {
        foreach (var node in nodes)
        {
            var path = CfeIds.Path(prefix, node.Name);
            switch (KindOf(node.Type))
            {
                // A file field starts empty: its value is an upload (base64), never the module's text.
                case FieldKind.Upload:
                    _texts[path] = "";
                    break;
                case FieldKind.Scalar:
                    _texts[path] = node.Text ?? "";
                    break;
                case FieldKind.Boolean:
                    _checks[path] = node.Checked;
                    break;
                case FieldKind.Multi:
                    _selected[path] = [.. node.Items];
                    break;
                case FieldKind.List:
                    _texts[path] = string.Join("\n", node.Items);
                    break;
                case FieldKind.Container:
                    Load(node.Children, path);
                    break;
                case FieldKind.Records:
                    _records[path] = node.Rows.Select(row => CfeRecord.From(node, row)).ToList();
                    break;
                // A password's current value never reaches the browser; display types hold no input.
                case FieldKind.Password:
                case FieldKind.Display:
                    break;
            }
        }
    }

    private void Collect(IEnumerable<CfeNode> nodes, string prefix, Dictionary<string, IReadOnlyList<string>> values)
    {
        foreach (var node in nodes)
        {
            // A readonly group makes its whole subtree readonly, as it is drawn.
            if (node.Readonly) continue;
            var path = CfeIds.Path(prefix, node.Name);
            switch (KindOf(node.Type))
            {
                case FieldKind.Upload:
                    if (GetText(path) is { Length: > 0 } upload) values[path] = [upload];
                    break;
                case FieldKind.Scalar:
                    values[path] = [GetText(path) ?? ""];
                    break;
                case FieldKind.Password:
                    if (GetText(path) is { Length: > 0 } password) values[path] = [password];
                    break;
                case FieldKind.Boolean:
                    if (IsChecked(path)) values[path] = ["true"];
                    break;
                case FieldKind.Multi:
                    if (SelectedInOptionOrder(node, path) is { Count: > 0 } selected) values[path] = selected;
                    break;
                // An emptied list is submitted as no items, so the last item can be removed (absent would keep the old list).
                case FieldKind.List:
                    values[path] = ListItems(GetText(path));
                    break;
                case FieldKind.Container:
                    Collect(node.Children, path, values);
                    break;
                // Every column as one list in row order, and the count: no rows is a table emptied, not one left alone.
                case FieldKind.Records:
                    var rows = Records(path);
                    values[path + ".#"] = [rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                    foreach (var column in node.Children)
                        values[CfeIds.Path(path, column.Name)] = rows.Select(r => r.Get(column.Name)).ToList();
                    break;
                case FieldKind.Display:
                    break;
            }
        }
    }

    private List<string> SelectedInOptionOrder(CfeNode node, string path)
    {
        if (!_selected.TryGetValue(path, out var chosen)) return [];
        var ordered = node.Options.Select(o => o.Value).Where(chosen.Contains).Distinct().ToList();
        // Values the module had selected that are not among its options are kept, not silently dropped.
        ordered.AddRange(chosen.Where(v => !ordered.Contains(v)));
        return ordered;
    }

    /// <summary>One item per non-blank line, without the <c>\r</c> of Windows line ends.</summary>
    public static List<string> ListItems(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => !string.IsNullOrWhiteSpace(line)).ToList();
}

/// <summary>
/// One row of a records field as the admin edits it: the cells by column, and the module's error for a cell until the
/// admin changes that cell. A class, so a row keeps its identity (and its inputs) when rows move.
/// </summary>
public sealed class CfeRecord
{
    private readonly Dictionary<string, string> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    /// <summary>A row's cell that carries a module's error for a column.</summary>
    public const string ErrorPrefix = "@err ";

    public static CfeRecord From(CfeNode field, IReadOnlyDictionary<string, string> row)
    {
        var record = new CfeRecord();
        foreach (var column in field.Children)
        {
            record._cells[column.Name] = row.GetValueOrDefault(column.Name, "");
            if (row.TryGetValue(ErrorPrefix + column.Name, out var error)) record._errors[column.Name] = error;
        }
        return record;
    }

    /// <summary>A new row: each column's default, else empty (a select's first choice is the module's to set).</summary>
    public static CfeRecord New(CfeNode field)
    {
        var record = new CfeRecord();
        foreach (var column in field.Children) record._cells[column.Name] = column.Default ?? column.Text ?? "";
        return record;
    }

    public string Get(string column) => _cells.GetValueOrDefault(column, "");

    public void Set(string column, string? value)
    {
        _cells[column] = value ?? "";
        _errors.Remove(column);
    }

    public string? Error(string column) => _errors.GetValueOrDefault(column);

    /// <summary>True when a cell's text or bytes cannot come back from the browser as they are (not UTF-8).</summary>
    public bool HoldsRawBytes => _cells.Values.Any(ByteText.HasRawBytes);
}
