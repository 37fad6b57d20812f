using OneThing.Hub.Hosting;

// The hub on its own: adapters reach the department systems configured under "Departments".
// For the whole sandbox (hub + five simulators) run src/Sandbox instead.
var app = HubHost.Build(args);
await app.RunAsync();
