using Acf.Web;

// A module worker (Acf:Modules:Workers: module code runs only there) or the broker process (Acf:Broker:Process =
// separate) runs here and never gets past this line; their parts are internal to Acf.Modules and Acf.Broker.
ProcessModes.RunIfWorkerOrBroker(args);
var builder = WebApplication.CreateBuilder(args);
builder.AddAcfConfiguration();
builder.AddAcfModules();
builder.AddAcfWeb();

var app = builder.Build();
app.MapAcf();
app.Run();

/// <summary>The entry point, public so that WebApplicationFactory can start the app in tests.</summary>
public partial class Program;
