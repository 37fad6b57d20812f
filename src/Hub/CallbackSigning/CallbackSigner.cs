using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace OneThing.Hub.CallbackSigning;

/// <summary>
/// A gRPC client interceptor that signs every outgoing unary call of DepartmentCallbackService with the
/// department's key (scheme <c>ONETHING-CALLBACK-V1</c>): a fresh timestamp and nonce per call, so a
/// retried report is a new, valid call and never looks like a replay. Other calls pass unchanged.
/// </summary>
public sealed class CallbackSigner : Interceptor
{
    private const string ServicePrefix = "/onething.hub.v1.DepartmentCallbackService/";
    private readonly Func<IMessage, CallbackKey?> keyFor;
    private readonly TimeProvider time;

    /// <summary>Signs with one department's active key.</summary>
    public CallbackSigner(CallbackKey key, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        keyFor = _ => key;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Signs with the active key of the department each request names (its <c>department</c> field); a
    /// request whose department has no key goes out unsigned (and the hub refuses it).
    /// </summary>
    public CallbackSigner(Func<string, CallbackKey?> keyForDepartment, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keyForDepartment);
        keyFor = request => request.Descriptor.FindFieldByName("department")?.Accessor.GetValue(request) is string department
            ? keyForDepartment(department)
            : null;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(request, context));

    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(request, context));

    private ClientInterceptorContext<TRequest, TResponse> Signed<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (!context.Method.FullName.StartsWith(ServicePrefix, StringComparison.Ordinal) || request is not IMessage message || keyFor(message) is not { } key)
        {
            return context;
        }

        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            if (!IsSignatureHeader(entry.Key))
            {
                headers.Add(entry);
            }
        }

        foreach (var (name, value) in CallbackSignature.Headers(key, context.Method.FullName, message, time.GetUtcNow()))
        {
            headers.Add(name, value);
        }

        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    private static bool IsSignatureHeader(string name) =>
        name is CallbackSignature.KeyIdHeader or CallbackSignature.TimestampHeader or CallbackSignature.NonceHeader or CallbackSignature.SignatureHeader;
}
