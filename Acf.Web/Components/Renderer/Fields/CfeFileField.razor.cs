using Microsoft.AspNetCore.Components.Forms;

namespace Acf.Web.Components.Renderer.Fields;

/// <summary>
/// A file: a download of the bytes a readonly field holds, or an upload whose bytes the form submits as base64.
/// </summary>
public partial class CfeFileField
{
    /// <summary>The largest file a <c>file</c> field reads into its value.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    private string? _fileName;
    private long _fileBytes;
    private string? _fileError;

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
