using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Notifications;

namespace OneThing.Tests.Domain;

/// <summary>What a state change says, and when the catalog's reminders fire. No I/O.</summary>
public sealed class NotificationPlannerTests
{
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    private static readonly ThemeDefinition Luoyang = Catalog.Latest("luoyang.personal-startup")!;
    private static readonly ThemeDefinition Shaoguan = Catalog.Latest("shaoguan.personal-startup")!;
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static JointApplication Submitted(ThemeDefinition theme, DateTimeOffset now, Dictionary<string, string>? fields = null, params string[] items)
    {
        var content = new ApplicationContent(
            new ApplicantInfo("张三", Sex.Male, "汉族", IdDocumentKind.ResidentId, "11010519491231002X", "13800000000", null),
            items,
            fields ?? [],
            null,
            null,
            null);
        var application = JointApplication.CreateDraft("a1", null, theme, content, now);
        var n = 0;
        application.Submit(theme, "r1", Catalog.Calendar, () => $"s{n++}", now);
        return application;
    }

    [Fact]
    public void Plan_Submission_OneMessagePerChannelWithStableKeys()
    {
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, China);
        var application = Submitted(Luoyang, now, null, "market.licence-verification", "sscard.card-application");

        var submitted = Assert.Single(application.TakeStateChanges());
        var planned = NotificationPlanner.Plan(application, Luoyang, submitted, Catalog.Calendar);

        Assert.Equal([NotificationChannel.Sms, NotificationChannel.InApp], planned.Select(p => p.Channel));
        Assert.All(planned, p => Assert.Contains("共2个事项", p.Text, StringComparison.Ordinal));
        Assert.Equal(planned.Select(p => p.Key), NotificationPlanner.Plan(application, Luoyang, submitted, Catalog.Calendar).Select(p => p.Key));
        Assert.Empty(application.TakeStateChanges());
    }

    [Fact]
    public void Plan_DeferredSubsidy_StateMessageNowAndReminderOnFirstWorkingDayFromEligibleDate()
    {
        var now = new DateTimeOffset(2026, 9, 21, 10, 0, 0, China);
        var application = Submitted(Luoyang, now, null, "market.licence-verification", "hr.startup-subsidy");
        application.TakeStateChanges();
        application.RecordDecision("market.licence-verification", new ItemDecision.Completed("V1", new Dictionary<string, string>(), null), now);

        // Eligible on Saturday 2026-09-26, inside the Mid-Autumn holiday (25–27 September): the reminder
        // goes out on Monday the 28th at 09:00.
        application.RecordDecision("hr.startup-subsidy", new ItemDecision.Deferred(null, new DateOnly(2026, 9, 26), [new ItemReason("NOT_YET_ONE_YEAR", "自登记注册之日起未满1年")]), now);
        var changes = application.TakeStateChanges();
        var planned = changes.SelectMany(c => NotificationPlanner.Plan(application, Luoyang, c, Catalog.Calendar)).ToList();

        var reminder = planned.Where(p => p.Kind == NotificationKind.Reminder).ToList();
        Assert.Equal(2, reminder.Count);
        Assert.All(reminder, r => Assert.Equal(new DateTimeOffset(2026, 9, 28, 9, 0, 0, China), r.DueAt));
        Assert.All(reminder, r => Assert.Equal(ItemState.Deferred, r.ExpectedState));
        Assert.Contains("2026年9月28日起可以申请", reminder[0].Text, StringComparison.Ordinal);
        var deferredNow = planned.Where(p => p.Kind == NotificationKind.StateChange && p.ItemCode == "hr.startup-subsidy").ToList();
        Assert.Equal(2, deferredNow.Count);
        Assert.All(deferredNow, p => Assert.Equal(now, p.DueAt));
        Assert.Contains("自登记注册之日起未满1年", deferredNow[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ReturnedBeforeNationalDay_CorrectionReminderCountsWorkingDaysAcrossTheHoliday()
    {
        var now = new DateTimeOffset(2026, 9, 29, 15, 0, 0, China);
        var application = Submitted(Luoyang, now, null, "sscard.card-application");
        application.TakeStateChanges();
        application.RecordDecision("sscard.card-application", new ItemDecision.Returned(null, [new ItemReason("PHOTO_RECEIPT_INVALID", "相片回执号无效", "fields[card.photo_receipt_no]")]), now);

        var planned = application.TakeStateChanges().SelectMany(c => NotificationPlanner.Plan(application, Luoyang, c, Catalog.Calendar)).ToList();

        // Three working days after Tuesday 29 September: the 30th, then 1–7 October are holidays,
        // Thursday the 8th, Friday the 9th; the reminder goes out on the 9th.
        var reminder = planned.First(p => p.Kind == NotificationKind.Reminder);
        Assert.Equal(new DateTimeOffset(2026, 10, 9, 9, 0, 0, China), reminder.DueAt);
        Assert.Equal(ItemState.Returned, reminder.ExpectedState);
        Assert.Equal(0, reminder.ExpectedCorrections);
        Assert.Contains("已被退回", planned.First(p => p.Kind == NotificationKind.StateChange).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RentSubsidyGranted_YearlyClaimRemindersForTheRestOfTheThreeYears()
    {
        var now = new DateTimeOffset(2026, 3, 2, 10, 0, 0, China);
        var application = Submitted(Shaoguan, now, new Dictionary<string, string> { ["unit.registration_date"] = "2025-10-01" }, "hr.rent-subsidy");
        application.TakeStateChanges();
        application.RecordDecision("hr.rent-subsidy", new ItemDecision.Completed("Z1", new Dictionary<string, string>(), null), now);

        var reminders = application.TakeStateChanges()
            .SelectMany(c => NotificationPlanner.Plan(application, Shaoguan, c, Catalog.Calendar))
            .Where(p => p.Kind == NotificationKind.Reminder && p.Channel == NotificationChannel.Sms)
            .ToList();

        // 2026-10-01 is a holiday until the 7th and the 8th is a working day; 2027-10-01 is a Friday
        // (that year's holidays are not in the calendar yet, so only weekends are skipped for now and
        // the day is checked again when the reminder is due).
        Assert.Equal(
            [new DateTimeOffset(2026, 10, 8, 9, 0, 0, China), new DateTimeOffset(2027, 10, 1, 9, 0, 0, China)],
            reminders.Select(r => r.DueAt));
        Assert.Equal(2, reminders.Select(r => r.Key).Distinct().Count());
    }

    [Fact]
    public void Plan_CatalogReminderOnUnknownField_RefusedWhenTheCatalogLoads()
    {
        var item = Shaoguan.Items.Single(i => i.Code == "hr.rent-subsidy");
        var broken = item with { Reminders = [new ReminderDefinition("x", ItemStateName.Succeeded, ReminderAnchor.Field, "no.such-field", 1, 0, 1, "t")] };
        var theme = new ThemeDefinition(
            Shaoguan.Code, Shaoguan.Version, Shaoguan.Title, Shaoguan.Region, Shaoguan.Source, Shaoguan.TimeLimitWorkingDays,
            [.. Shaoguan.Items.Select(i => i.Code == item.Code ? broken : i)], Shaoguan.Materials, Shaoguan.Fields);

        var problems = CatalogRules.Check(theme);

        Assert.Contains(problems, p => p.Place.EndsWith("reminders[0].key", StringComparison.Ordinal));
    }
}
