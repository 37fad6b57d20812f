using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using OneThing.Hub.V1;
using OneThing.Simulators;

namespace OneThing.Tests.Support;

/// <summary>
/// Gives each call of the sandbox's default clients the identity its real caller would have, signed
/// by the sandbox's identity platform: a filing is made by its applicant (the form's ID number), a
/// call about an application by that application's applicant (learned from earlier answers), a
/// material upload by a window clerk, operator calls by the operator the request names. Tests of the
/// hub's features stay about those features; tests of who may call what use explicit tokens
/// (<see cref="HubSandbox.ClientsAs"/>).
/// </summary>
public sealed partial class SandboxIdentities(IdentityPlatformSimulator identity, Func<DateTimeOffset>? hubNow = null) : Interceptor
{
    private static readonly TimeSpan Refresh = TimeSpan.FromHours(1);

    /// <summary>The ID number a filing with no usable ID of its own is made under (validation tests send broken ones).</summary>
    public const string PlaceholderIdNumber = "11010519491231002X";

    /// <summary>The service centre of the sandbox's default clerk.</summary>
    public const string ServiceCentre = "sandbox-centre";

    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset IssuedAt)> _tokens = new(StringComparer.Ordinal);

    /// <summary>Remembers who owns an application created outside these clients (e.g. over HTTP/JSON).</summary>
    public void RememberOwner(string applicationName, string idNumber) => _owners[IdOf(applicationName) ?? applicationName] = idNumber;

    /// <summary>The token the default clients would send for <paramref name="request"/> of <paramref name="method"/>.</summary>
    public string TokenFor(IMethod method, IMessage? request)
    {
        if (method.ServiceName.EndsWith("MaterialService", StringComparison.Ordinal))
        {
            return Cached("clerk", at => identity.Clerk("sandbox-clerk", ServiceCentre, issuedAt: at));
        }

        if (method.Name.StartsWith("Record", StringComparison.Ordinal) || method.ServiceName.EndsWith("OperatorService", StringComparison.Ordinal)
            || method.Name is "ListFollowUps" or "ResolveFollowUp")
        {
            var operatorId = request is null ? null : StringField(request, "operator_id");
            var subject = string.IsNullOrWhiteSpace(operatorId) ? "sandbox-operator" : operatorId;
            return Cached("operator:" + subject, at => identity.Operator(subject, issuedAt: at));
        }

        if (request is not null && FilingApplicant(request) is { } filer)
        {
            return ApplicantToken(ResidentIdNumber.IsValid(filer) ? filer : PlaceholderIdNumber);
        }

        if (request is not null && ApplicationNameIn(request) is { } id && _owners.TryGetValue(id, out var owner))
        {
            return ApplicantToken(owner);
        }

        return Cached("operator:sandbox-operator", at => identity.Operator("sandbox-operator", issuedAt: at));
    }

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, WithToken(context, request as IMessage));
        return new AsyncUnaryCall<TResponse>(Observe(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var response = continuation(request, WithToken(context, request as IMessage));
        Remember(response);
        return response;
    }

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(context, request as IMessage));

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithToken(context, null));

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithToken(context, null));

    private string ApplicantToken(string idNumber) => Cached("applicant:" + idNumber.ToUpperInvariant(), at => identity.Applicant(idNumber, issuedAt: at));

    // Tokens are issued at the hub's time (tests move the hub's clock by days) and renewed once an
    // hour of that time has passed, either way.
    private string Cached(string key, Func<DateTimeOffset, string> issue)
    {
        var now = hubNow?.Invoke() ?? TimeProvider.System.GetUtcNow();
        if (_tokens.TryGetValue(key, out var cached) && (now - cached.IssuedAt).Duration() < Refresh)
        {
            return cached.Token;
        }

        var token = issue(now);
        _tokens[key] = (token, now);
        return token;
    }

    private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, IMessage? request)
        where TRequest : class
        where TResponse : class
    {
        var headers = context.Options.Headers ?? [];
        if (headers.Get("authorization") is null)
        {
            headers.Add("authorization", "Bearer " + TokenFor(context.Method, request));
        }

        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    private async Task<TResponse> Observe<TResponse>(Task<TResponse> response)
    {
        var value = await response.ConfigureAwait(false);
        Remember(value);
        return value;
    }

    private void Remember(object? response)
    {
        if (response is Application { Name.Length: > 0 } application && application.Applicant?.IdDocument?.Number is { Length: > 0 } number && IdOf(application.Name) is { } id)
        {
            _owners[id] = number;
        }
    }

    private static string? FilingApplicant(IMessage request) => request switch
    {
        SubmitApplicationRequest { SourceCase: SubmitApplicationRequest.SourceOneofCase.Application } s => s.Application.Applicant?.IdDocument?.Number ?? string.Empty,
        CreateApplicationRequest c => c.Application?.Applicant?.IdDocument?.Number ?? string.Empty,
        ValidateApplicationRequest { SourceCase: ValidateApplicationRequest.SourceOneofCase.Application } v => v.Application.Applicant?.IdDocument?.Number ?? string.Empty,
        PrefillApplicationRequest p => p.Applicant?.IdDocument?.Number ?? string.Empty,
        _ => null,
    };

    private static string? ApplicationNameIn(IMessage request)
    {
        if (request is UpdateApplicationRequest { Application.Name: { Length: > 0 } updated })
        {
            return IdOf(updated);
        }

        foreach (var field in request.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == Google.Protobuf.Reflection.FieldType.String && !field.IsRepeated && field.Accessor.GetValue(request) is string { Length: > 0 } text && IdOf(text) is { } id)
            {
                return id;
            }
        }

        return null;
    }

    private static string? StringField(IMessage request, string name) =>
        request.Descriptor.FindFieldByName(name) is { FieldType: Google.Protobuf.Reflection.FieldType.String } field ? field.Accessor.GetValue(request) as string : null;

    private static string? IdOf(string name) => ApplicationName().Match(name) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("^applications/([^/]+)")]
    private static partial Regex ApplicationName();
}
