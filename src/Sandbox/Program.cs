using OneThing.Sandbox;

// dotnet run --project src/Sandbox                      hub + five simulators on loopback
// dotnet run --project src/Sandbox -- submit-sample     submit a sample application and watch it
return args.FirstOrDefault() switch
{
    "submit-sample" => await SampleClient.RunAsync(args[1..]),
    null or "run" => await SandboxRunner.RunAsync(args.Length > 0 ? args[1..] : args),
    "--help" or "-h" or "help" => Usage(),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        OneThing sandbox

          dotnet run --project src/Sandbox [-- run]
              Starts the hub (SQLite at ./data/onething.db) and the five department simulators on loopback.

          dotnet run --project src/Sandbox -- submit-sample [--theme luoyang|shaoguan|baotou|jieyang|jiangsu] [--person ready|...]
                                                            [--hub http://127.0.0.1:5100] [--control http://127.0.0.1:5109]
              Submits a sample application of a seed theme for a simulated person and watches every item finish.
              People: luoyang ready|no-licence|recent-licence|existing-card|no-employee-unit|insured-by-employer;
                      shaoguan ready|card-holder|no-employee-unit; baotou ready|no-certificate;
                      jieyang ready|employed|short-contribution; jiangsu ready|no-card.
        """);
    return 2;
}
