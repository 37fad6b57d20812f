using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Persistence;

namespace OneThing.Tests.Persistence;

/// <summary>Builds applications the way the submit use case does: the aggregate, then a task per ready item.</summary>
internal static class SubmittedApplications
{
    public static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    public static readonly ThemeDefinition Luoyang = Catalog.Latest("luoyang.personal-startup")!;

    /// <summary>A Monday inside the calendar data, in China time, with sub-millisecond ticks on purpose.</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 23, 9, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);

    public static ApplicationContent Content(string name = "张三") => new(
        new ApplicantInfo(name, Sex.Male, "汉族", IdDocumentKind.ResidentId, "11010519491231002X", "13800000000",
            new AddressInfo("410302001000", "洛阳市老城区西关街道 “一件事” 路 1 号")),
        Luoyang.Items.Select(i => i.Code).ToArray(),
        new Dictionary<string, string>
        {
            ["licence.name"] = "洛阳市老城区张三小吃店",
            ["licence.uscc"] = "92410302MA9XXXXX1K",
            ["pension.contribution_base"] = "4500.00",
            ["note"] = "quotes \" backslash \\ newline \n emoji 😀",
        },
        new PaymentAccountInfo("中国工商银行洛阳分行", "6222020000000000000"),
        new DeliveryInfo(DeliveryKind.Mail, new AddressInfo("410302001000", "西关街道 2 号"), "李四", "13900000000", string.Empty),
        new PledgeInfo(true, "2026-11-23", ["pledge.truthful"]),
        new Dictionary<string, string> { ["has_licence"] = "yes" });

    public static JointApplication Draft(string? createRequestId = null, string? id = null) =>
        JointApplication.CreateDraft(id ?? NewId(), createRequestId, Luoyang, Content(), Now);

    /// <summary>A submitted application and its first dispatch tasks, unsaved.</summary>
    public static (JointApplication Application, List<DispatchTask> Tasks) Submitted(string submitRequestId, string? id = null)
    {
        var application = Draft(id: id);
        var ready = application.Submit(Luoyang, submitRequestId, Catalog.Calendar, NewId, Now);
        var tasks = ready.Select(i => Task(application.Id, i.ItemCode, Now)).ToList();
        return (application, tasks);
    }

    public static DispatchTask Task(string applicationId, string itemCode, DateTimeOffset dueAt) => new()
    {
        ApplicationId = applicationId,
        ItemCode = itemCode,
        Kind = DispatchTaskKind.Submit,
        State = DispatchTaskState.Scheduled,
        DueAt = dueAt,
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    public static string NewId() => Guid.NewGuid().ToString("N");
}
