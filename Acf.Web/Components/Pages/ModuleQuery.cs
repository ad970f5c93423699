using Acf.Modules.Cfe;
using Microsoft.AspNetCore.WebUtilities;

namespace Acf.Web.Components.Pages;

/// <summary>
/// A module page's input from its address, as ACF passed it: the query (<c>?name=nginx</c>, which item the page is
/// about) is a read's input, and a submit's input is the form's fields plus the query's values the form does not send.
/// </summary>
public static class ModuleQuery
{
    /// <summary>The query string of <paramref name="uri"/> as the action's input; never a submit.</summary>
    public static ModuleInput Input(string uri)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        var values = query.Where(q => q.Key != "submit")
            .ToDictionary(q => q.Key, q => (IReadOnlyList<string>)q.Value.Select(v => v ?? "").ToList());
        return new ModuleInput(values);
    }

    /// <summary>
    /// A submit as an HTML form posted to the page's own address gives it: the form's fields, and the query's values
    /// for names the form does not submit, such as a readonly field.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> WithQuery(
        IReadOnlyDictionary<string, IReadOnlyList<string>> submitted, string uri)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(submitted, StringComparer.Ordinal);
        foreach (var (name, query) in Input(uri).Values) values.TryAdd(name, query);
        return values;
    }
}
