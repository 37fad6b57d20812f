using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OneThing.Hub.Catalog;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Notifications;

/// <summary>
/// Writes the notifications of every state change into the outbox in the same transaction as the
/// change itself (and the electronic certificate a grant issues, see <see cref="CertificateIssue"/>): whichever path changed an item (dispatch, callback, operator, correction), the
/// applicant hears of it exactly once, and a change that rolls back tells nothing.
/// </summary>
public sealed class NotificationOutbox(CatalogSnapshot catalog, NotificationSignal signal, DraftPolicy drafts) : SaveChangesInterceptor
{
    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Write(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Write(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        signal.Notify();
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        signal.Notify();
        return ValueTask.FromResult(result);
    }

    private void Write(DbContext? context)
    {
        if (context is not HubDbContext db)
        {
            return;
        }

        var now = DateTimeOffset.MinValue;
        foreach (var entry in db.ChangeTracker.Entries<JointApplication>().ToList())
        {
            var application = entry.Entity;
            var changes = application.TakeStateChanges();
            if (changes.Count == 0)
            {
                continue;
            }

            // Evidence of every change, in the same transaction, before the theme decides what to send.
            Security.Audit.AuditTrail.RecordStateChanges(db, application, changes);

            var theme = catalog.Version(application.ThemeCode, application.ThemeVersion) ?? catalog.Latest(application.ThemeCode);
            if (theme is null)
            {
                continue;
            }

            foreach (var change in changes)
            {
                now = change.At;
                if (CertificateIssue.Of(application, theme, change) is { } certificate)
                {
                    db.Certificates.Add(certificate);
                }

                Deliveries.DeliveryTracking.Track(db, application, theme, change);

                foreach (var planned in NotificationPlanner.Plan(application, theme, change, catalog.Calendar, drafts))
                {
                    db.Notifications.Add(new NotificationRecord
                    {
                        Key = planned.Key,
                        Channel = planned.Channel,
                        Kind = planned.Kind,
                        ApplicationId = planned.ApplicationId,
                        ItemCode = planned.ItemCode,
                        Title = planned.Title,
                        Text = planned.Text,
                        ExpectedState = planned.ExpectedState,
                        ExpectedCorrections = planned.ExpectedCorrections,
                        ExpectedRevision = planned.ExpectedRevision,
                        State = NotificationState.Scheduled,
                        DueAt = planned.DueAt,
                        CreatedAt = now,
                    });
                }
            }
        }
    }
}

/// <summary>Wakes the notification worker when new notifications were written.</summary>
public sealed class NotificationSignal : WorkSignal;
