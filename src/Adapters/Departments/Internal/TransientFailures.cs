using Grpc.Core;
using Polly.Timeout;

namespace OneThing.Adapters.Internal;

/// <summary>
/// Which failures are worth another attempt. Business answers never reach these predicates as
/// failures: the adapters map them to outcomes inside the attempt.
/// </summary>
internal static class TransientFailures
{
    /// <summary>The department systems' own gRPC APIs: their contracts name these codes as technical.</summary>
    public static bool IsTransientForNativeGrpc(Exception exception) => exception switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal,
        HttpRequestException => true,
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>
    /// The gateway contract: INTERNAL there means a broken gateway, retried later by the hub rather
    /// than at once by the pipeline.
    /// </summary>
    public static bool IsTransientForGateway(Exception exception) => exception switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            or StatusCode.ResourceExhausted or StatusCode.Aborted,
        HttpRequestException => true,
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>REST/JSON: network failures, a body cut off mid-way, and HTTP 408, 429 and 5xx.</summary>
    public static bool IsTransientForHttp(Exception exception) => exception switch
    {
        HttpRequestException => true,
        TransientHttpStatusException => true,
        IOException => true,
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Whether an HTTP status is technical and may be retried.</summary>
    public static bool IsTransientHttpStatus(int statusCode) => statusCode is 408 or 429 or >= 500;
}

/// <summary>A REST department answered with a technical HTTP status (408, 429, 5xx); worth retrying.</summary>
internal sealed class TransientHttpStatusException(int statusCode, string? errorCode, TimeSpan? retryAfter)
    : Exception($"HTTP {statusCode}{(string.IsNullOrEmpty(errorCode) ? string.Empty : " " + errorCode)}")
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The department's Retry-After, honoured as the next retry delay when it gives one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
