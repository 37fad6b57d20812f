using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Http;
using OneThing.Tests.Support;

namespace OneThing.Tests.Security;

/// <summary>
/// The hub's limits through real gRPC and HTTP/JSON: floods from one caller are refused with a retry
/// delay while other callers are served, over-long values are all named at once, and an oversized
/// message is refused clearly without harming the next call.
/// </summary>
public sealed class LimitTests
{
    // A small budget so that a flood is a handful of calls: 3 at once, then one every 2 s.
    private static readonly Dictionary<string, string?> SmallBudgets = new()
    {
        ["Limits:RateLimit:Anonymous:PermitsPerSecond"] = "0.5",
        ["Limits:RateLimit:Anonymous:Burst"] = "3",
        ["Limits:RateLimit:Roles:operator:PermitsPerSecond"] = "0.5",
        ["Limits:RateLimit:Roles:operator:Burst"] = "3",
    };

    [Fact]
    public async Task Flood_FromOneCaller_RateLimitedWithRetryDelay_WhileAnotherCallerIsServed()
    {
        await using var sandbox = await HubSandbox.StartAsync(SmallBudgets).Within();
        var flooder = sandbox.ClientsAs(sandbox.Identity.Operator("op-flood")).Catalog;
        var other = sandbox.ClientsAs(sandbox.Identity.Operator("op-other")).Catalog;

        var refusals = new List<RpcException>();
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await flooder.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
            }
            catch (RpcException e)
            {
                refusals.Add(e);
            }
        }

        // The burst is served, the rest refused (a token comes back every 2 s) with a readable reason and a delay to wait.
        Assert.InRange(refusals.Count, 3, 7);
        var refused = refusals[0];
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("请求过于频繁", refused.Status.Detail, StringComparison.Ordinal);
        var status = refused.GetRpcStatus() ?? throw new InvalidOperationException("no google.rpc.Status");
        var info = status.GetDetail<ErrorInfo>();
        Assert.Equal("RATE_LIMITED", info.Reason);
        Assert.Equal("onething.gov.cn", info.Domain);
        var retry = status.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(3));

        // Another caller is served meanwhile, every call of its own burst, while the flooder still waits.
        for (var i = 0; i < 3; i++)
        {
            var themes = await other.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
            Assert.NotEmpty(themes.Themes);
        }

        var still = new List<StatusCode>();
        for (var i = 0; i < 3; i++)
        {
            still.Add(await CodeOf(() => flooder.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within()));
        }

        Assert.Contains(StatusCode.ResourceExhausted, still);

        // Health probes are never limited, however often they come.
        var health = new Grpc.Health.V1.Health.HealthClient(sandbox.Channel);
        for (var i = 0; i < 10; i++)
        {
            await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), Bounded.Options).Within();
        }

        // Once the delay has passed, the flooder is served again.
        await Task.Delay(retry.RetryDelay.ToTimeSpan() + TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken).Within();
        await flooder.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
    }

    [Fact]
    public async Task Flood_FromOneAnonymousPeer_LimitedByAddress_AnotherAddressServed()
    {
        await using var sandbox = await HubSandbox.StartAsync(SmallBudgets).Within();
        using var first = ChannelFrom(sandbox, IPAddress.Parse("127.0.0.1"));
        using var second = ChannelFrom(sandbox, IPAddress.Parse("127.0.0.2"));
        var flooder = new CatalogService.CatalogServiceClient(first);
        var other = new CatalogService.CatalogServiceClient(second);

        var codes = new List<StatusCode>();
        for (var i = 0; i < 6; i++)
        {
            codes.Add(await CodeOf(() => flooder.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within()));
        }

        Assert.All(codes.Take(3), c => Assert.Equal(StatusCode.OK, c));
        Assert.Contains(StatusCode.ResourceExhausted, codes.Skip(3));
        Assert.Equal(StatusCode.OK, await CodeOf(() => other.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within()));
    }

    [Fact]
    public async Task HttpJsonFlood_Gets429WithRetryAfterAndStatusJson()
    {
        await using var sandbox = await HubSandbox.StartAsync(SmallBudgets).Within();
        using var http = HttpJson.Client(sandbox);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Identity.Operator("op-http"));

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 8 && refused is null; i++)
        {
            var response = await http.GetAsync("/v1/themes", TestContext.Current.CancellationToken).Within();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("no Retry-After");
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within())!;
            Assert.Equal(8, (int)body["code"]!);
            Assert.Contains("请求过于频繁", (string)body["message"]!, StringComparison.Ordinal);
            var details = body["details"]!.AsArray();
            Assert.Contains(details, d => (string?)d!["reason"] == "RATE_LIMITED" && (string?)d["domain"] == "onething.gov.cn");
            Assert.Contains(details, d => ((string?)d!["@type"])?.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) == true && d["retryDelay"] is not null);
        }

        // The OpenAPI document stays reachable to another (anonymous) caller.
        using var anonymous = HttpJson.Client(sandbox);
        using var document = await anonymous.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken).Within();
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task OverLongValues_AllNamedAtOnce_WithTheirMaximum()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var application = SampleApplications.Luoyang(person, sandbox.Today);
        application.Applicant.Name = new string('张', 51);
        application.Applicant.Residence.Detail = new string('路', 201);
        application.Fields["licence.name"] = new string('店', 101);
        application.PaymentAccount.BankName = new string('行', 51);
        application.Delivery.Recipient = new string('李', 51);
        application.GuideAnswers["q.long"] = new string('答', 201);

        // Submission names every over-long value, each with its maximum.
        var (code, info, violations) = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));
        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal("APPLICATION_INVALID", info.Reason);
        var expected = new Dictionary<string, int>
        {
            ["applicant.name"] = 50,
            ["applicant.residence.detail"] = 200,
            ["fields[licence.name]"] = 100,
            ["payment_account.bank_name"] = 50,
            ["delivery.recipient"] = 50,
            ["guide_answers[q.long]"] = 200,
        };
        foreach (var (field, max) in expected)
        {
            var violation = Assert.Single(violations, v => v.Field == field && v.Reason == "TOO_LONG");
            Assert.Contains($"不能超过{max}个字符", violation.Description, StringComparison.Ordinal);
        }

        // A draft may be incomplete, never oversized: the same values are refused at once.
        var draft = await Assert.ThrowsAsync<RpcException>(async () => await sandbox.Applications.CreateApplicationAsync(
            new CreateApplicationRequest { Application = application, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).Within());
        Assert.Equal(StatusCode.InvalidArgument, draft.StatusCode);
        var draftFields = draft.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Superset(expected.Keys.ToHashSet(), draftFields);
    }

    [Fact]
    public async Task AbsurdValues_RefusedAtTheGate_EveryFieldNamed_NothingEchoedInFull()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var longKey = new string('k', 5000);
        var request = new ListApplicationsRequest { PageToken = new string('t', 2001), Theme = new string('x', 3000) };

        var (code, info, violations) = await RichErrors.FailureOf(() => sandbox.Applications.ListApplicationsAsync(request, Bounded.Options).Within());
        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal("REQUEST_INVALID", info.Reason);
        Assert.Equal(new[] { "page_token", "theme" }, violations.Select(v => v.Field).Order(StringComparer.Ordinal));
        Assert.All(violations, v =>
        {
            Assert.Equal("TOO_LONG", v.Reason);
            Assert.Contains("不能超过2000个字符", v.Description, StringComparison.Ordinal);
        });

        // A map with an absurd key and too many entries: the key is named cut short.
        var guide = new EvaluateGuideRequest { Theme = SampleApplications.LuoyangTheme };
        guide.Answers[longKey] = "yes";
        for (var i = 0; i < 200; i++)
        {
            guide.Answers[$"q{i}"] = "yes";
        }

        var (guideCode, _, guideViolations) = await RichErrors.FailureOf(() => sandbox.Catalog.EvaluateGuideAsync(guide, Bounded.Options).Within());
        Assert.Equal(StatusCode.InvalidArgument, guideCode);
        Assert.Contains(guideViolations, v => v.Field == "answers" && v.Reason == "TOO_MANY" && v.Description.Contains("200", StringComparison.Ordinal));
        var key = Assert.Single(guideViolations, v => v.Reason == "TOO_LONG");
        Assert.True(key.Field.Length < 100, key.Field);
        Assert.Contains("不能超过100个字符", key.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedGrpcMessage_RefusedClearly_NextCallServed()
    {
        await using var sandbox = await HubSandbox.StartAsync(new() { ["Limits:MaxMessageBytes"] = "65536" }).Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var application = SampleApplications.Luoyang(person, sandbox.Today);
        for (var i = 0; i < 100; i++)
        {
            application.Fields[$"padding.{i}"] = new string('x', 1000);
        }

        var e = await Assert.ThrowsAsync<RpcException>(async () => await sandbox.Applications.ValidateApplicationAsync(
            new ValidateApplicationRequest { Application = application }, Bounded.Options).Within());
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("请求内容过大", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("64KB", e.Status.Detail, StringComparison.Ordinal);
        var info = e.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("MESSAGE_TOO_LARGE", info.Reason);
        Assert.Equal("65536", info.Metadata["max_bytes"]);

        // The same channel serves the next, normal call.
        var valid = await sandbox.Applications.ValidateApplicationAsync(
            new ValidateApplicationRequest { Application = SampleApplications.Luoyang(person, sandbox.Today) }, Bounded.Options).Within();
        Assert.NotNull(valid);
    }

    [Fact]
    public async Task OversizedHttpJsonBody_Refused413WithStatusJson_NextCallServed()
    {
        await using var sandbox = await HubSandbox.StartAsync(new() { ["Limits:MaxMessageBytes"] = "65536" }).Within();
        using var http = HttpJson.Client(sandbox);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Identity.Applicant(sandbox.Simulators.Population.Scenarios.Ready.IdNumber));
        var padding = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"padding.{i}\":\"{new string('x', 1000)}\""));
        var json = $$"""{ "application": { "theme": "{{SampleApplications.LuoyangTheme}}", "fields": { {{padding}} } } }""";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/applications:validate")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken).Within();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within())!;
        Assert.Equal(8, (int)body["code"]!);
        Assert.Contains("请求内容过大", (string)body["message"]!, StringComparison.Ordinal);
        Assert.Contains(body["details"]!.AsArray(), d => (string?)d!["reason"] == "MESSAGE_TOO_LARGE");

        // A body sent without a declared length (chunked) is cut off at the limit and refused as clearly.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/applications:validate")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await http.SendAsync(chunked, TestContext.Current.CancellationToken).Within();
        var chunkedText = await chunkedResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within();
        Assert.True(chunkedResponse.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)chunkedResponse.StatusCode}: {chunkedText}");
        var chunkedBody = JsonNode.Parse(chunkedText)!;
        Assert.Equal(8, (int)chunkedBody["code"]!);
        Assert.Contains(chunkedBody["details"]!.AsArray(), d => (string?)d!["reason"] == "MESSAGE_TOO_LARGE");

        using var next = await http.GetAsync("/v1/themes", TestContext.Current.CancellationToken).Within();
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public void CheckLengths_DraftContent_EveryOverLongValueAndOverfullListNamed()
    {
        var content = new OneThing.Hub.Domain.Applications.ApplicationContent(
            new OneThing.Hub.Domain.Applications.ApplicantInfo(new string('张', 51), OneThing.Hub.Domain.Applications.Sex.Male, "汉族",
                OneThing.Hub.Domain.Applications.IdDocumentKind.ResidentId, new string('1', 31), new string('1', 21),
                new OneThing.Hub.Domain.Applications.AddressInfo("410302", new string('路', 201))),
            Enumerable.Range(0, 101).Select(i => $"item.{i}").ToList(),
            new Dictionary<string, string> { ["free.text"] = new string('x', 201), [new string('k', 101)] = "v" },
            new OneThing.Hub.Domain.Applications.PaymentAccountInfo(new string('行', 51), new string('6', 33)),
            null,
            null,
            Filing: new OneThing.Hub.Domain.Applications.ClerkFiling("clerk-1", "centre", OneThing.Hub.Domain.Applications.FilingAuthorization.Written, new string('R', 65), "王五"));

        var violations = OneThing.Hub.Domain.Validation.ApplicationValidator.CheckLengths(theme: null, content);

        var fields = violations.Select(v => v.Field).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "applicant.name", "applicant.id_document.number", "applicant.mobile", "applicant.residence.detail",
                "selected_items", "fields[free.text]", "payment_account.bank_name", "payment_account.account_number",
                "filing.authorization_reference",
            },
            fields);
        Assert.Contains(violations, v => v.Field.StartsWith("fields[kkkk", StringComparison.Ordinal) && v.Field.Length < 60);
        Assert.Contains(violations, v => v.Field == "selected_items" && v.Reason == "TOO_MANY" && v.Description.Contains("100项", StringComparison.Ordinal));
        Assert.All(violations, v => Assert.Matches(@"不能超过\d+(个字符|项)", v.Description));
    }

    private static async Task<StatusCode> CodeOf<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    // A gRPC channel whose connections leave from a given loopback address: a second peer for the hub.
    private static GrpcChannel ChannelFrom(HubSandbox sandbox, IPAddress local) =>
        GrpcChannel.ForAddress(sandbox.HubAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
            DisposeHttpClient = true,
        });
}
