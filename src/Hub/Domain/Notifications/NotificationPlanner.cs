using System.Globalization;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Hub.Domain.Notifications;

/// <summary>The channels a notification goes out on.</summary>
public enum NotificationChannel
{
    /// <summary>A text message to the applicant's mobile (短信).</summary>
    Sms = 1,

    /// <summary>The government-service app's message centre (站内消息).</summary>
    InApp = 2,
}

/// <summary>Why a notification exists.</summary>
public enum NotificationKind
{
    /// <summary>The application or an item changed state.</summary>
    StateChange = 1,

    /// <summary>A reminder the catalog schedules for a later working day.</summary>
    Reminder = 2,
}

/// <summary>
/// A notification to write to the outbox. <see cref="Key"/> is unique: planning the same change twice
/// yields the same keys, so nothing is sent twice.
/// </summary>
/// <param name="Key">The unique key, also the channel's request id.</param>
/// <param name="Channel">Where it goes.</param>
/// <param name="Kind">Why.</param>
/// <param name="ApplicationId">The application.</param>
/// <param name="ItemCode">The item, if any.</param>
/// <param name="DueAt">When to send it.</param>
/// <param name="Title">A short title (in-app).</param>
/// <param name="Text">What the applicant reads (no personal data: the recipient is looked up when sending).</param>
/// <param name="ExpectedState">For a reminder: the item must still be in this state when it is due, or it is dropped.</param>
/// <param name="ExpectedCorrections">For a reminder: and must not have been corrected since.</param>
/// <param name="ExpectedRevision">For a draft's reminder: the draft must still be a draft at this revision.</param>
public sealed record PlannedNotification(
    string Key,
    NotificationChannel Channel,
    NotificationKind Kind,
    string ApplicationId,
    string? ItemCode,
    DateTimeOffset DueAt,
    string Title,
    string Text,
    ItemState? ExpectedState,
    int ExpectedCorrections,
    int? ExpectedRevision = null);

/// <summary>How long drafts live (草稿保留期限) and how early the applicant is reminded.</summary>
/// <param name="Lifetime">A draft untouched this long is deleted.</param>
/// <param name="ReminderBefore">The reminder goes out this long before.</param>
public sealed record DraftPolicy(TimeSpan Lifetime, TimeSpan ReminderBefore)
{
    /// <summary>30 days, reminded 3 days before.</summary>
    public static DraftPolicy Default { get; } = new(TimeSpan.FromDays(30), TimeSpan.FromDays(3));
}

/// <summary>
/// Plans the notifications of a state change (通知) and the reminders the catalog names (提醒): what to
/// say, on which channels, on which working day. No I/O.
/// </summary>
public static class NotificationPlanner
{
    /// <summary>Reminders go out at this time of day, China time.</summary>
    public static readonly TimeOnly ReminderTime = new(9, 0);

    private static readonly NotificationChannel[] Channels = [NotificationChannel.Sms, NotificationChannel.InApp];

    /// <summary>Plans what one change says now, and the reminders it schedules.</summary>
    public static IReadOnlyList<PlannedNotification> Plan(JointApplication application, ThemeDefinition theme, ItemStateChange change, WorkingDayCalendar calendar, DraftPolicy? drafts = null)
    {
        var planned = new List<PlannedNotification>();
        if (change.DraftSaved)
        {
            var policy = drafts ?? DraftPolicy.Default;
            if (policy.Lifetime > policy.ReminderBefore)
            {
                var expires = change.At + policy.Lifetime;
                var text = $"您的「{theme.Title}」申请草稿将于{expires.ToOffset(ChinaTime.Offset):yyyy年M月d日HH:mm}过期删除，请及时继续填写并提交。";
                Add(planned, $"{application.Id}/draft-expiry/{change.Step}", NotificationKind.Reminder, application.Id, null, expires - policy.ReminderBefore,
                    "草稿即将过期", text, null, 0, change.Step);
            }

            return planned;
        }

        if (change.ItemCode is null)
        {
            var text = $"您的「{theme.Title}」联办申请已提交，共{application.Items.Count}个事项，可在“我的办件”查看每个事项的进度。";
            Add(planned, $"{application.Id}/submitted", NotificationKind.StateChange, application.Id, null, change.At, "申请已提交", text, null, 0);
            return planned;
        }

        var item = application.Item(change.ItemCode);
        if (StateText(item, change.State) is { } said)
        {
            Add(planned, $"{application.Id}/{item.ItemCode}/state/{change.Step}", NotificationKind.StateChange, application.Id, item.ItemCode, change.At,
                $"{item.Title}：{StatusWord(theme, change.State)}", $"您申请的「{item.Title}」{said}", null, 0);
        }

        var definition = theme.Items.FirstOrDefault(i => i.Code == item.ItemCode);
        foreach (var reminder in definition?.ReminderRules ?? [])
        {
            if ((int)reminder.When != (int)change.State || Anchor(application, item, reminder, change) is not { } anchor)
            {
                continue;
            }

            for (var n = 0; n < reminder.Repeat; n++)
            {
                var date = anchor.AddYears(reminder.OffsetYears + n);
                date = reminder.OffsetWorkingDays > 0 ? AddWorkingDays(calendar, date, reminder.OffsetWorkingDays) : date;
                var day = FirstWorkingDayOnOrAfter(calendar, date);
                var text = reminder.Text
                    .Replace("{title}", item.Title, StringComparison.Ordinal)
                    .Replace("{date}", day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), StringComparison.Ordinal);
                Add(planned, $"{application.Id}/{item.ItemCode}/reminder/{reminder.Code}/{item.Corrections}/{n}", NotificationKind.Reminder, application.Id, item.ItemCode,
                    new DateTimeOffset(day.ToDateTime(ReminderTime), ChinaTime.Offset), $"{item.Title}：提醒", text, change.State, item.Corrections);
            }
        }

        return planned;
    }

    /// <summary>
    /// The first working day on or after <paramref name="date"/>. Where the calendar does not cover a
    /// year yet, weekends are skipped and the day is checked again when the reminder is due.
    /// </summary>
    public static DateOnly FirstWorkingDayOnOrAfter(WorkingDayCalendar calendar, DateOnly date)
    {
        var day = date;
        for (var i = 0; i < 60; i++, day = day.AddDays(1))
        {
            if (IsWorkingDay(calendar, day) != false)
            {
                return day;
            }
        }

        return date;
    }

    /// <summary>Whether the day is a working day: null when the calendar does not cover its year and it is a weekday.</summary>
    public static bool? IsWorkingDay(WorkingDayCalendar calendar, DateOnly day) =>
        calendar.CoveredYears.Contains(day.Year)
            ? calendar.IsWorkingDay(day)
            : day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? false : null;

    private static DateOnly AddWorkingDays(WorkingDayCalendar calendar, DateOnly start, int days)
    {
        var day = start;
        for (var left = days; left > 0;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(calendar, day) != false)
            {
                left--;
            }
        }

        return day;
    }

    private static DateOnly? Anchor(JointApplication application, ApplicationItem item, ReminderDefinition reminder, ItemStateChange change)
    {
        static DateOnly? Parse(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        return reminder.Anchor switch
        {
            ReminderAnchor.StateChanged => ChinaTime.Today(change.At),
            ReminderAnchor.EligibleDate => item.EligibleDate,
            ReminderAnchor.Field => Parse(application.Content.Fields.GetValueOrDefault(reminder.Key ?? string.Empty)),
            ReminderAnchor.Result => Parse(item.Result.GetValueOrDefault(reminder.Key ?? string.Empty)),
            _ => null,
        };
    }

    private static string? StateText(ApplicationItem item, ItemState state)
    {
        static string Reasons(ApplicationItem i) => string.Join("；", i.Reasons.Select(r => r.Message));
        return state switch
        {
            ItemState.InProgress => $"已由{item.DepartmentTitle}受理" + (item.CaseNumber is { Length: > 0 } c ? $"，受理编号{c}。" : "。"),
            ItemState.Succeeded => $"已办结。" + (item.CaseNumber is { Length: > 0 } c ? $"办件编号{c}。" : string.Empty),
            ItemState.Rejected => $"未予办理：{Reasons(item)}。",
            ItemState.Returned => $"已被退回，请按退回意见补正后重新提交：{Reasons(item)}。",
            ItemState.Deferred => $"暂不符合申请条件：{Reasons(item)}。" + (item.EligibleDate is { } e ? $"{e:yyyy年M月d日}起可申请，届时将提醒您。" : string.Empty),
            ItemState.NotStarted => $"未启动：{Reasons(item)}。",
            ItemState.Cancelled => $"已撤销：{Reasons(item)}。",
            ItemState.Withdrawn => $"已按您的要求撤回。",
            _ => null,
        };
    }

    private static string StatusWord(ThemeDefinition theme, ItemState state) =>
        theme.StatusTexts is { } texts && texts.TryGetValue(state.ToString(), out var word) ? word : state switch
        {
            ItemState.InProgress => "办理中",
            ItemState.Succeeded => "已办结",
            ItemState.Rejected => "不予办理",
            ItemState.Returned => "已退回",
            ItemState.Deferred => "暂缓",
            ItemState.NotStarted => "未启动",
            ItemState.Cancelled => "已撤销",
            ItemState.Withdrawn => "已撤回",
            _ => "待办",
        };

    private static void Add(List<PlannedNotification> planned, string key, NotificationKind kind, string applicationId, string? itemCode, DateTimeOffset dueAt, string title, string text, ItemState? expected, int corrections, int? revision = null)
    {
        foreach (var channel in Channels)
        {
            planned.Add(new PlannedNotification($"{key}/{(channel == NotificationChannel.Sms ? "sms" : "in-app")}", channel, kind, applicationId, itemCode, dueAt, title, text, expected, corrections, revision));
        }
    }
}
