using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OneThing.Adapters.Internal;

/// <summary>Describes a failure in one line for logs and exception messages, personal data masked.</summary>
internal static class FailureDescriptions
{
    public static string Describe(Exception? exception) => exception switch
    {
        null => "none",
        RpcException rpc => string.IsNullOrEmpty(rpc.Status.Detail)
            ? $"gRPC {rpc.StatusCode}"
            : $"gRPC {rpc.StatusCode} ({PersonalData.Redact(rpc.Status.Detail)})",
        TransientHttpStatusException http => http.Message,
        HttpRequestException http => $"HTTP request failed ({http.HttpRequestError}): {PersonalData.Redact(http.Message)}",
        TimeoutRejectedException timeout => string.Create(
            CultureInfo.InvariantCulture, $"no answer within {timeout.Timeout.TotalSeconds:0.###} s"),
        BrokenCircuitException => "the circuit breaker is open",
        RateLimiterRejectedException => "the concurrency limit is reached",
        JsonException json => $"malformed JSON ({PersonalData.Redact(json.Message)})",
        _ => $"{exception.GetType().Name}: {PersonalData.Redact(exception.Message)}",
    };
}
