using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Security.Audit;

/// <summary>
/// Records audit events inside the caller's unit of work: the row is added to the caller's
/// <see cref="HubDbContext"/> and written by its next <c>SaveChanges</c>, in the same transaction as
/// the change (evidence first: when the audit row cannot be written, neither is the change). Who and
/// from where come from the current caller (the HTTP request's user and peer address), or
/// <c>system:{worker}</c> and <c>internal</c> without one.
/// </summary>
public static class AuditTrail
{
    /// <summary>The worker's name when no HTTP caller is present (see <see cref="ActingAs"/>).</summary>
    public const string DefaultWorker = "hub";

    /// <summary>The actor of an HTTP caller without an authenticated identity.</summary>
    public const string Anonymous = "anonymous";

    private static readonly AsyncLocal<string?> Worker = new();
    private static readonly HttpContextAccessor AmbientHttp = new();

    /// <summary>
    /// Adds one audit row to <paramref name="db"/>; the caller's next <c>SaveChanges</c> writes it with
    /// the change. <paramref name="detail"/> must already be masked (<see cref="PersonalDataMask"/>);
    /// over-long values are cut to the column's length.
    /// </summary>
    /// <param name="db">The unit of work the change is saved in.</param>
    /// <param name="action">What, dotted lower case, e.g. <c>callback.refused</c>, <c>application.read</c>.</param>
    /// <param name="resource">Which resource, e.g. <c>applications/{id}/items/{code}</c>.</param>
    /// <param name="detail">Extra facts, masked; <see cref="Detail"/> builds compact JSON.</param>
    public static AuditRecord Record(HubDbContext db, string action, string resource, string detail) =>
        Record(db, action, resource, detail, null);

    /// <summary>
    /// As <see cref="Record(HubDbContext, string, string, string)"/>, naming the actor when the request
    /// carries no authenticated user but the caller was authenticated otherwise (a department's signed
    /// callback: <c>department:{name}</c>). <paramref name="unauthenticatedActor"/> is used only when the
    /// HTTP caller is anonymous; a token's identity always wins.
    /// </summary>
    public static AuditRecord Record(HubDbContext db, string action, string resource, string detail, string? unauthenticatedActor)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (actor, origin, time) = CallerOf(db);
        if (actor == Anonymous && unauthenticatedActor is { Length: > 0 })
        {
            actor = unauthenticatedActor;
        }

        var record = new AuditRecord
        {
            At = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = Clip(actor, AuditRecord.MaxActor),
            Action = Clip(action, AuditRecord.MaxAction),
            Resource = Clip(resource, AuditRecord.MaxResource),
            Origin = Clip(origin, AuditRecord.MaxOrigin),
            Detail = Clip(detail, AuditRecord.MaxDetail),
        };
        db.Set<AuditRecord>().Add(record);
        return record;
    }

    /// <summary>
    /// Records an event and saves at once: for reads and refusals, which have no change of their own to
    /// ride with. Returns only once the row is written, so the caller answers only with evidence kept.
    /// Saves whatever else <paramref name="db"/> has pending too.
    /// </summary>
    public static async Task<AuditRecord> RecordNowAsync(HubDbContext db, string action, string resource, string detail, CancellationToken cancellationToken)
    {
        var record = Record(db, action, resource, detail);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// Names the worker for events recorded without an HTTP caller on this async flow
    /// (<c>system:{worker}</c>) until the result is disposed.
    /// </summary>
    public static IDisposable ActingAs(string worker)
    {
        var previous = Worker.Value;
        Worker.Value = worker;
        return new Restore(previous);
    }

    /// <summary>Compact JSON of the given facts, in order, skipping null values: <c>{"state":"Granted","step":"3"}</c>.</summary>
    public static string Detail(params ReadOnlySpan<(string Key, string? Value)> facts)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (key, value) in facts)
            {
                if (value is not null)
                {
                    json.WriteString(key, value);
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The name of the RPC (or HTTP path) being served, or null without an HTTP caller.</summary>
    public static string? CallName(HubDbContext db)
    {
        var path = HttpOf(db)?.Request.Path.Value;
        return string.IsNullOrEmpty(path) ? null : path[(path.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// Records the state changes the domain reported for one application (called by the notification
    /// outbox as it takes them, so both see every change exactly once, in the same transaction).
    /// </summary>
    public static void RecordStateChanges(HubDbContext db, JointApplication application, IReadOnlyList<ItemStateChange> changes)
    {
        var created = db.Entry(application).State == EntityState.Added;

        // A change a department's signed callback made is that department's, though no token came with it.
        var department = db.ChangeTracker.Entries<DepartmentCallback>()
            .FirstOrDefault(e => e.State == EntityState.Added && e.Entity.ApplicationId == application.Id)?.Entity.Department;
        var fallback = department is null ? null : $"department:{department}";
        foreach (var change in changes)
        {
            var step = change.Step.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (change.ItemCode is null)
            {
                var action = change.DraftSaved ? (created ? "application.created" : "application.draft_saved") : "application.submitted";
                Record(db, action, Resource(application.Id), Detail(("theme", application.ThemeCode), ("revision", step)), fallback);
                created = false;
                continue;
            }

            Record(db, "item." + Snake(change.State.ToString()), Resource(application.Id, change.ItemCode), Detail(("state", change.State.ToString()), ("step", step)), fallback);
        }
    }

    /// <summary>The resource name of an application, or of one of its items.</summary>
    public static string Resource(string applicationId, string? itemCode = null) =>
        itemCode is null ? $"applications/{applicationId}" : $"applications/{applicationId}/items/{itemCode}";

    /// <summary>The actor for a caller: <c>{role}:{sub}</c> as <see cref="Caller.Actor"/> names it, <c>anonymous</c> when unauthenticated.</summary>
    public static string ActorOf(ClaimsPrincipal? user) => Caller.From(user)?.Actor ?? Anonymous;

    private static (string Actor, string Origin, TimeProvider Time) CallerOf(HubDbContext db)
    {
        var services = ApplicationServices(db);
        var time = services?.GetService<TimeProvider>() ?? TimeProvider.System;
        var http = HttpOf(db, services);
        if (http is null)
        {
            return ($"system:{Worker.Value ?? DefaultWorker}", "internal", time);
        }

        var peer = http.Connection.RemoteIpAddress;
        var origin = peer is null ? "internal" : (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
        return (ActorOf(http.User), origin, time);
    }

    private static HttpContext? HttpOf(HubDbContext db, IServiceProvider? services = null) =>
        ((services ?? ApplicationServices(db))?.GetService<IHttpContextAccessor>() ?? AmbientHttp).HttpContext;

    // The scope's service provider the context was created from (AddDbContext records it).
    private static IServiceProvider? ApplicationServices(HubDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    private static string Snake(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Worker.Value = previous;
    }
}
