using OneThing.Hub.V1;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.WebConsole.Internal;

/// <summary>The Chinese words and stable codes shown for states (the codes are the contract's enum names).</summary>
public static class StateLabels
{
    /// <summary>The stable code of an item state, e.g. <c>SUCCEEDED</c>.</summary>
    public static string Code(ItemState state) => state switch
    {
        ItemState.Pending => "PENDING",
        ItemState.InProgress => "IN_PROGRESS",
        ItemState.Succeeded => "SUCCEEDED",
        ItemState.Rejected => "REJECTED",
        ItemState.Returned => "RETURNED",
        ItemState.NotStarted => "NOT_STARTED",
        ItemState.Deferred => "DEFERRED",
        ItemState.Cancelled => "CANCELLED",
        _ => "UNSPECIFIED",
    };

    /// <summary>The generic word for an item state, for when the theme has none of its own.</summary>
    public static string Text(ItemState state) => state switch
    {
        ItemState.Pending => "待办",
        ItemState.InProgress => "办理中",
        ItemState.Succeeded => "已完结",
        ItemState.Rejected => "不予办理",
        ItemState.Returned => "已退回",
        ItemState.NotStarted => "未启动",
        ItemState.Deferred => "暂缓",
        ItemState.Cancelled => "已撤销",
        _ => "未知",
    };

    /// <summary>Whether nothing more will happen to an item without someone acting (it is no longer pending or in progress).</summary>
    public static bool IsSettled(ItemState state) => state is not (ItemState.Pending or ItemState.InProgress or ItemState.Unspecified);

    /// <summary>The stable code of an application state.</summary>
    public static string Code(Application.Types.State state) => state switch
    {
        Application.Types.State.Draft => "DRAFT",
        Application.Types.State.InProgress => "IN_PROGRESS",
        Application.Types.State.ActionRequired => "ACTION_REQUIRED",
        Application.Types.State.Completed => "COMPLETED",
        _ => "UNSPECIFIED",
    };

    /// <summary>The word for an application state.</summary>
    public static string Text(Application.Types.State state) => state switch
    {
        Application.Types.State.Draft => "草稿",
        Application.Types.State.InProgress => "办理中",
        Application.Types.State.ActionRequired => "待补正",
        Application.Types.State.Completed => "已办结",
        _ => "未知",
    };

    /// <summary>The word for a kind of work.</summary>
    public static string Text(WorkKind kind) => kind switch
    {
        WorkKind.Stuck => "停滞",
        WorkKind.Overdue => "超期",
        WorkKind.Exhausted => "重试已用尽",
        _ => "未知",
    };

    /// <summary>The word for an operator's action.</summary>
    public static string Text(OperatorAction.Types.Kind kind) => kind switch
    {
        OperatorAction.Types.Kind.Retry => "重试",
        OperatorAction.Types.Kind.Cancel => "撤销",
        _ => "未知",
    };

    /// <summary>The word for a department's stable name, for lists that carry no titles.</summary>
    public static string Department(string department) => department switch
    {
        "market-regulation" => "市场监管部门",
        "tax" => "税务部门",
        "human-resources" => "人力资源社会保障部门",
        "social-insurance" => "社会保险经办机构",
        "social-security-card" => "社会保障卡服务机构",
        _ => department,
    };
}
