using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Deliveries;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Deliveries;

/// <summary>
/// Keeps each application's delivery in step with its items, in the same transaction as the state
/// change (called by the notification outbox for every change it writes): the submission opens the
/// delivery, and the change that makes the last paper-producing item final makes it ready and tells the
/// applicant. A change rolled back leaves the delivery as it was.
/// </summary>
public static class DeliveryTracking
{
    /// <summary>Applies <paramref name="change"/> of <paramref name="application"/> to its delivery, if it has one.</summary>
    public static void Track(HubDbContext db, JointApplication application, ThemeDefinition theme, ItemStateChange change)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(theme);
        ArgumentNullException.ThrowIfNull(change);

        // Only applications with a paper-producing item have a delivery; most have none, and the
        // database is not asked for them. Any change of the others is followed: besides the items'
        // results, a correction (补正) may have changed the delivery choice.
        if (change.DraftSaved || ResultDelivery.PaperItems(theme, application.Content.SelectedItems).Count == 0)
        {
            return;
        }

        // A new application has no delivery in the database: only the tracker is asked (Find would
        // query synchronously, inside SaveChanges, once per submission).
        var delivery = db.Entry(application).State == EntityState.Added
            ? db.Deliveries.Local.FirstOrDefault(d => d.ApplicationId == application.Id)
            : db.Deliveries.Find(application.Id);
        if (delivery is null)
        {
            // Opened at submission; an application submitted before deliveries existed gets one now.
            delivery = ResultDelivery.Open(application, theme, change.At);
            if (delivery is null)
            {
                return;
            }

            db.Deliveries.Add(delivery);
        }

        if (delivery.Refresh(application, theme, change.At) is { } step)
        {
            Notify(db, delivery, theme.Title, step);
        }
    }

    /// <summary>Writes the applicant's notices of <paramref name="step"/> into the outbox (the caller saves).</summary>
    public static void Notify(HubDbContext db, ResultDelivery delivery, string themeTitle, DeliveryEvent step)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var planned in DeliveryNotices.Plan(delivery, themeTitle, step))
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
                State = NotificationState.Scheduled,
                DueAt = planned.DueAt,
                CreatedAt = step.At,
            });
        }
    }
}
