namespace Acf.Tests.Web;

/// <summary>One app for a whole test class (a class fixture), for classes whose tests leave nothing another test
/// depends on; a class that needs users or settings first derives from it and adds them in its constructor.</summary>
public class SharedApp : IDisposable
{
    public AcfAppFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
