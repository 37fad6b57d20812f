using OneThing.WebConsole;

// dotnet run --project src/WebConsole   (Hub:Address defaults to http://127.0.0.1:5100)
var app = WebConsoleHost.Build(args);
await app.RunAsync();
