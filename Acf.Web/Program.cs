using Acf.Modules;
using Acf.Modules.Isolation;
using Acf.Web;
using Acf.Web.Hosting;

ModuleWorker.RunIfWorker(args); // a module worker process (Acf:Modules:Isolation) serves its pipe and never gets past here
BrokerMode.RunIfBroker(args); // the broker process (Acf:Broker:Process = separate) serves its socket and never gets past here
var builder = WebApplication.CreateBuilder(args);
builder.AddAcfConfiguration();
builder.AddAcfModules();
builder.AddAcfWeb();

var app = builder.Build();
app.MapAcf();
app.Run();

/// <summary>The entry point, public so that WebApplicationFactory can start the app in tests.</summary>
public partial class Program;
