using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace OneThing.WebConsole.Internal;

/// <summary>Call options for the hub (a deadline from the injected clock, the page's cancellation) and readers of its errors.</summary>
public sealed partial class HubCalls(IOptions<HubOptions> options, TimeProvider time, ILogger<HubCalls> logger)
{
    /// <summary>Options for one call made while serving a request.</summary>
    public CallOptions Options(CancellationToken cancellationToken, Metadata? headers = null) =>
        new(headers: headers, deadline: time.GetUtcNow().UtcDateTime.Add(options.Value.CallTimeout), cancellationToken: cancellationToken);

    /// <summary>Today in China (UTC+8) by the injected clock.</summary>
    public DateOnly TodayInChina => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(ChinaTime.Offset).DateTime);

    /// <summary>Every field violation the hub listed in the error's google.rpc.BadRequest (empty when none).</summary>
    public static IReadOnlyList<Violation> ViolationsOf(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations
            .Select(v => new Violation(v.Field, v.Reason, v.Description))
            .ToList() ?? [];

    /// <summary>The error's stable reason (google.rpc.ErrorInfo), or the status code's name when the hub sent none.</summary>
    public static string ReasonOf(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason is { Length: > 0 } reason ? reason : error.StatusCode.ToString();

    /// <summary>A sentence a clerk or operator can read about a failed call, with its stable reason.</summary>
    public string Describe(RpcException error, string what)
    {
        LogHubCallFailed(logger, what, error.StatusCode, ReasonOf(error));
        var detail = error.Status.Detail;
        return error.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"暂时无法连接受理中心（{what}），请稍后重试",
            _ when detail.Length > 0 => detail,
            _ => $"{what}失败",
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub call {What} failed: {StatusCode} {Reason}")]
    private static partial void LogHubCallFailed(ILogger logger, string what, StatusCode statusCode, string reason);
}

/// <summary>One problem with one field: the hub's path, a stable reason code and a description in Chinese.</summary>
/// <param name="Field">The field's path as the hub names it, e.g. <c>fields[licence.uscc]</c>.</param>
/// <param name="Reason">The stable reason code, e.g. <c>INVALID_USCC</c>.</param>
/// <param name="Description">What the clerk reads.</param>
public sealed record Violation(string Field, string Reason, string Description);
