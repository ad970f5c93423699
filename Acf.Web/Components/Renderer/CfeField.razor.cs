using Microsoft.AspNetCore.Components.Forms;

namespace Acf.Web.Components.Renderer;

/// <summary>
/// Draws one CFE by its type: an input bound to <see cref="State"/> inside a form, or label and value when
/// <see cref="State"/> is null. Groups draw their children with this component again.
/// </summary>
public partial class CfeField
{
    /// <summary>The largest file a <c>file</c> field reads into its value.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    private const string MonospaceBlock =
        "font-family: monospace; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 32rem; overflow: auto;";

    [Parameter, EditorRequired]
    public CfeNode Node { get; set; } = default!;

    /// <summary>The dotted name of the parent group ("" at the top of a form).</summary>
    [Parameter]
    public string Prefix { get; set; } = "";

    /// <summary>The form's values; null draws the field read-only, as text.</summary>
    [Parameter]
    public CfeFormState? State { get; set; }

    /// <summary>True inside a readonly group.</summary>
    [Parameter]
    public bool ParentReadonly { get; set; }

    private string? _fileName;
    private long _fileBytes;
    private string? _fileError;

    private CfeFormState.FieldKind Kind => CfeFormState.KindOf(Node.Type);

    private string Path => CfeIds.Path(Prefix, Node.Name);

    private string Id => CfeIds.Field(Path);

    /// <summary>A field holding bytes that are not UTF-8 (<see cref="ByteText"/>) is shown escaped and read-only: the
    /// browser could not give them back, so the form submits the value it holds, byte for byte.</summary>
    private bool IsReadonly => Node.Readonly || ParentReadonly || HoldsRawBytes;

    private bool HoldsRawBytes => ByteText.HasRawBytes(Node.Text) || Node.Items.Any(ByteText.HasRawBytes);

    private string? RawBytesHelp => HoldsRawBytes
        ? L["Holds bytes that are not UTF-8, shown as \\xNN and kept as they are; change it on the expert page."].Value
        : null;

    private string? Shown(string? value) => HoldsRawBytes ? ByteText.Escaped(value) : value;

    private bool HasError => !string.IsNullOrEmpty(Node.Errtxt);

    private string LabelText => string.IsNullOrEmpty(Node.Label) ? Node.Name : Node.Label;

    private string LinkText => !string.IsNullOrEmpty(Node.Label) ? Node.Label : Node.Text ?? Node.Name;

    private string DownloadName => string.IsNullOrEmpty(Node.Label) ? Node.Name : Node.Label;

    private string? DefaultHint => Node.Default is null ? null : L["Default: {0}", Node.Default].Value;

    private long? IntegerValue =>
        long.TryParse(State?.GetText(Path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private string? IntegerHelp => (Node.Descr, Node.Min, Node.Max) switch
    {
        ({ } descr, _, _) => descr,
        (null, { } min, { } max) => L["From {0} to {1}.", min, max].Value,
        (null, { } min, null) => L["At least {0}.", min].Value,
        (null, null, { } max) => L["At most {0}.", max].Value,
        _ => null,
    };

    private string OptionLabel(string? value) =>
        value is null ? "" : ByteText.Escaped(Node.Options.FirstOrDefault(o => o.Value == value)?.Label ?? value);

    private void SetInteger(long? value) =>
        State?.SetText(Path, value?.ToString(CultureInfo.InvariantCulture) ?? "");

    private async Task ReadFileAsync(IBrowserFile? file)
    {
        _fileError = null;
        if (file is null || State is null) return;
        if (file.Size > MaxFileBytes)
        {
            _fileName = null;
            _fileError = L["The file {0} is larger than {1} KiB.", file.Name, MaxFileBytes / 1024].Value;
            return;
        }
        try
        {
            // The bytes travel as base64, so a binary file (a PKCS#12 bundle) arrives intact; cfe.handle_form turns
            // them back into the file's exact bytes for the module.
            await using var stream = file.OpenReadStream(MaxFileBytes);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            State.SetText(Path, Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length));
            _fileName = file.Name;
            _fileBytes = buffer.Length;
        }
        catch (IOException)
        {
            _fileName = null;
            _fileError = L["The file {0} could not be read.", file.Name].Value;
        }
    }
}
