using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OneThing.Simulators.Internal.Messaging;

/// <summary>The SMS gateway's and the message centre's HTTP/JSON APIs, on one port.</summary>
internal static class MessagingApi
{
    public static WebApplication Build(SimulatorOptions options, int port, MessagingSimulator simulator, TimeProvider time)
    {
        var builder = SimulatorHost.CreateBuilder(options, port, HttpProtocols.Http1);
        builder.Services.AddRouting();
        var app = builder.Build();
        var faultDraws = new Random(unchecked(options.Seed + 4111));

        async Task<IResult?> FaultAsync(HttpContext context)
        {
            var latency = simulator.Faults.Latency;
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, time, context.RequestAborted).ConfigureAwait(false);
            }

            var faults = simulator.Faults.Snapshot();
            bool draw;
            lock (faultDraws)
            {
                draw = faults.ErrorRate > 0 && faultDraws.NextDouble() < faults.ErrorRate;
            }

            return faults.Outage || (faults.OutageUntil is { } until && time.GetUtcNow() < until) || draw
                ? Results.Json(new { code = "SERVICE_UNAVAILABLE", message = "系统繁忙，请稍后重试" }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : null;
        }

        app.MapPost("/sms/v1/messages", async (SmsRequest request, HttpContext context) =>
        {
            if (await FaultAsync(context).ConfigureAwait(false) is { } fault)
            {
                return fault;
            }

            if (string.IsNullOrWhiteSpace(request.RequestId) || request.Phone is not { Length: 11 } || string.IsNullOrWhiteSpace(request.Content))
            {
                return Results.Json(new { code = "INVALID_PARAMETERS", message = "requestId、phone（11位手机号）和 content 均为必填" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var (id, replayed) = simulator.Deliver("sms", request.RequestId, request.Phone, request.SignName ?? string.Empty, request.Content);
            return Results.Json(new { code = "OK", bizId = id, replayed });
        });

        app.MapPost("/inbox/v1/messages", async (InboxRequest request, HttpContext context) =>
        {
            if (await FaultAsync(context).ConfigureAwait(false) is { } fault)
            {
                return fault;
            }

            if (string.IsNullOrWhiteSpace(request.RequestId) || string.IsNullOrWhiteSpace(request.UserId) || string.IsNullOrWhiteSpace(request.Content))
            {
                return Results.Json(new { code = "INVALID_PARAMETERS", message = "requestId、userId 和 content 均为必填" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var (id, replayed) = simulator.Deliver("in-app", request.RequestId, request.UserId, request.Title ?? string.Empty, request.Content);
            return Results.Json(new { code = "OK", messageId = id, replayed });
        });

        app.MapGet("/messages", () => Results.Json(simulator.Delivered));
        return app;
    }

    private sealed record SmsRequest(string? RequestId, string? Phone, string? SignName, string? Content);

    private sealed record InboxRequest(string? RequestId, string? UserId, string? Title, string? Content, string? Link);
}
