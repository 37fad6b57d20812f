using System.Collections;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Hub.Hosting;

/// <summary>
/// The outer bound of every request the hub takes, over gRPC and HTTP/JSON alike: no string longer than
/// <see cref="HubLimitsOptions.MaxStringLength"/>, no map key longer than <see cref="HubLimitsOptions.MaxKeyLength"/>,
/// no list or map with more than <see cref="HubLimitsOptions.MaxEntries"/> entries. Every violation is
/// listed at once (INVALID_ARGUMENT with BadRequest) before any work is done. Fields with a tighter limit
/// of their own (names, addresses, form fields by the catalog, reasons) are checked where the request is
/// validated.
/// </summary>
public sealed class RequestFieldLimitsInterceptor(IOptions<HubLimitsOptions> options) : Interceptor
{
    // Enough to name every problem a real client makes; a message built to flood the answer gets no more.
    private const int MaxReported = 50;
    private const int MaxDepth = 32;
    private const int MaxKeyShown = 40;

    private readonly HubLimitsOptions _limits = options.Value;

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream, this), context);

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream, this), responseStream, context);

    /// <summary>Every limit violation of a request message, by field path (proto field names); empty when none.</summary>
    public IReadOnlyList<FieldViolation> Violations(IMessage message)
    {
        var violations = new List<FieldViolation>();
        Walk(message, prefix: string.Empty, violations, depth: 0);
        return violations;
    }

    private void Check<TRequest>(TRequest request)
    {
        if (request is IMessage message && Violations(message) is { Count: > 0 } violations)
        {
            throw new HubRequestInvalidException(
                ErrorReasons.RequestInvalid,
                $"请求中有{(violations.Count >= MaxReported ? $"{MaxReported}处以上" : $"{violations.Count}处")}内容超出长度或数量限制，请一并修改后重试",
                violations);
        }
    }

    private void Walk(IMessage message, string prefix, List<FieldViolation> violations, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (violations.Count >= MaxReported)
            {
                return;
            }

            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap && value is IDictionary map)
            {
                CheckCount(path, map.Count, violations);
                foreach (DictionaryEntry entry in map)
                {
                    var key = entry.Key.ToString() ?? string.Empty;
                    var entryPath = $"{path}[{Shown(key)}]";
                    if (key.Length > _limits.MaxKeyLength)
                    {
                        Add(violations, new FieldViolation(entryPath, ViolationReasons.TooLong,
                            $"{path} 的键过长：不能超过{_limits.MaxKeyLength}个字符（当前{key.Length}个字符）"));
                    }

                    CheckValue(entryPath, entry.Value, violations, depth);
                }
            }
            else if (field.IsRepeated && value is IList list)
            {
                CheckCount(path, list.Count, violations);
                for (var i = 0; i < list.Count && violations.Count < MaxReported; i++)
                {
                    CheckValue($"{path}[{i}]", list[i], violations, depth);
                }
            }
            else
            {
                CheckValue(path, value, violations, depth);
            }
        }
    }

    private void CheckValue(string path, object? value, List<FieldViolation> violations, int depth)
    {
        switch (value)
        {
            case string text when text.Length > _limits.MaxStringLength:
                Add(violations, new FieldViolation(path, ViolationReasons.TooLong,
                    $"{path} 过长：不能超过{_limits.MaxStringLength}个字符（当前{text.Length}个字符）"));
                break;
            case IMessage nested:
                Walk(nested, path + ".", violations, depth + 1);
                break;
        }
    }

    private void CheckCount(string path, int count, List<FieldViolation> violations)
    {
        if (count > _limits.MaxEntries)
        {
            Add(violations, new FieldViolation(path, ViolationReasons.TooMany,
                $"{path} 条目过多：不能超过{_limits.MaxEntries}项（当前{count}项）"));
        }
    }

    private static void Add(List<FieldViolation> violations, FieldViolation violation)
    {
        if (violations.Count < MaxReported)
        {
            violations.Add(violation);
        }
    }

    // A key in a path is shown cut short: the answer must not echo an oversized key back.
    private static string Shown(string key) => key.Length <= MaxKeyShown ? key : key[..MaxKeyShown] + "…";

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner, RequestFieldLimitsInterceptor limits) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken))
            {
                return false;
            }

            limits.Check(inner.Current);
            return true;
        }
    }
}
