using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using OneThing.Hub.V1;

namespace OneThing.Sandbox.Cli;

/// <summary>
/// A scenario file for <c>onething submit --file</c>. Two shapes are accepted:
/// <list type="bullet">
/// <item>a scenario: a seed theme's sample application for a prepared person, with changes
/// (<c>theme</c>, <c>person</c>, optional <c>items</c>, <c>answers</c>, <c>fields</c>, <c>requestId</c>,
/// <c>description</c>; a <c>null</c> answer or field removes it). The person is resolved by the
/// simulators at submit time, so the file stays valid however the synthetic population's dates move;</item>
/// <item>the proto3 JSON of <c>onething.hub.v1.SubmitApplicationRequest</c> (an object with
/// <c>application</c> or <c>name</c>, and optionally <c>requestId</c>), sent as it is.</item>
/// </list>
/// </summary>
internal sealed record ScenarioFile(
    string? Theme,
    string? Person,
    List<string>? Items,
    Dictionary<string, string?>? Answers,
    Dictionary<string, string?>? Fields,
    string? RequestId,
    string? Description)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads <paramref name="path"/> and builds the request it describes.</summary>
    public static async Task<(SubmitApplicationRequest Request, string Description)> LoadAsync(
        string path, ControlApiClient control, CancellationToken cancellationToken)
    {
        var file = Locate(path);
        var text = await File.ReadAllTextAsync(file, cancellationToken);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Bad(file, $"not JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad(file, "the file must hold one JSON object");
        }

        if (root.TryGetProperty("application", out _) || root.TryGetProperty("name", out _))
        {
            return (ParseProto(file, text), $"{file} (SubmitApplicationRequest)");
        }

        ScenarioFile scenario;
        try
        {
            scenario = root.Deserialize<ScenarioFile>(Json) ?? throw Bad(file, "empty");
        }
        catch (JsonException e)
        {
            throw Bad(file, e.Message);
        }

        return await scenario.BuildAsync(file, control, cancellationToken);
    }

    private async Task<(SubmitApplicationRequest Request, string Description)> BuildAsync(
        string file, ControlApiClient control, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Theme) || string.IsNullOrWhiteSpace(Person))
        {
            throw Bad(file, "a scenario needs \"theme\" (one of " + string.Join(", ", SampleScenarios.Samples) + ") and \"person\" (a prepared person or an ID number of the synthetic population)");
        }

        var sample = SampleScenarios.SampleOf(Theme) ?? throw Bad(file, $"unknown theme '{Theme}'; the seed themes are {string.Join(", ", SampleScenarios.Samples)}");
        var person = Person.Length == 18 && Person[..17].All(char.IsAsciiDigit)
            ? await control.PersonAsync(Person, cancellationToken)
            : SampleScenarios.Find(await control.ScenariosAsync(cancellationToken), sample, Person)
                ?? throw Bad(file, $"no prepared person '{Person}' for {sample}; known: {string.Join(", ", SampleScenarios.People[sample])}");

        var application = SampleScenarios.Build(sample, person, await control.TodayAsync(cancellationToken));
        if (Items is not null)
        {
            application.SelectedItems.Clear();
            application.SelectedItems.Add(Items);
        }

        Merge(application.GuideAnswers, Answers);
        Merge(application.Fields, Fields);
        var request = new SubmitApplicationRequest { Application = application, RequestId = RequestId ?? Guid.NewGuid().ToString() };
        return (request, $"{file}: {Description ?? sample} — {person.Name} ({Person})");
    }

    private static SubmitApplicationRequest ParseProto(string file, string text)
    {
        SubmitApplicationRequest request;
        try
        {
            request = JsonParser.Default.Parse<SubmitApplicationRequest>(text);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Bad(file, e.Message);
        }
        catch (InvalidJsonException e)
        {
            throw Bad(file, e.Message);
        }

        if (request.RequestId.Length == 0)
        {
            request.RequestId = Guid.NewGuid().ToString();
        }

        return request;
    }

    private static void Merge(Google.Protobuf.Collections.MapField<string, string> target, Dictionary<string, string?>? changes)
    {
        foreach (var (key, value) in changes ?? [])
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value;
            }
        }
    }

    // A relative path is looked for where the command runs and above it (`dotnet run --project src/Sandbox`
    // runs in src/Sandbox, while the tester typed the path from the repository's root), then beside the
    // binaries, which carry the examples.
    private static string Locate(string path)
    {
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (!Path.IsPathRooted(path))
        {
            for (var directory = Directory.GetParent(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, path);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            var shipped = Path.Combine(AppContext.BaseDirectory, path);
            if (File.Exists(shipped))
            {
                return shipped;
            }

            shipped = Path.Combine(AppContext.BaseDirectory, "scenarios", Path.GetFileName(path));
            if (File.Exists(shipped))
            {
                return shipped;
            }
        }

        throw new CliException(ExitCodes.Usage, $"No scenario file '{path}' (examples: {Path.Combine(AppContext.BaseDirectory, "scenarios")}).");
    }

    private static CliException Bad(string file, string why) => new(ExitCodes.Usage, $"The scenario file {file} is not valid: {why}");
}
