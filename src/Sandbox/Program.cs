using OneThing.Sandbox.Cli;

// onething (dotnet run --project src/Sandbox [-- <command>]): with no command, the hub and the five
// department simulators on loopback; `onething --help` lists the testers' commands.
return await OnethingCli.MainAsync(args);
