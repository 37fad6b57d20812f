using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using OneThing.Hub.Applications;

namespace OneThing.Hub.Grpc;

/// <summary>
/// Maps the hub's exceptions to rich gRPC statuses: a google.rpc.Status with an ErrorInfo (stable
/// reason, domain <c>onething.gov.cn</c>) and, for invalid requests, a BadRequest listing every
/// field violation. Anything unexpected becomes INTERNAL without internals in the message.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    /// <summary>The ErrorInfo domain of the hub's errors.</summary>
    public const string Domain = "onething.gov.cn";

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        var status = e switch
        {
            HubRequestInvalidException invalid => Status(Code.InvalidArgument, invalid.Message, invalid.Reason, BadRequest(invalid)),
            HubNotFoundException notFound => Status(Code.NotFound, notFound.Message, notFound.Reason),
            HubPreconditionException precondition => Status(Code.FailedPrecondition, precondition.Message, precondition.Reason, null, precondition.Metadata),
            HubConflictException conflict => Status(Code.Aborted, conflict.Message, conflict.Reason),
            HubPermissionDeniedException denied => Status(Code.PermissionDenied, denied.Message, denied.Reason),
            OperationCanceledException when context.CancellationToken.IsCancellationRequested => Status(Code.Cancelled, "请求已取消", "CANCELLED"),
            _ => Internal(e, context),
        };
        return status.ToRpcException();
    }

    private Google.Rpc.Status Internal(Exception e, ServerCallContext context)
    {
        LogUnexpected(context.Method, e);
        return Status(Code.Internal, "系统内部错误，请稍后重试", ErrorReasons.Internal);
    }

    private static BadRequest BadRequest(HubRequestInvalidException invalid)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(invalid.Violations.Select(v => new BadRequest.Types.FieldViolation
        {
            Field = v.Field,
            Reason = v.Reason,
            Description = v.Description,
        }));
        return badRequest;
    }

    private static Google.Rpc.Status Status(Code code, string message, string reason, BadRequest? badRequest = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        if (badRequest is not null)
        {
            status.Details.Add(Any.Pack(badRequest));
        }

        return status;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private partial void LogUnexpected(string method, Exception exception);
}
