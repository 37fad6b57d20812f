using Google.Rpc;
using Grpc.Core;

namespace OneThing.Tests.Support;

/// <summary>Reads the rich error details the hub sends.</summary>
public static class RichErrors
{
    /// <summary>Awaits a call that must fail, and returns its status code, ErrorInfo and field violations.</summary>
    public static async Task<(StatusCode Code, ErrorInfo Info, IReadOnlyList<BadRequest.Types.FieldViolation> Violations)> FailureOf<T>(Func<Task<T>> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call().Within());
        var status = e.GetRpcStatus() ?? throw new InvalidOperationException($"no google.rpc.Status in {e.Status}");
        var info = status.GetDetail<ErrorInfo>() ?? throw new InvalidOperationException("no ErrorInfo");
        var badRequest = status.GetDetail<BadRequest>();
        return (e.StatusCode, info, badRequest?.FieldViolations.ToList() ?? []);
    }
}
