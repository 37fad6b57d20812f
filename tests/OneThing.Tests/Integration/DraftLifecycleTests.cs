using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Applications;
using OneThing.Hub.Notifications;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Integration;

/// <summary>Drafts are kept for a while, the applicant is reminded before they expire, and they can be deleted.</summary>
public sealed class DraftLifecycleTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Draft_RemindedThreeDaysBeforeExpiry_ThenDeleted_SavedAgainMovesBoth()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var kept = await sandbox.Applications.CreateApplicationAsync(new CreateApplicationRequest { Application = SampleApplications.Luoyang(person, Today) }, Bounded.Options).Within();
        var forgotten = await sandbox.Applications.CreateApplicationAsync(new CreateApplicationRequest { Application = SampleApplications.Luoyang(person, Today) }, Bounded.Options).Within();
        Assert.Equal(kept.CreateTime.ToDateTimeOffset() + TimeSpan.FromDays(30), kept.ExpireTime.ToDateTimeOffset());
        var start = kept.CreateTime.ToDateTimeOffset();

        // Ten days later the applicant saves one draft again: its expiry moves on.
        await RestartAtAsync(sandbox, start.AddDays(10));
        var saved = kept.Clone();
        saved.Fields["pension.contribution_base"] = "5000.00";
        saved = await sandbox.Applications.UpdateApplicationAsync(new UpdateApplicationRequest { Application = saved }, Bounded.Options).Within();
        // The save is stamped by the hub's running clock: allow for a busy machine between restart and save.
        Assert.Equal(start.AddDays(40), saved.ExpireTime.ToDateTimeOffset(), TimeSpan.FromSeconds(30));

        // 27 days and a minute after creation: the forgotten draft's reminder goes out, the saved one's first does not.
        await RestartAtAsync(sandbox, start.AddDays(27).AddMinutes(1));
        var reminders = await DraftRemindersAsync(sandbox, 2);
        await sandbox.HubServices.GetRequiredService<NotificationWorker>().RunOnceAsync(TestContext.Current.CancellationToken).Within();
        reminders = await DraftRemindersAsync(sandbox, 2);
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, m => Assert.StartsWith(forgotten.Name["applications/".Length..], m.RequestId, StringComparison.Ordinal));
        Assert.Contains("草稿将于", reminders[0].Content, StringComparison.Ordinal);

        // 30 days and a minute: the forgotten draft is gone, the saved one stays.
        await RestartAtAsync(sandbox, start.AddDays(30).AddMinutes(1));
        // The hub sweeps when it starts, and every minute; sweep now rather than wait.
        await sandbox.HubServices.GetRequiredService<DraftExpiry>().SweepAsync(TestContext.Current.CancellationToken).Within();
        var gone = await RichErrors.FailureOf(() => sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = forgotten.Name }, Bounded.Options).ResponseAsync);
        // Its applicant read it before; now it is out of reach like anything that does not exist.
        Assert.Equal((StatusCode.PermissionDenied, "APPLICATION_NOT_ACCESSIBLE"), (gone.Code, gone.Info.Reason));
        var still = await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = kept.Name }, Bounded.Options).Within();
        Assert.Equal(Application.Types.State.Draft, still.State);
    }

    [Fact]
    public async Task DeleteApplication_DraftGoneSubmittedRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var draft = await sandbox.Applications.CreateApplicationAsync(new CreateApplicationRequest { Application = SampleApplications.Luoyang(person, Today) }, Bounded.Options).Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));

        var stale = await RichErrors.FailureOf(() => sandbox.Applications.DeleteApplicationAsync(new DeleteApplicationRequest { Name = draft.Name, Etag = "r999" }, Bounded.Options).ResponseAsync);
        await sandbox.Applications.DeleteApplicationAsync(new DeleteApplicationRequest { Name = draft.Name, Etag = draft.Etag }, Bounded.Options).Within();
        var again = await RichErrors.FailureOf(() => sandbox.Applications.DeleteApplicationAsync(new DeleteApplicationRequest { Name = draft.Name }, Bounded.Options).ResponseAsync);
        var notDraft = await RichErrors.FailureOf(() => sandbox.Applications.DeleteApplicationAsync(new DeleteApplicationRequest { Name = submitted.Name }, Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, stale.Code);
        // A deleted draft is, to its applicant, like any application they may not reach: no hint of what existed.
        Assert.Equal((StatusCode.PermissionDenied, "APPLICATION_NOT_ACCESSIBLE"), (again.Code, again.Info.Reason));
        Assert.Equal((StatusCode.FailedPrecondition, "NOT_A_DRAFT"), (notDraft.Code, notDraft.Info.Reason));
        Assert.Null(submitted.ExpireTime);
    }

    /// <summary>The draft reminders delivered so far, once at least <paramref name="count"/> arrived (or the bound passed).</summary>
    private static async Task<List<OneThing.Simulators.DeliveredMessage>> DraftRemindersAsync(HubSandbox sandbox, int count)
    {
        var until = DateTime.UtcNow + Bounded.Default;
        while (true)
        {
            var reminders = sandbox.Simulators.Messaging.Delivered.Where(m => m.RequestId.Contains("/draft-expiry/", StringComparison.Ordinal)).ToList();
            if (reminders.Count >= count || DateTime.UtcNow > until)
            {
                return reminders;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static async Task RestartAtAsync(HubSandbox sandbox, DateTimeOffset now)
    {
        await sandbox.StopHubAsync().Within();
        await sandbox.StartHubAsync(new ShiftedTimeProvider(now)).Within();
    }
}
