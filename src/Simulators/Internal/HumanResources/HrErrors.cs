using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace OneThing.Simulators.Internal.HumanResources;

/// <summary>An HR answer: the response, or the rich error status the call fails with.</summary>
internal sealed record HrAnswer<T>(T? Response, RpcStatus? Error)
    where T : class;

/// <summary>The HR system's error model: a google.rpc.Status carrying an ErrorInfo of domain "hr.gov.cn.sim".</summary>
internal static class HrErrors
{
    public const string ErrorDomain = "hr.gov.cn.sim";

    /// <summary>The response, or the call's failure: a fresh exception built from the kept status, so a replay is byte-for-byte the first answer.</summary>
    public static T Unwrap<T>(HrAnswer<T> answer)
        where T : class =>
        answer.Error is { } error ? throw error.ToRpcException() : answer.Response!;

    public static Handled<HrAnswer<T>> Refuse<T>(RpcStatus error)
        where T : class =>
        new(new(null, error), CaseCreated: false, error.Details[0].Unpack<ErrorInfo>().Reason);

    public static RpcStatus BadField(string field, string message) =>
        Error(Code.InvalidArgument, "HR_BAD_FIELD", message, ("field", field));

    public static RpcStatus Error(Code code, string reason, string message, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorDomain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata.Add(key, value);
        }

        return new RpcStatus { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
    }
}
