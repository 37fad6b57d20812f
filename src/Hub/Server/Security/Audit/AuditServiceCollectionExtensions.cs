using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Security.Audit;

/// <summary>Registers the audit log: its interceptor on every provider's context, the chainer, and the "audit" health check.</summary>
public static class AuditServiceCollectionExtensions
{
    /// <summary>Adds the audit log to the hub (after <c>AddHubDatabase</c> and the hub's startup, so the chainer starts on a migrated database).</summary>
    public static IServiceCollection AddHubAudit(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditSignal>();
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<AuditChainer>();
        services.AddSingleton<AuditMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditChainer>());

        // Whichever provider the hub was given, its context writes audit rows with every change.
        static void Intercept(IServiceProvider sp, DbContextOptionsBuilder o) => o.AddInterceptors(sp.GetRequiredService<AuditInterceptor>());
        services.ConfigureDbContext<SqliteHubDbContext>(Intercept);
        services.ConfigureDbContext<PostgresHubDbContext>(Intercept);
        services.ConfigureDbContext<SqlServerHubDbContext>(Intercept);

        services.AddHealthChecks().AddCheck<AuditHealthCheck>("audit");
        return services;
    }
}

/// <summary>Remembers how far the running hub has verified the chain, so each look checks only the new entries.</summary>
public sealed class AuditMonitor
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long Sequence, string Hash)? _verified;
    private long? _broken;

    /// <summary>Verifies the entries appended since the last look; a break, once found, is reported until the hub restarts.</summary>
    public async Task<AuditVerification> LookAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_broken is { } broken)
            {
                return new AuditVerification(broken, 0, _verified?.Sequence ?? 0, _verified?.Hash ?? string.Empty, 0);
            }

            var result = await AuditVerifier.VerifyAsync(db, cancellationToken, _verified);
            var head = await db.Set<AuditRecord>().MaxAsync(r => r.Sequence, cancellationToken) ?? 0;
            if (result.FirstBroken is null && _verified is { } earlier && head < earlier.Sequence)
            {
                // Entries the hub verified before are gone from the tail.
                result = result with { FirstBroken = head + 1 };
            }

            if (result.FirstBroken is { } first)
            {
                _broken = first;
            }
            else if (result.LastSequence > 0)
            {
                _verified = (result.LastSequence, result.LastHash);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// Degraded when the audit chain is broken (an alarm for operators; the hub goes on serving, so a
/// tampered log does not take the service down); reports the last verified sequence otherwise.
/// </summary>
internal sealed class AuditHealthCheck(IServiceScopeFactory scopes, AuditMonitor monitor) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var result = await monitor.LookAsync(db, cancellationToken);
        var data = new Dictionary<string, object> { ["last_verified_sequence"] = result.LastSequence, ["unchained"] = result.Unchained };
        return result.FirstBroken is { } broken
            ? HealthCheckResult.Degraded($"the audit chain is broken at sequence {broken}: run `onething audit verify`", data: data)
            : HealthCheckResult.Healthy($"audit chain verified up to sequence {result.LastSequence}; {result.Unchained} row(s) waiting to be chained", data);
    }
}
