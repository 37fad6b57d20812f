using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace OneThing.Hub.Grpc;

/// <summary>
/// Writes a hub error from middleware (authentication, authorization, rate limits), before any gRPC
/// service runs: a gRPC caller gets a trailers-only response with <c>grpc-status</c> and the
/// google.rpc.Status (ErrorInfo with the stable reason) in <c>grpc-status-details-bin</c>, exactly
/// as a service's own errors look; an HTTP/JSON caller gets the HTTP status and the same Status as JSON.
/// </summary>
public static class GrpcErrorResponse
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromMessages(ErrorInfo.Descriptor, RetryInfo.Descriptor, BadRequest.Descriptor)));

    /// <summary>Builds the status the hub returns: message for people, ErrorInfo for programs, optional extra details.</summary>
    public static Google.Rpc.Status Build(StatusCode code, string reason, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorMappingInterceptor.Domain }));
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status;
    }

    /// <summary>Writes the error as the caller's protocol expects and ends the response.</summary>
    public static Task WriteAsync(HttpContext http, StatusCode code, string reason, string message, params IMessage[] details) =>
        WriteAsync(http, Build(code, reason, message, details));

    /// <summary>Writes <paramref name="status"/> as the caller's protocol expects and ends the response.</summary>
    public static async Task WriteAsync(HttpContext http, Google.Rpc.Status status)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            return;
        }

        if (IsGrpc(http.Request))
        {
            // Trailers-only response: HTTP 200 and the status in the headers, as gRPC servers answer
            // a call they reject before reading it.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
            await response.Body.FlushAsync(http.RequestAborted);
            return;
        }

        response.StatusCode = HttpStatusOf((StatusCode)status.Code);
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(Json.Format(status), http.RequestAborted);
    }

    /// <summary>Whether the request is a gRPC call (as opposed to HTTP/JSON).</summary>
    public static bool IsGrpc(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>The HTTP status an HTTP/JSON caller gets for a gRPC status (google.rpc.Code mapping).</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
