using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Security.Audit;

/// <summary>
/// Keeps the audit log append-only and records the changes no domain event reports: a deleted draft,
/// operator actions, ratings and their follow-ups, department callbacks, uploaded materials. Runs
/// inside <c>SaveChanges</c>, so the rows go in the change's own transaction. Item and application
/// state changes are recorded by <see cref="AuditTrail.RecordStateChanges"/> as the outbox takes them.
/// After a save that wrote audit rows it wakes the <see cref="AuditChainer"/>.
/// </summary>
public sealed class AuditInterceptor(AuditSignal signal) : SaveChangesInterceptor
{
    private static readonly HashSet<string> ChainColumns = [nameof(AuditRecord.Sequence), nameof(AuditRecord.PreviousHash), nameof(AuditRecord.Hash)];
    private readonly ConditionalWeakTable<DbContext, object> _wroteAudit = [];

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Inspect(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Inspect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wake(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>Refuses an update or delete of an audit row, other than filling its chain columns once.</summary>
    public static void EnsureAppendOnly(EntityEntry<AuditRecord> entry)
    {
        switch (entry.State)
        {
            case EntityState.Deleted:
                throw new InvalidOperationException($"the audit log is append-only: row {entry.Entity.Id} cannot be deleted");
            case EntityState.Modified:
                var chained = entry.OriginalValues.GetValue<long?>(nameof(AuditRecord.Sequence)) is not null;
                var other = entry.Properties.FirstOrDefault(p => p.IsModified && !ChainColumns.Contains(p.Metadata.Name));
                if (chained || other is not null)
                {
                    throw new InvalidOperationException($"the audit log is append-only: row {entry.Entity.Id} cannot be changed ({(chained ? "already chained" : other!.Metadata.Name)})");
                }

                break;
        }
    }

    private void Inspect(DbContext? context)
    {
        if (context is not HubDbContext db)
        {
            return;
        }

        // Snapshot first: recording adds entries to the tracker.
        var entries = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        foreach (var entry in entries)
        {
            switch (entry.Entity)
            {
                case JointApplication application when entry.State == EntityState.Deleted:
                    AuditTrail.Record(db, "application.deleted", AuditTrail.Resource(application.Id), AuditTrail.Detail(("theme", application.ThemeCode), ("state", application.State.ToString())));
                    break;
                case OperatorActionRecord action when entry.State == EntityState.Added:
                    AuditTrail.Record(db, "operator." + action.Kind.ToString().ToLowerInvariant(), action.Target,
                        AuditTrail.Detail(("operator", action.OperatorId), ("outcome", action.Outcome)));
                    break;
                case RatingRecord rating when entry.State == EntityState.Added:
                    AuditTrail.Record(db, "rating.submitted", AuditTrail.Resource(rating.ApplicationId),
                        AuditTrail.Detail(("overall", rating.Overall.ToString(CultureInfo.InvariantCulture))));
                    break;
                case FollowUpRecord followUp when entry.State != EntityState.Deleted:
                    AuditTrail.Record(db, entry.State == EntityState.Added ? "rating.follow_up_opened" : "rating.follow_up_" + followUp.State.ToString().ToLowerInvariant(),
                        AuditTrail.Resource(followUp.ApplicationId) + "/follow-up",
                        AuditTrail.Detail(("id", entry.State == EntityState.Added ? null : followUp.Id.ToString(CultureInfo.InvariantCulture)), ("state", followUp.State.ToString()), ("operator", followUp.OperatorId)));
                    break;
                case DepartmentCallback callback when entry.State == EntityState.Added:
                    AuditTrail.Record(db, "callback.received", callback.ApplicationId is { } id ? AuditTrail.Resource(id, callback.ItemCode) : $"departments/{callback.Department}/cases/{callback.CaseNumber}",
                        AuditTrail.Detail(("department", callback.Department), ("case", callback.CaseNumber), ("sequence", callback.Sequence.ToString(CultureInfo.InvariantCulture)),
                            ("outcome", callback.OutcomeKind), ("disposition", callback.Disposition.ToString())),
                        $"department:{callback.Department}");
                    break;
                case MaterialRecord material when entry.State == EntityState.Added:
                    AuditTrail.Record(db, "material.uploaded", $"materials/{material.Id}", AuditTrail.Detail(("theme", material.ThemeCode), ("code", material.Code), ("media_type", material.MediaType)));
                    break;
            }
        }

        var wrote = false;
        foreach (var entry in db.ChangeTracker.Entries<AuditRecord>())
        {
            EnsureAppendOnly(entry);
            wrote |= entry.State == EntityState.Added;
        }

        if (wrote)
        {
            _wroteAudit.AddOrUpdate(db, this);
        }
    }

    private void Wake(DbContext? context)
    {
        if (context is not null && _wroteAudit.Remove(context))
        {
            signal.Notify();
        }
    }
}

/// <summary>Wakes the audit chainer when unchained audit rows were written.</summary>
public sealed class AuditSignal : OneThing.Hub.Dispatch.WorkSignal;
