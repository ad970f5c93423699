namespace Acf.Tests.Modules;

/// <summary>
/// What the tests of a lossless config model share: its edits run through <see cref="LuaModelProbe"/> with the
/// model's libraries in scope (the first one is the model), and an odd file must come back from <c>parse</c> byte
/// for byte.
/// </summary>
public abstract class LuaModelTests(params string[] libraries)
{
    /// <summary>Asserts that the text comes back from the model's <c>parse</c> byte for byte.</summary>
    protected async Task AssertRoundTripAsync(string text)
    {
        var outcome = await RunAsync(text, $"return {libraries[0]}.parse(text)");

        Assert.Equal(Encoding.UTF8.GetBytes(text), outcome.Output);
    }

    private protected Task<LuaModelProbe.Outcome> RunAsync(byte[] input, string code) => LuaModelProbe.RunAsync(input, code, libraries);

    private protected Task<LuaModelProbe.Outcome> RunAsync(string input, string code) => RunAsync(Encoding.UTF8.GetBytes(input), code);

    /// <summary>The edit's result and the model's text afterwards, both as text.</summary>
    protected async Task<(string Result, string Output)> RunTextAsync(string input, string code)
    {
        var outcome = await RunAsync(input, code);
        return (outcome.Result, outcome.OutputText);
    }
}
