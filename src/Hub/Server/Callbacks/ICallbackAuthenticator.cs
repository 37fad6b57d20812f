using System.Data.Common;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Hub.Applications;
using OneThing.Hub.CallbackSigning;
using OneThing.Hub.Grpc;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;
using OneThing.Hub.Telemetry;
using OneThing.Hub.V1;

namespace OneThing.Hub.Callbacks;

/// <summary>
/// Establishes which department sent a callback, from the credential the call carries, whatever the
/// request claims; refuses the call (and records the refusal) when the credential proves nothing.
/// </summary>
public interface ICallbackAuthenticator
{
    /// <summary>Returns the stable name of the department that signed the call, which is also the department the request names.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED or PERMISSION_DENIED with an ErrorInfo reason (the CALLBACK_* codes of <see cref="ErrorReasons"/>).</exception>
    ValueTask<string> AuthenticateAsync(ReportItemResultRequest request, ServerCallContext context);
}

/// <summary>
/// Verifies the <c>ONETHING-CALLBACK-V1</c> signature (callbacks.proto): the key id names a configured
/// key (and so the department), the MAC over the canonical request matches, the signing department is
/// the one the request names, the timestamp lies within the window of the hub's clock, and the nonce
/// has not been used by the department before (a row in <c>callback_nonces</c>, unique per department).
/// Each refusal is answered with a stable reason and kept in the audit log.
/// </summary>
internal sealed partial class SignedCallbackAuthenticator(
    IOptions<CallbackSignatureOptions> options,
    HubDbContext db,
    TimeProvider time,
    ILogger<SignedCallbackAuthenticator> logger) : ICallbackAuthenticator
{
    private const string ReplayedMessage = "回调已被接收过（随机数重复使用），重放的回调不予处理";

    public async ValueTask<string> AuthenticateAsync(ReportItemResultRequest request, ServerCallContext context)
    {
        var settings = options.Value;
        var headers = context.RequestHeaders;
        var keyId = headers.GetValue(CallbackSignature.KeyIdHeader);
        var timestamp = headers.GetValue(CallbackSignature.TimestampHeader);
        var nonce = headers.GetValue(CallbackSignature.NonceHeader);
        var signature = headers.GetValue(CallbackSignature.SignatureHeader);
        if (keyId is null || timestamp is null || nonce is null || signature is null)
        {
            var missing = new[] { (CallbackSignature.KeyIdHeader, keyId), (CallbackSignature.TimestampHeader, timestamp), (CallbackSignature.NonceHeader, nonce), (CallbackSignature.SignatureHeader, signature) }
                .Where(h => h.Item2 is null).Select(h => h.Item1);
            throw await RefuseAsync(StatusCode.Unauthenticated, ErrorReasons.CallbackUnsigned, $"回调未签名：缺少请求头 {string.Join("、", missing)}", request, keyId, context);
        }

        if (!settings.TryFindKey(keyId, out var department, out var key))
        {
            throw await RefuseAsync(StatusCode.Unauthenticated, ErrorReasons.CallbackKeyUnknown, "回调签名密钥未登记或已停用", request, keyId, context);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMilliseconds) || !CallbackSignature.IsValidNonce(nonce)
            || !CallbackSignature.Verify(key, CallbackSignature.ReportItemResultMethod, timestamp, nonce, request, signature))
        {
            throw await RefuseAsync(StatusCode.Unauthenticated, ErrorReasons.CallbackSignatureInvalid, "回调签名无效：签名与请求内容不符", request, keyId, context);
        }

        var claimed = DepartmentNames.TryParse(request.Department, out var named) ? named.ToName() : request.Department;
        if (!string.Equals(claimed, department, StringComparison.Ordinal))
        {
            throw await RefuseAsync(StatusCode.PermissionDenied, ErrorReasons.CallbackDepartmentMismatch, "签名部门与报送部门不一致，不能代其他部门报送回调", request, keyId, context);
        }

        var now = time.GetUtcNow();
        var signedAt = unixMilliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds) : DateTimeOffset.MaxValue;
        if ((now - signedAt).Duration() > settings.Window)
        {
            throw await RefuseAsync(StatusCode.Unauthenticated, ErrorReasons.CallbackExpired, $"回调时间戳超出允许的时间范围（前后 {settings.Window.TotalMinutes:0.#} 分钟），请核对部门系统时钟后重新签名报送", request, keyId, context);
        }

        // A replay usually finds its nonce here; the unique key below catches two copies racing in at once.
        if (await db.Set<CallbackNonce>().AsNoTracking().AnyAsync(n => n.Department == department && n.Nonce == nonce, context.CancellationToken))
        {
            throw await RefuseAsync(StatusCode.Unauthenticated, ErrorReasons.CallbackReplayed, ReplayedMessage, request, keyId, context);
        }

        db.Set<CallbackNonce>().Add(new CallbackNonce { Department = department, Nonce = nonce, KeyId = keyId, ReceivedAt = now, ExpiresAt = signedAt + settings.Window });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique (department, nonce) key took it: the nonce was used before. Anything else
            // (the database failing) is no verdict on the caller and goes up as it is.
            db.ChangeTracker.Clear();
            if (await db.Set<CallbackNonce>().AsNoTracking().AnyAsync(n => n.Department == department && n.Nonce == nonce, context.CancellationToken))
            {
                throw await RefuseAsync(StatusCode.Unauthenticated, ErrorReasons.CallbackReplayed, ReplayedMessage, request, keyId, context);
            }

            throw;
        }

        db.ChangeTracker.Clear();
        return department;
    }

    /// <summary>Records the refusal in the audit log (before answering: evidence first) and builds the error.</summary>
    private async Task<RpcException> RefuseAsync(StatusCode code, string reason, string message, ReportItemResultRequest request, string? keyId, ServerCallContext context)
    {
        var peer = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "internal";
        LogRefused(reason, Clip(request.Department), Clip(keyId), Clip(request.CaseNumber), request.Sequence, peer);
        HubTelemetry.CallbacksReceived.Add(1, new KeyValuePair<string, object?>("department", Clip(request.Department)), new KeyValuePair<string, object?>("disposition", "Refused"));
        db.ChangeTracker.Clear();
        await AuditTrail.RecordNowAsync(
            db,
            "callback.refused",
            $"departments/{Clip(request.Department)}/itemResults",
            AuditTrail.Detail(
                ("reason", reason),
                ("key_id", Clip(keyId)),
                ("case_number", Clip(request.CaseNumber)),
                ("sequence", request.Sequence.ToString(CultureInfo.InvariantCulture)),
                ("idempotency_key", Clip(request.IdempotencyKey)),
                ("outcome", request.Outcome?.Kind.ToString())),
            CancellationToken.None);
        db.ChangeTracker.Clear();

        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorMappingInterceptor.Domain }));
        return status.ToRpcException();
    }

    // Whatever an unauthenticated caller sends is cut short before it reaches a log or the audit row.
    private static string Clip(string? value) => value is null ? "-" : value.Length <= 64 ? value : value[..64] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback refused ({Reason}): department {Department}, key {KeyId}, case {CaseNumber} #{Sequence}, from {Origin}")]
    private partial void LogRefused(string reason, string department, string keyId, string caseNumber, long sequence, string origin);
}

/// <summary>
/// Keeps the nonce table small: once the hub has started (after its migrations) and then every minute,
/// deletes nonces whose callbacks have left the window (one statement; several replicas may each run
/// it, deleting the same rows is harmless). At start it also runs the commercial-cryptography
/// self-test (SM3 known answer, GB/T 32905 A.1) and prepares the replay check's query, so the first
/// callback after a start is not slowed by either (a department's early notice waits on it).
/// </summary>
internal sealed partial class CallbackNoncePurge(IServiceScopeFactory scopes, TimeProvider time, ILogger<CallbackNoncePurge> logger) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        SelfTest();
        await PurgeAsync(cancellationToken);
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => stopping.Dispose();

    private static void SelfTest()
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.SM3Digest();
        var input = "abc"u8.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        if (!string.Equals(Convert.ToHexStringLower(output), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The SM3 self-test failed: the hub cannot verify department callbacks signed with HMAC-SM3.");
        }

        // The whole path once per algorithm: canonical form, MAC, fixed-time comparison.
        var request = new ReportItemResultRequest { Department = "self-test", IdempotencyKey = "0", CaseNumber = "0", Sequence = 1, Outcome = new DepartmentOutcome { Kind = DepartmentOutcome.Types.Kind.InProgress } };
        foreach (var algorithm in System.Enum.GetValues<CallbackSignatureAlgorithm>())
        {
            var key = new CallbackKey("self-test", new byte[CallbackKey.MinSecretBytes], algorithm);
            var headers = CallbackSignature.Headers(key, CallbackSignature.ReportItemResultMethod, request, DateTimeOffset.UnixEpoch);
            if (!CallbackSignature.Verify(key, CallbackSignature.ReportItemResultMethod, headers[1].Value, headers[2].Value, request, headers[3].Value))
            {
                throw new InvalidOperationException($"The {CallbackSignature.NameOf(algorithm)} self-test failed: the hub cannot verify department callbacks.");
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, time, cancellationToken);
                await PurgeAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                // The database is away for a moment; the rows wait for the next round.
                LogPurgeFailed(e);
            }
        }
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = time.GetUtcNow();
        await db.Set<CallbackNonce>().Where(n => n.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var department = string.Empty;
        var nonce = string.Empty;
        _ = await db.Set<CallbackNonce>().AsNoTracking().AnyAsync(n => n.Department == department && n.Nonce == nonce, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired callback nonces failed; trying again in a minute")]
    private partial void LogPurgeFailed(Exception exception);
}

/// <summary>Registers the callback signature check (section <c>Security:Callbacks</c>, checked at start).</summary>
public static class CallbackSignatureServiceCollectionExtensions
{
    /// <summary>Adds the signature verifier as the <see cref="ICallbackAuthenticator"/>, with its keys and nonce purge.</summary>
    public static IServiceCollection AddHubCallbackSignatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallbackSignatureOptions>().Configure(o => o.Load(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallbackSignatureOptions>, CallbackSignatureOptionsValidator>();
        services.AddHostedService<CallbackNoncePurge>();
        services.AddScoped<ICallbackAuthenticator, SignedCallbackAuthenticator>();
        return services;
    }
}
