using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Notifications;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>
/// Notifications of every state change through the SMS and message-centre simulators, and the catalog's
/// reminders on the right working day, across hub restarts, with the hub's clock moved forward.
/// </summary>
public sealed class NotificationTests
{
    private const string Subsidy = "hr.startup-subsidy";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Submit_LuoyangFlow_ApplicantToldOfSubmissionAndEveryItemOnBothChannelsOnce()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var id = submitted.Name["applications/".Length..];

        // Submission, and each item's acceptance or result: on both channels, each exactly once.
        var expected = 2 * (1 + done.Items.Sum(i => i.History.Zip(i.History.Skip(1)).Count(p => p.First.State != p.Second.State && p.Second.State != ItemState.Pending)));
        var messages = await WaitForMessagesAsync(sandbox, m => m.RequestId.StartsWith(id + "/", StringComparison.Ordinal), expected);

        Assert.Equal(expected, messages.Count);
        Assert.Equal(messages.Count, messages.Select(m => m.RequestId).Distinct().Count());

        // Each was recorded as sent once (a send resent after a lost answer is one the channel dedupes by key).
        // (A delivered message is recorded just after it was delivered: wait, bounded, for the records.)
        await CallbackTests.WaitForAsync(sandbox, async db => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Notifications, n => n.ApplicationId == id && n.Key.StartsWith(id + "/") && n.State == OneThing.Hub.Persistence.NotificationState.Sent) == expected);
        Assert.All(messages.Where(m => m.Channel == "sms"), m => Assert.Equal(person.Mobile, m.Recipient));
        Assert.All(messages.Where(m => m.Channel == "in-app"), m => Assert.Equal(person.IdNumber, m.Recipient));
        var card = done.Items.Single(i => i.ItemCode == "sscard.card-application");
        Assert.Contains(messages, m => m.Channel == "sms" && m.Content.Contains($"「{card.Title}」已办结", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Content.Contains("联办申请已提交", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeferredSubsidy_ReminderFiresOnTheWorkingDayItIsDue_NotBefore_OnceAcrossRestarts()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.RecentLicence;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var subsidy = done.Items.Single(i => i.ItemCode == Subsidy);
        Assert.Equal(ItemState.Deferred, subsidy.State);
        var eligible = DateOnly.ParseExact(subsidy.EligibleDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var calendar = sandbox.HubServices.GetRequiredService<CatalogSnapshot>().Calendar;
        var day = NotificationPlanner.FirstWorkingDayOnOrAfter(calendar, eligible);
        Assert.NotEqual(DayOfWeek.Saturday, day.DayOfWeek);
        Assert.NotEqual(DayOfWeek.Sunday, day.DayOfWeek);
        var prefix = $"{submitted.Name["applications/".Length..]}/{Subsidy}/reminder/";
        bool IsReminder(OneThing.Simulators.DeliveredMessage m) => m.RequestId.StartsWith(prefix, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.Simulators.Messaging.Delivered, IsReminder);

        // A minute before 09:00 on that day (the hub restarted in between): nothing yet.
        await RestartAtAsync(sandbox, new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 59)), China));
        await sandbox.HubServices.GetRequiredService<NotificationWorker>().RunOnceAsync(TestContext.Current.CancellationToken).Within();
        Assert.DoesNotContain(sandbox.Simulators.Messaging.Delivered, IsReminder);

        // Just after 09:00 on the day, after another restart: both channels, once each.
        await RestartAtAsync(sandbox, new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 1)), China));
        var reminders = await WaitForMessagesAsync(sandbox, IsReminder, 2);
        Assert.Equal(["in-app", "sms"], reminders.Select(m => m.Channel).Order(StringComparer.Ordinal));
        Assert.All(reminders, m => Assert.Contains(day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), m.Content, StringComparison.Ordinal));

        // Later the same day, once more restarted: nothing is sent again.
        await RestartAtAsync(sandbox, new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), China));
        await sandbox.HubServices.GetRequiredService<NotificationWorker>().RunOnceAsync(TestContext.Current.CancellationToken).Within();
        Assert.Equal(2, sandbox.Simulators.Messaging.Delivered.Count(IsReminder));

        // Recorded as sent, once per channel (a send cut short by a restart goes again under the same
        // key, which the channel delivers once).
        await CallbackTests.WaitForAsync(sandbox, async db => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Notifications, n => n.Key.StartsWith(prefix) && n.State == OneThing.Hub.Persistence.NotificationState.Sent) == 2);
    }

    [Fact]
    public async Task ReturnedItem_CorrectedBeforeTheReminder_ReminderDropped()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var application = SampleApplications.Luoyang(person, Today);
        application.Fields["card.photo_receipt_no"] = "000000000000";
        var submitted = await sandbox.SubmitAsync(application);
        var waiting = await sandbox.WaitUntilAsync(submitted.Name, a =>
            a.Items.All(i => i.ItemCode == "sscard.card-application" ? i.State == ItemState.Returned : i.State == ItemState.Succeeded));
        var returned = waiting.Items.Single(i => i.ItemCode == "sscard.card-application");
        var request = new ResubmitItemRequest { Name = returned.Name, RequestId = Guid.NewGuid().ToString() };
        request.Fields["card.photo_receipt_no"] = person.PhotoReceiptNo;
        await sandbox.Applications.ResubmitItemAsync(request, Bounded.Options).Within();
        await sandbox.WaitForCompletionAsync(submitted.Name);

        // A month later the correction reminder is long due, but the item was corrected: it is dropped.
        await RestartAtAsync(sandbox, DateTimeOffset.UtcNow.AddDays(30));
        await sandbox.HubServices.GetRequiredService<NotificationWorker>().RunOnceAsync(TestContext.Current.CancellationToken).Within();

        var prefix = $"{submitted.Name["applications/".Length..]}/sscard.card-application/reminder/";
        Assert.DoesNotContain(sandbox.Simulators.Messaging.Delivered, m => m.RequestId.StartsWith(prefix, StringComparison.Ordinal));
        // The hub's own worker may be finishing one of them: wait (bounded) until both are settled.
        await CallbackTests.WaitForAsync(sandbox, async db => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Notifications, n => n.Key.StartsWith(prefix) && n.State == OneThing.Hub.Persistence.NotificationState.Dropped) == 2);
        Assert.DoesNotContain(sandbox.Simulators.Messaging.Delivered, m => m.RequestId.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static async Task RestartAtAsync(HubSandbox sandbox, DateTimeOffset now)
    {
        await sandbox.StopHubAsync().Within();
        await sandbox.StartHubAsync(new ShiftedTimeProvider(now)).Within();
    }

    private static async Task<IReadOnlyList<OneThing.Simulators.DeliveredMessage>> WaitForMessagesAsync(HubSandbox sandbox, Func<OneThing.Simulators.DeliveredMessage, bool> which, int count)
    {
        var until = DateTime.UtcNow + Bounded.Default;
        while (true)
        {
            var messages = sandbox.Simulators.Messaging.Delivered.Where(which).ToList();
            if (messages.Count >= count || DateTime.UtcNow > until)
            {
                return messages;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
