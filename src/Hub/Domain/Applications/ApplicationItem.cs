namespace OneThing.Hub.Domain.Applications;

/// <summary>One item of a joint application (子件): its state, its department case and its history.</summary>
public sealed class ApplicationItem
{
    private List<ItemEvent> _history = [];

    private ApplicationItem()
    {
        ApplicationId = string.Empty;
        ItemCode = string.Empty;
        Title = string.Empty;
        Department = string.Empty;
        DepartmentTitle = string.Empty;
        SubmissionId = string.Empty;
        Prerequisites = [];
        Result = new Dictionary<string, string>();
        Reasons = [];
    }

    internal ApplicationItem(
        string applicationId,
        string itemCode,
        string title,
        string department,
        string departmentTitle,
        IReadOnlyList<string> prerequisites,
        string submissionId,
        int ordinal,
        DateOnly? dueDate,
        DateTimeOffset now)
        : this()
    {
        Ordinal = ordinal;
        ApplicationId = applicationId;
        ItemCode = itemCode;
        Title = title;
        Department = department;
        DepartmentTitle = departmentTitle;
        Prerequisites = prerequisites;
        SubmissionId = submissionId;
        DueDate = dueDate;
        State = ItemState.Pending;
        UpdatedAt = now;
        StateChangedAt = now;
        _history.Add(new ItemEvent(now, ItemState.Pending, "已受理，等待推送至" + departmentTitle));
    }

    /// <summary>The application's id.</summary>
    public string ApplicationId { get; private set; }

    /// <summary>The catalog item code.</summary>
    public string ItemCode { get; private set; }

    /// <summary>The item's place in dispatch order (prerequisites first), for display.</summary>
    public int Ordinal { get; private set; }

    /// <summary>The item's title, as the catalog had it at submission.</summary>
    public string Title { get; private set; }

    /// <summary>The department's stable name.</summary>
    public string Department { get; private set; }

    /// <summary>The department's name a citizen reads.</summary>
    public string DepartmentTitle { get; private set; }

    /// <summary>Items that must succeed before this one, as the catalog had them at submission.</summary>
    public IReadOnlyList<string> Prerequisites { get; private set; }

    /// <summary>The id of this submission to the department; its idempotency key.</summary>
    public string SubmissionId { get; private set; }

    /// <summary>The state.</summary>
    public ItemState State { get; private set; }

    /// <summary>The department's case number, once known.</summary>
    public string? CaseNumber { get; private set; }

    /// <summary>What the department produced.</summary>
    public IReadOnlyDictionary<string, string> Result { get; private set; }

    /// <summary>Why the item was returned, refused, deferred or not started.</summary>
    public IReadOnlyList<ItemReason> Reasons { get; private set; }

    /// <summary>Where an accepted item is in the department's review (e.g. 学校审核通过，人社初审中).</summary>
    public string? Stage { get; private set; }

    /// <summary>The department's opinion (办结意见).</summary>
    public string? Opinion { get; private set; }

    /// <summary>For a deferred item: the first day the applicant is eligible.</summary>
    public DateOnly? EligibleDate { get; private set; }

    /// <summary>The deadline, in working days from submission.</summary>
    public DateOnly? DueDate { get; private set; }

    /// <summary>How many times the hub tried to reach the department.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the hub tries again, while the department cannot be reached.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>The last technical error reaching the department (no personal data).</summary>
    public string? LastError { get; private set; }

    /// <summary>When the item last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the item entered its current state (retries and review stages do not count).</summary>
    public DateTimeOffset StateChangedAt { get; private set; }

    /// <summary>What happened to the item, oldest first.</summary>
    public IReadOnlyList<ItemEvent> History
    {
        get => _history;
        private set => _history = [.. value];
    }

    internal void Apply(ItemDecision decision, DateTimeOffset now)
    {
        var (trigger, description) = decision switch
        {
            ItemDecision.Accepted a => (ItemTrigger.Accept, $"{DepartmentTitle}已受理，受理编号{a.Case}" + (a.Stage is { Length: > 0 } st ? $"（{st}）" : string.Empty)),
            ItemDecision.Completed c => (ItemTrigger.Complete, $"{DepartmentTitle}已办结" + (c.Opinion is { Length: > 0 } o ? $"：{o}" : string.Empty)),
            ItemDecision.Rejected r => (ItemTrigger.Reject, $"{DepartmentTitle}不予办理：{Join(r.Reasons)}"),
            ItemDecision.Returned r => (ItemTrigger.Return, $"{DepartmentTitle}退回补正：{Join(r.Reasons)}"),
            ItemDecision.Deferred d => (ItemTrigger.Defer, $"暂不符合条件：{Join(d.Reasons)}（{d.EligibleOn:yyyy-MM-dd}起可申请，届时提醒）"),
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "unknown decision"),
        };
        Transition(trigger, now, description);
        CaseNumber = decision.CaseNumber ?? CaseNumber;
        NextAttemptAt = null;
        LastError = null;
        switch (decision)
        {
            case ItemDecision.Accepted a:
                Stage = a.Stage;
                break;
            case ItemDecision.Completed c:
                Result = new Dictionary<string, string>(c.Result);
                Opinion = c.Opinion;
                break;
            case ItemDecision.Rejected r:
                Reasons = r.Reasons;
                break;
            case ItemDecision.Returned r:
                Reasons = r.Reasons;
                break;
            case ItemDecision.Deferred d:
                Reasons = d.Reasons;
                EligibleDate = d.EligibleOn;
                break;
        }
    }

    /// <summary>
    /// Records where an accepted item is in the department's review. A new stage is appended to the
    /// history; the same stage again changes nothing. Returns whether anything changed.
    /// </summary>
    internal bool RecordStage(string? stage, DateTimeOffset now)
    {
        if (State != ItemState.InProgress || string.IsNullOrEmpty(stage) || stage == Stage)
        {
            return false;
        }

        Stage = stage;
        UpdatedAt = now;
        _history.Add(new ItemEvent(now, State, $"{DepartmentTitle}：{stage}"));
        return true;
    }

    internal void SkipForPrerequisite(ApplicationItem prerequisite, DateTimeOffset now)
    {
        var reason = new ItemReason(
            "PREREQUISITE_FAILED",
            $"前置事项「{prerequisite.Title}」未办结通过，本事项未启动" +
            (prerequisite.Reasons.Count > 0 ? $"（{Join(prerequisite.Reasons)}）" : string.Empty));
        Transition(ItemTrigger.SkipForPrerequisite, now, reason.Message);
        Reasons = [reason];
    }

    /// <summary>How many times the applicant corrected and resubmitted this item.</summary>
    public int Corrections => _history.Count(e => e.CorrectionRequestId is not null);

    /// <summary>Whether the resubmission with <paramref name="requestId"/> was already recorded.</summary>
    public bool HasCorrection(string requestId) => _history.Exists(e => e.CorrectionRequestId == requestId);

    /// <summary>
    /// Sends a returned item again after the applicant's correction: it waits for dispatch under a new
    /// submission id, so the department sees a new request (the returned one keeps its own answer), while
    /// retries of this resubmission reuse the new id.
    /// </summary>
    internal void Resubmit(string newSubmissionId, string requestId, DateTimeOffset now)
    {
        var next = ItemStateMachine.Next(State, ItemTrigger.Resubmit) ?? throw new InvalidItemTransitionException(ItemCode, State, ItemTrigger.Resubmit);
        State = next;
        UpdatedAt = now;
        StateChangedAt = now;
        _history.Add(new ItemEvent(now, next, $"申请人已补正（第{Corrections + 1}次），等待重新推送至{DepartmentTitle}", requestId));
        SubmissionId = newSubmissionId;
        Reasons = [];
        Attempts = 0;
        NextAttemptAt = null;
        LastError = null;
        Stage = null;
    }

    internal void Withdraw(ItemReason reason, DateTimeOffset now)
    {
        var note = Attempts > 0 && CaseNumber is null ? "（此前推送未获部门答复；如部门已立案，将由部门另行处理）" : string.Empty;
        Transition(ItemTrigger.Withdraw, now, $"申请人已撤回：{reason.Message}{note}");
        Reasons = [reason];
        NextAttemptAt = null;
    }

    internal void Cancel(ItemReason reason, DateTimeOffset now)
    {
        Transition(ItemTrigger.Cancel, now, $"已撤销：{reason.Message}");
        Reasons = [reason];
        NextAttemptAt = null;
    }

    internal void RecordDispatchFailure(int attempts, DateTimeOffset? nextAttemptAt, string error, DateTimeOffset now)
    {
        Attempts = attempts;
        NextAttemptAt = nextAttemptAt;
        LastError = error;
        UpdatedAt = now;
    }

    internal void RecordAttempt(int attempts, DateTimeOffset now)
    {
        Attempts = attempts;
        UpdatedAt = now;
    }

    internal void ScheduleRetry(DateTimeOffset nextAttemptAt, DateTimeOffset now)
    {
        Attempts = 0;
        NextAttemptAt = nextAttemptAt;
        UpdatedAt = now;
    }

    private void Transition(ItemTrigger trigger, DateTimeOffset now, string description)
    {
        var next = ItemStateMachine.Next(State, trigger) ?? throw new InvalidItemTransitionException(ItemCode, State, trigger);
        State = next;
        UpdatedAt = now;
        StateChangedAt = now;
        _history.Add(new ItemEvent(now, next, description));
    }

    private static string Join(IReadOnlyList<ItemReason> reasons) => string.Join("；", reasons.Select(r => r.Message));
}
