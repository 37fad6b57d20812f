using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OneThing.Simulators.Internal.Market;

/// <summary>The market regulation registry's REST/JSON API (protos/departments/market/v1/openapi.yaml).</summary>
internal static class MarketRegulationApi
{
    private const string BasePath = "/api/market/v1";

    /// <summary>camelCase, nulls left out, Chinese written as is (not \u-escaped) so curl output stays readable.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static WebApplication Build(SimulatorOptions options, int port, DepartmentSimulator simulator, MarketRegistry registry)
    {
        // HTTP/1.1 only: Kestrel cannot serve HTTP/2 without TLS on an endpoint that also serves HTTP/1.1
        // (it would log a warning and fall back to HTTP/1.1 anyway), and the simulators speak plain http.
        var builder = SimulatorHost.CreateBuilder(options, port, HttpProtocols.Http1);
        builder.Services.AddRouting();
        var app = builder.Build();

        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(BasePath, StringComparison.Ordinal))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (await simulator.ApplyFaultsAsync(context.RequestAborted).ConfigureAwait(false) != FaultVerdict.None)
            {
                await WriteAsync(context, new MarketAnswer(
                    StatusCodes.Status503ServiceUnavailable, new MarketError("SERVICE_UNAVAILABLE", "系统维护中，请稍后重试"))).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.MapPost(BasePath + "/licence-verifications", async context =>
        {
            var key = context.Request.Headers["Idempotency-Key"].ToString().Trim();
            var request = await ReadBodyAsync(context).ConfigureAwait(false);
            var summary = $"uscc={request?.Uscc} entityName={request?.EntityName} holderIdNumber={request?.HolderIdNumber}";
            var answer = simulator.Process("verifyLicence", key, request?.Uscc ?? string.Empty, summary, () => registry.Verify(key, request), out var replayed);
            if (replayed)
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
            }

            await WriteAsync(context, answer).ConfigureAwait(false);
        });

        app.MapGet(BasePath + "/licences/{uscc}", async context =>
        {
            var uscc = context.Request.RouteValues["uscc"] as string ?? string.Empty;
            var answer = simulator.Query("getLicence", $"uscc={uscc}", () => registry.GetLicence(uscc));
            await WriteAsync(context, answer).ConfigureAwait(false);
        });

        app.MapGet(BasePath + "/licences", async context =>
        {
            var holder = context.Request.Query["holderIdNumber"].ToString();
            var answer = simulator.Query("findLicencesByHolder", $"holderIdNumber={holder}", () => registry.FindByHolder(holder));
            await WriteAsync(context, answer).ConfigureAwait(false);
        });

        app.MapFallback(context => WriteAsync(context, new MarketAnswer(
            StatusCodes.Status404NotFound, new MarketError("NOT_FOUND", "请求的接口不存在"))));
        return app;
    }

    private static async Task<VerificationRequest?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<VerificationRequest>(context.Request.Body, Json, context.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // A body that is not JSON is answered as a malformed request (400), not as a server error.
            return null;
        }
    }

    private static Task WriteAsync(HttpContext context, MarketAnswer answer)
    {
        context.Response.StatusCode = answer.StatusCode;
        return context.Response.WriteAsJsonAsync(answer.Body, answer.Body.GetType(), Json, "application/json; charset=utf-8", context.RequestAborted);
    }
}
