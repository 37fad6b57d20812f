using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using OneThing.Hub.V1;
using OneThing.Tests.Support;

namespace OneThing.Tests.Http;

/// <summary>The OpenAPI document generated from the contracts, and the page that tries it, served by the running hub.</summary>
public sealed partial class OpenApiTests
{
    private static readonly ServiceDescriptor[] PublicServices =
    [
        CatalogService.Descriptor,
        ApplicationService.Descriptor,
        OperatorService.Descriptor,
        DepartmentCallbackService.Descriptor,
        MaterialService.Descriptor,
        RatingService.Descriptor,
        CertificateService.Descriptor,
        DeliveryService.Descriptor,
    ];

    [Fact]
    public async Task Document_ListsEveryPublicRpcWithItsPathVerbAndComment()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        using var http = HttpJson.Client(sandbox);

        var (status, document) = await HttpJson.SendAsync(http, HttpMethod.Get, "/openapi/v1.json", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Path: Normalize(path.Key), Verb: op.Key, Operation: op.Value!.AsObject())))
            .ToList();
        var methods = PublicServices.SelectMany(s => s.Methods).ToList();
        Assert.True(methods.Count >= 16, $"only {methods.Count} methods found in the descriptors");
        foreach (var method in methods)
        {
            var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
            if (rule is null && method.IsClientStreaming)
            {
                // A client-streaming upload cannot be transcoded to HTTP/JSON (its comment says so).
                continue;
            }

            Assert.True(rule is not null, $"{method.FullName} has no google.api.http rule");
            var (verb, template) = rule.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => ("get", rule.Get),
                HttpRule.PatternOneofCase.Post => ("post", rule.Post),
                HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
                HttpRule.PatternOneofCase.Put => ("put", rule.Put),
                HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
                _ => throw new InvalidOperationException($"{method.FullName}: unexpected rule {rule}"),
            };
            var expected = Normalize(PatternVariable().Replace(template, m => m.Groups["pattern"].Value));
            var found = operations.Where(o => o.Path == expected && o.Verb == verb).ToList();
            var operation = Assert.Single(found, o => (string?)o.Operation["operationId"] == $"{method.Service.Name}_{method.Name}").Operation;
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{method.FullName} has no summary from its proto comment");
            Assert.Contains("rror", (string?)operation["description"] ?? string.Empty, StringComparison.Ordinal);
            Assert.Equal("#/components/schemas/google.rpc.Status",
                (string?)operation["responses"]!["default"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        }
    }

    [Fact]
    public async Task Document_SchemasFollowTheProto3JsonMapping()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        using var http = HttpJson.Client(sandbox);

        var (_, document) = await HttpJson.SendAsync(http, HttpMethod.Get, "/openapi/v1.json", null);

        var schemas = document["components"]!["schemas"]!;
        var application = schemas["onething.hub.v1.Application"]!;
        var properties = application["properties"]!;
        Assert.Equal("array", (string?)properties["selectedItems"]!["type"]);
        Assert.Equal("object", (string?)properties["fields"]!["type"]);
        Assert.Equal("string", (string?)properties["fields"]!["additionalProperties"]!["type"]);
        Assert.Contains("STATE_COMPLETED", properties["state"]!["enum"]!.AsArray().Select(v => (string?)v));
        Assert.True((bool?)properties["state"]!["readOnly"]);
        Assert.Equal("string", (string?)properties["createTime"]!["type"]);
        Assert.Equal("date-time", (string?)properties["createTime"]!["format"]);
        Assert.Contains("theme", application["required"]!.AsArray().Select(v => (string?)v));
        Assert.False(string.IsNullOrEmpty((string?)application["description"]));
        Assert.Null(properties["selected_items"]);

        // ListWork is a GET: its Duration field is a query parameter written as a string ("300s").
        var listWork = document["paths"]!["/v1/work"]!["get"]!["parameters"]!.AsArray();
        var stuckAfter = listWork.Single(p => (string?)p!["name"] == "stuckAfter")!;
        Assert.Equal("query", (string?)stuckAfter["in"]);
        Assert.Equal("string", (string?)stuckAfter["schema"]!["type"]);

        var badRequest = schemas["google.rpc.BadRequest"]!["properties"]!["fieldViolations"]!;
        Assert.Equal("array", (string?)badRequest["type"]);
        Assert.NotNull(schemas["google.rpc.ErrorInfo"]);
    }

    [Fact]
    public async Task Page_IsServedAndPointsAtTheDocument()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        using var http = HttpJson.Client(sandbox);

        using var page = await http.GetAsync("/openapi/index.html", TestContext.Current.CancellationToken).Within();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within();
        Assert.Contains("swagger-ui", html, StringComparison.OrdinalIgnoreCase);

        using var redirect = await http.GetAsync("/openapi", TestContext.Current.CancellationToken).Within();
        Assert.Equal(HttpStatusCode.OK, redirect.StatusCode);
        Assert.EndsWith("/openapi/index.html", redirect.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);

        // The page's configuration names the generated document.
        using var config = await http.GetAsync("/openapi/index.js", TestContext.Current.CancellationToken).Within();
        var script = config.IsSuccessStatusCode ? await config.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within() : html;
        Assert.Contains("/openapi/v1.json", script + html, StringComparison.Ordinal);
    }

    // Every path parameter becomes "{}", so the document's names for them do not matter here.
    private static string Normalize(string path) => PathParameter().Replace(path, "{}").Replace("{}{}", "{}", StringComparison.Ordinal);

    [GeneratedRegex(@"\{[^}=]+=(?<pattern>[^}]+)\}")]
    private static partial Regex PatternVariable();

    [GeneratedRegex(@"\{[^}]*\}|\*\*|\*")]
    private static partial Regex PathParameter();
}
