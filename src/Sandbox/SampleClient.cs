using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using OneThing.Hub.V1;
using OneThing.Simulators;

namespace OneThing.Sandbox;

/// <summary>Submits a sample application to a running sandbox and prints every item's progress.</summary>
public static class SampleClient
{
    /// <summary>Runs the client.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var hub = Option(args, "--hub") ?? SandboxRunner.HubUrl;
        var control = Option(args, "--control") ?? "http://127.0.0.1:5109";
        var theme = Option(args, "--theme") ?? "luoyang";
        var who = Option(args, "--person") ?? "ready";

        using var http = new HttpClient { BaseAddress = new Uri(control), Timeout = TimeSpan.FromSeconds(10) };
        var scenarios = await http.GetFromJsonAsync<ScenarioPeople>("population/scenarios", new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("the simulators returned no scenario people");
        var person = (theme, who) switch
        {
            ("luoyang", "ready") => scenarios.Ready,
            ("luoyang", "no-licence") => scenarios.NoLicence,
            ("luoyang", "recent-licence") => scenarios.RecentLicence,
            ("luoyang", "existing-card") => scenarios.ExistingCard,
            ("luoyang", "no-employee-unit") => scenarios.NoEmployeeUnit,
            ("luoyang", "insured-by-employer") => scenarios.InsuredByEmployer,
            ("shaoguan", "ready") => scenarios.ShaoguanNoCard,
            ("shaoguan", "card-holder") => scenarios.ShaoguanReady,
            ("shaoguan", "no-employee-unit") => scenarios.ShaoguanNoEmployeeUnit,
            ("baotou", "ready") => scenarios.BaotouReady,
            ("baotou", "no-certificate") => scenarios.BaotouNoCertificate,
            ("jieyang", "ready") => scenarios.JieyangUnemployed,
            ("jieyang", "employed") => scenarios.JieyangEmployed,
            ("jieyang", "short-contribution") => scenarios.JieyangShortContribution,
            ("jiangsu", "ready") => scenarios.JiangsuStudent,
            ("jiangsu", "no-card") => scenarios.JiangsuStudentNoCard,
            _ => throw new ArgumentException($"unknown person '{who}' for theme '{theme}'"),
        };

        using var channel = GrpcChannel.ForAddress(hub);
        var client = new ApplicationService.ApplicationServiceClient(channel);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
        var application = theme switch
        {
            "luoyang" => SampleApplications.Luoyang(person, today),
            "shaoguan" => SampleApplications.Shaoguan(person, today),
            "baotou" => SampleApplications.Baotou(person, today),
            "jieyang" => SampleApplications.Jieyang(person, today),
            "jiangsu" => SampleApplications.Jiangsu(person, today.Month >= 9 ? today.Year + 1 : today.Year, today),
            _ => throw new ArgumentException($"unknown theme '{theme}'"),
        };
        Console.WriteLine($"Submitting {application.Theme} for {person.Name} ({who}) to {hub} ...");
        Application submitted;
        try
        {
            submitted = await client.SubmitApplicationAsync(
                new SubmitApplicationRequest { Application = application, RequestId = Guid.NewGuid().ToString() },
                deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(30));
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"Refused: {e.Status.StatusCode} {e.Status.Detail}");
            var status = e.GetRpcStatus();
            foreach (var violation in status?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations ?? [])
            {
                Console.Error.WriteLine($"  {violation.Field}: {violation.Description} ({violation.Reason})");
            }

            foreach (var (key, value) in status?.GetDetail<Google.Rpc.ErrorInfo>()?.Metadata ?? [])
            {
                Console.Error.WriteLine($"  {key} = {value}");
            }

            return 1;
        }

        Console.WriteLine($"Accepted as {submitted.Name}; watching ...");
        using var watch = client.WatchApplication(new WatchApplicationRequest { Name = submitted.Name }, deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(5));
        var seen = new Dictionary<string, string>();
        await foreach (var update in watch.ResponseStream.ReadAllAsync())
        {
            foreach (var item in update.Items)
            {
                var line = $"{item.StatusText,-10} {item.Title}" +
                    (item.CaseNumber.Length > 0 ? $"  case {item.CaseNumber}" : string.Empty) +
                    (item.Result.Count > 0 ? "  " + string.Join(", ", item.Result.Select(r => $"{r.Key}={r.Value}")) : string.Empty) +
                    (item.Reasons.Count > 0 ? "  " + string.Join("；", item.Reasons.Select(r => r.Message)) : string.Empty) +
                    (item.LastError.Length > 0 ? $"  (retrying: {item.LastError})" : string.Empty);
                if (!seen.TryGetValue(item.ItemCode, out var previous) || previous != line)
                {
                    seen[item.ItemCode] = line;
                    Console.WriteLine($"  {line}");
                }
            }

            if (update.State == Application.Types.State.Completed)
            {
                Console.WriteLine($"Application {update.Name}: every item is final (due {update.DueDate}).");
                return 0;
            }
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
