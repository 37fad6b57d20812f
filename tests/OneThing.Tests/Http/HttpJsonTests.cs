using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Http;

/// <summary>
/// The hub's gRPC services as plain HTTP/JSON (gRPC JSON transcoding), through real HTTP on loopback:
/// the JSON a curl user writes, AIP paths and custom verbs, and errors as google.rpc.Status JSON.
/// </summary>
public sealed class HttpJsonTests
{
    private static readonly TimeSpan CompletionBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CreateSubmitGet_HandWrittenJson_LuoyangItemsReachFinalStates()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        using var http = HttpJson.Client(sandbox, token: sandbox.Identity.Applicant(person.IdNumber));
        var requestId = Guid.NewGuid().ToString();

        // A draft, as a curl user writes it: lowerCamelCase names, enums by name, a map of form fields.
        var draftJson = $$"""
            {
              "theme": "themes/luoyang.personal-startup",
              "applicant": {
                "name": "{{person.Name}}",
                "sex": "{{(person.Sex == "1" ? "SEX_MALE" : "SEX_FEMALE")}}",
                "ethnicity": "{{person.Ethnicity}}",
                "idDocument": { "type": "ID_DOCUMENT_TYPE_RESIDENT_ID", "number": "{{person.IdNumber}}" },
                "mobile": "{{person.Mobile}}",
                "residence": { "divisionCode": "{{person.ResidenceDivisionCode}}", "detail": "{{person.ResidenceAddress}}" }
              },
              "selectedItems": [
                "market.licence-verification", "tax.taxpayer-confirmation", "hr.employment-certificate",
                "si.flexible-pension-registration", "hr.startup-subsidy", "sscard.card-application"
              ],
              "fields": {
                "licence.name": "{{person.LicenceName}}",
                "licence.uscc": "{{person.LicenceUscc}}",
                "subsidy.category": "{{person.SubsidyCategory ?? "recent-graduate"}}",
                "pension.contribution_base": "4500.00",
                "card.photo_receipt_no": "{{person.PhotoReceiptNo}}",
                "card.pickup": "post"
              },
              "paymentAccount": { "bankName": "{{person.BankName}}", "accountNumber": "{{person.AccountNumber}}" },
              "delivery": {
                "method": "DELIVERY_METHOD_MAIL",
                "address": { "divisionCode": "{{person.ResidenceDivisionCode}}", "detail": "{{person.ResidenceAddress}}" },
                "recipient": "{{person.Name}}",
                "recipientMobile": "{{person.Mobile}}"
              },
              "pledge": { "accepted": true, "signedDate": "{{sandbox.Today:yyyy-MM-dd}}" }
            }
            """;

        var (createStatus, draft) = await HttpJson.SendAsync(http, HttpMethod.Post, $"/v1/applications?requestId={requestId}", draftJson);
        Assert.Equal(HttpStatusCode.OK, createStatus);
        Assert.Equal("STATE_DRAFT", (string?)draft["state"]);
        var name = (string)draft["name"]!;
        Assert.StartsWith("applications/", name, StringComparison.Ordinal);
        Assert.Equal(6, draft["selectedItems"]!.AsArray().Count);

        // A repeated create with the same request id returns the first draft.
        var (_, again) = await HttpJson.SendAsync(http, HttpMethod.Post, $"/v1/applications?requestId={requestId}", draftJson);
        Assert.Equal(name, (string?)again["name"]);

        var (submitStatus, submitted) = await HttpJson.SendAsync(http, HttpMethod.Post, "/v1/applications:submit",
            $$"""{ "name": "{{name}}", "requestId": "{{Guid.NewGuid()}}" }""");
        Assert.Equal(HttpStatusCode.OK, submitStatus);
        Assert.Equal("STATE_IN_PROGRESS", (string?)submitted["state"]);
        Assert.Equal(6, submitted["items"]!.AsArray().Count);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", (string)submitted["submitTime"]!);

        var id = name["applications/".Length..];
        var done = await PollUntilCompletedAsync(http, $"/v1/applications/{id}");
        foreach (var item in done["items"]!.AsArray())
        {
            Assert.Equal("STATE_SUCCEEDED", (string?)item!["state"]);
            Assert.False(string.IsNullOrEmpty((string?)item["caseNumber"]), $"{item["itemCode"]} has no case number");
        }

        var items = done["items"]!.AsArray().ToDictionary(i => (string)i!["itemCode"]!);
        Assert.Equal(person.LicenceUscc, (string?)items["market.licence-verification"]!["result"]!["uscc"]);
        Assert.Equal("5000.00", (string?)items["hr.startup-subsidy"]!["result"]!["amount"]);
    }

    [Fact]
    public async Task SubmitInline_SampleAsJson_WatchStreamsJsonUntilComplete()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        using var http = HttpJson.Client(sandbox, token: sandbox.Identity.Applicant(person.IdNumber));
        var application = SampleApplications.Luoyang(person, sandbox.Today);
        var body = new JsonObject
        {
            ["application"] = JsonNode.Parse(JsonFormatter.Default.Format(application)),
            ["requestId"] = Guid.NewGuid().ToString(),
        };

        var (status, submitted) = await HttpJson.SendAsync(http, HttpMethod.Post, "/v1/applications:submit", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        var id = ((string)submitted["name"]!)["applications/".Length..];

        // Server streaming over HTTP: one JSON object after another, the last with every item final.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(CompletionBound);
        using var response = await http.GetAsync($"/v1/applications/{id}:watch", HttpCompletionOption.ResponseHeadersRead, cts.Token).Within();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token).Within();
        var updates = 0;
        JsonNode? last = null;
        await foreach (var update in System.Text.Json.JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(stream, topLevelValues: true, cancellationToken: cts.Token))
        {
            updates++;
            last = update;
            if ((string?)update?["state"] == "STATE_COMPLETED")
            {
                break;
            }
        }

        Assert.NotNull(last);
        Assert.Equal("STATE_COMPLETED", (string?)last["state"]);
        Assert.True(updates >= 2, $"only {updates} update(s) streamed");
        Assert.All(last["items"]!.AsArray(), item => Assert.Equal("STATE_SUCCEEDED", (string?)item!["state"]));
    }

    [Fact]
    public async Task Submit_InvalidJsonApplication_Http400WithStatusListingEveryViolation()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        using var http = HttpJson.Client(sandbox, token: sandbox.Identity.Applicant(person.IdNumber));
        var id = person.IdNumber;
        var wrongCheck = id[..17] + (id[17] == '0' ? '1' : '0');
        var json = $$"""
            {
              "requestId": "{{Guid.NewGuid()}}",
              "application": {
                "theme": "themes/luoyang.personal-startup",
                "applicant": {
                  "name": "{{person.Name}}",
                  "sex": "SEX_MALE",
                  "idDocument": { "type": "ID_DOCUMENT_TYPE_RESIDENT_ID", "number": "{{wrongCheck}}" },
                  "mobile": "12345"
                },
                "selectedItems": [ "tax.taxpayer-confirmation", "no.such-item" ],
                "fields": { "licence.uscc": "not-a-uscc", "pension.contribution_base": "100.00", "no.such.field": "x" },
                "pledge": { "accepted": false }
              }
            }
            """;

        var (status, error, contentType) = await HttpJson.SendWithTypeAsync(http, HttpMethod.Post, "/v1/applications:submit", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal((int)StatusCode.InvalidArgument, (int)error["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        var details = error["details"]!.AsArray();
        var info = details.Single(d => (string?)d!["@type"] == "type.googleapis.com/google.rpc.ErrorInfo")!;
        Assert.Equal("APPLICATION_INVALID", (string?)info["reason"]);
        Assert.Equal("onething.gov.cn", (string?)info["domain"]);
        var badRequest = details.Single(d => (string?)d!["@type"] == "type.googleapis.com/google.rpc.BadRequest")!;
        var violations = badRequest["fieldViolations"]!.AsArray()
            .Select(v => (Field: (string)v!["field"]!, Reason: (string)v["reason"]!, Description: (string)v["description"]!))
            .ToList();
        Assert.All(violations, v =>
        {
            Assert.False(string.IsNullOrEmpty(v.Reason));
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", v.Description);
        });
        var byField = violations.ToLookup(v => v.Field);
        Assert.Equal("INVALID_RESIDENT_ID", Assert.Single(byField["applicant.id_document.number"]).Reason);
        Assert.Equal("INVALID_MOBILE", Assert.Single(byField["applicant.mobile"]).Reason);
        Assert.Equal("PLEDGE_NOT_ACCEPTED", Assert.Single(byField["pledge.accepted"]).Reason);
        Assert.Contains(violations, v => v.Reason == "UNKNOWN_ITEM");
        Assert.Contains(violations, v => v.Reason == "UNKNOWN_FIELD");

        // Exactly the violations gRPC reports for the same request: every one, none lost on the way.
        var request = JsonParser.Default.Parse<SubmitApplicationRequest>(json);
        var (_, _, grpcViolations) = await RichErrors.FailureOf(() => sandbox.Applications.SubmitApplicationAsync(request, Bounded.Options).ResponseAsync);
        Assert.Equal(
            grpcViolations.Select(v => (v.Field, v.Reason, v.Description)).Order(),
            violations.Order());
    }

    [Fact]
    public async Task Get_UnknownApplication_Http404WithErrorInfo()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        // An operator is told the application does not exist; an applicant is told only that it is not theirs.
        using var http = HttpJson.Client(sandbox, token: sandbox.Identity.Operator("op-1"));

        var (status, error, _) = await HttpJson.SendWithTypeAsync(http, HttpMethod.Get, "/v1/applications/0123456789abcdef0123456789abcdef", null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal((int)StatusCode.NotFound, (int)error["code"]!);
        var info = error["details"]!.AsArray().Single(d => (string?)d!["@type"] == "type.googleapis.com/google.rpc.ErrorInfo")!;
        Assert.Equal("onething.gov.cn", (string?)info["domain"]);
        Assert.False(string.IsNullOrEmpty((string?)info["reason"]));
    }

    [Fact]
    public async Task OnePort_ServesJsonOverHttp1AndHttp2AndGrpc()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using var http = HttpJson.Client(sandbox, version);
            using var response = await http.GetAsync("/v1/themes", TestContext.Current.CancellationToken).Within();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within())!;
            Assert.Contains(body["themes"]!.AsArray(), t => (string?)t!["name"] == SampleApplications.LuoyangTheme);
        }

        // gRPC (HTTP/2 with prior knowledge) on the same port.
        var themes = await sandbox.Catalog.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
        Assert.Contains(themes.Themes, t => t.Name == SampleApplications.LuoyangTheme);
    }

    private static async Task<JsonNode> PollUntilCompletedAsync(HttpClient http, string path)
    {
        var until = DateTime.UtcNow + CompletionBound;
        while (true)
        {
            var (status, application) = await HttpJson.SendAsync(http, HttpMethod.Get, path, null);
            Assert.Equal(HttpStatusCode.OK, status);
            if ((string?)application["state"] == "STATE_COMPLETED")
            {
                return application;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{path} did not complete: {application.ToJsonString()}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>Plain HTTP/JSON calls to the hub, as a curl user makes them.</summary>
internal static class HttpJson
{
    /// <summary>A client for the hub's address speaking <paramref name="version"/> (HTTP/1.1 by default; HTTP/2 with prior knowledge).</summary>
    public static HttpClient Client(HubSandbox sandbox, Version? version = null, string? token = null)
    {
        var http = new HttpClient
        {
            BaseAddress = sandbox.HubAddress,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Bounded.Default,
        };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>Sends a request with an optional JSON body and parses the JSON answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        var (status, body, _) = await SendWithTypeAsync(http, method, path, json);
        return (status, body);
    }

    /// <summary>Sends a request and returns the status, the parsed JSON answer and its media type.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body, string? MediaType)> SendWithTypeAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken).Within();
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within();
        var body = JsonNode.Parse(text) ?? throw new InvalidOperationException($"{method} {path}: no JSON in the answer");
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }
}
