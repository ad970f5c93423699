using Acf.Modules;

// The broker (--acf-broker) or a module worker (--acf-worker), as the app starts them; nothing else.
ProcessModes.RunIfWorkerOrBroker(args);
Console.Error.WriteLine("acf-helper is started by Acf as its broker (--acf-broker) or a module worker (--acf-worker).");
return 2;
