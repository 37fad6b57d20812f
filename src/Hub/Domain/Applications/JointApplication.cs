using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Hub.Domain.Applications;

/// <summary>The overall state of a joint application, derived from its items.</summary>
public enum ApplicationState
{
    /// <summary>Saved, not submitted.</summary>
    Draft = 1,

    /// <summary>Submitted; items are being handled.</summary>
    InProgress = 2,

    /// <summary>Some item was returned and needs the applicant.</summary>
    ActionRequired = 3,

    /// <summary>Every item reached a final state.</summary>
    Completed = 4,
}

/// <summary>
/// A joint application (一件事联办申请): one form, many items, each moving on independently. The
/// aggregate owns every state change of itself and its items.
/// </summary>
public sealed class JointApplication
{
    private readonly List<ApplicationItem> _items = [];
    private readonly List<ItemStateChange> _changes = [];

    private JointApplication()
    {
        Id = string.Empty;
        ThemeCode = string.Empty;
        Content = null!;
    }

    /// <summary>The id; the resource name is <c>applications/{Id}</c>.</summary>
    public string Id { get; private set; }

    /// <summary>The caller's request id of the creation, if any (idempotency).</summary>
    public string? CreateRequestId { get; private set; }

    /// <summary>The caller's request id of the submission (idempotency).</summary>
    public string? SubmitRequestId { get; private set; }

    /// <summary>The theme code.</summary>
    public string ThemeCode { get; private set; }

    /// <summary>The catalog version the application is under.</summary>
    public int ThemeVersion { get; private set; }

    /// <summary>The overall state.</summary>
    public ApplicationState State { get; private set; }

    /// <summary>What the applicant filled in.</summary>
    public ApplicationContent Content { get; private set; }

    /// <summary>When created.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When submitted.</summary>
    public DateTimeOffset? SubmittedAt { get; private set; }

    /// <summary>The deadline of the whole application.</summary>
    public DateOnly? DueDate { get; private set; }

    /// <summary>
    /// True when a deadline could not be computed because the working-day calendar does not cover
    /// the dates; operators must add the year's schedule.
    /// </summary>
    public bool DeadlineUnknown { get; private set; }

    /// <summary>Increases with every change; the etag and the optimistic concurrency token.</summary>
    public int Revision { get; private set; }

    /// <summary>The items (in dispatch order when just submitted; see <see cref="ApplicationItem.Ordinal"/>).</summary>
    public IReadOnlyList<ApplicationItem> Items => _items;

    /// <summary>Creates a draft; a draft may be incomplete.</summary>
    public static JointApplication CreateDraft(string id, string? createRequestId, ThemeDefinition theme, ApplicationContent content, DateTimeOffset now)
    {
        var draft = new JointApplication
        {
            Id = id,
            CreateRequestId = createRequestId,
            ThemeCode = theme.Code,
            ThemeVersion = theme.Version,
            State = ApplicationState.Draft,
            Content = content,
            CreatedAt = now,
            UpdatedAt = now,
            Revision = 1,
        };
        draft._changes.Add(new ItemStateChange(null, ItemState.Pending, now, draft.Revision, DraftSaved: true));
        return draft;
    }

    /// <summary>Replaces a draft's content.</summary>
    /// <exception cref="ApplicationNotDraftException">The application was already submitted.</exception>
    public void UpdateDraft(ApplicationContent content, DateTimeOffset now)
    {
        if (State != ApplicationState.Draft)
        {
            throw new ApplicationNotDraftException(Id);
        }

        Content = content;
        Touch(now);
        _changes.Add(new ItemStateChange(null, ItemState.Pending, now, Revision, DraftSaved: true));
    }

    /// <summary>
    /// Submits the application (which must already be valid): creates its items in dependency order
    /// with their deadlines and returns the items that can be dispatched now.
    /// </summary>
    public IReadOnlyList<ApplicationItem> Submit(
        ThemeDefinition theme,
        string submitRequestId,
        WorkingDayCalendar calendar,
        Func<string> newSubmissionId,
        DateTimeOffset now)
    {
        if (State != ApplicationState.Draft)
        {
            throw new ApplicationNotDraftException(Id);
        }

        // A deadline that runs past the calendar data is left unknown and flagged for operators,
        // never guessed; the application itself is still accepted.
        var today = ChinaTime.Today(now);
        DateOnly? Due(int limit, bool applies)
        {
            if (!applies)
            {
                return null;
            }

            if (calendar.TryAddWorkingDays(today, limit, out var due))
            {
                return due;
            }

            DeadlineUnknown = true;
            return null;
        }

        foreach (var item in ItemGraph.Order(theme, Content.SelectedItems))
        {
            var due = Due(item.TimeLimitWorkingDays, item.TimeLimitWorkingDays > 0 || item.CompletesImmediately);
            _items.Add(new ApplicationItem(Id, item.Code, item.Title, item.Department, item.DepartmentTitle, item.Prerequisites, newSubmissionId(), _items.Count, due, now));
        }

        DueDate = theme.TimeLimitWorkingDays > 0
            ? Due(theme.TimeLimitWorkingDays, applies: true)
            : _items.Max(i => i.DueDate);
        ThemeCode = theme.Code;
        ThemeVersion = theme.Version;
        SubmitRequestId = submitRequestId;
        SubmittedAt = now;
        State = ApplicationState.InProgress;

        // A draft submitted in the same unit of work needs no expiry reminder.
        _changes.RemoveAll(c => c.DraftSaved);
        _changes.Add(new ItemStateChange(null, ItemState.Pending, now, 0));
        Touch(now);
        return _items.Where(i => i.Prerequisites.Count == 0).ToList();
    }

    /// <summary>Finds an item.</summary>
    public ApplicationItem Item(string itemCode) =>
        _items.Find(i => i.ItemCode == itemCode) ?? throw new KeyNotFoundException($"application {Id} has no item '{itemCode}'");

    /// <summary>
    /// Records a department's decision on an item. Returns the items that became ready to dispatch
    /// because all their prerequisites have now succeeded. Items whose prerequisite failed for good
    /// end as not started, with the reason.
    /// </summary>
    public IReadOnlyList<ApplicationItem> RecordDecision(string itemCode, ItemDecision decision, DateTimeOffset now)
    {
        var item = Item(itemCode);
        var before = States();
        item.Apply(decision, now);
        var ready = new List<ApplicationItem>();
        if (item.State == ItemState.Succeeded)
        {
            ready.AddRange(_items.Where(d =>
                d.State == ItemState.Pending &&
                d.Prerequisites.Contains(itemCode, StringComparer.Ordinal) &&
                d.Prerequisites.All(p => Item(p).State == ItemState.Succeeded)));
        }
        else if (item.State.IsFinal())
        {
            SkipDependants(item, now);
        }

        RecomputeState();
        Track(before, now);
        Touch(now);
        return ready;
    }

    /// <summary>Records a new stage of an accepted item's review; returns whether anything changed.</summary>
    public bool RecordStage(string itemCode, string? stage, DateTimeOffset now)
    {
        if (!Item(itemCode).RecordStage(stage, now))
        {
            return false;
        }

        Touch(now);
        return true;
    }

    /// <summary>
    /// Cancels an item on an operator's decision (it ends <see cref="ItemState.Cancelled"/> with the
    /// reason); its dependants end not started, with the reason.
    /// </summary>
    /// <exception cref="InvalidItemTransitionException">The item is already final.</exception>
    public void CancelItem(string itemCode, ItemReason reason, DateTimeOffset now)
    {
        var item = Item(itemCode);
        var before = States();
        item.Cancel(reason, now);
        SkipDependants(item, now);
        RecomputeState();
        Track(before, now);
        Touch(now);
    }

    /// <summary>
    /// The applicant's correction of a returned item (补正): the corrected content replaces the form and
    /// the item alone is sent again; no other item changes. The caller has checked the correction (only
    /// what <see cref="CorrectablePaths"/> allows, and a valid application as a whole). Returns whether
    /// the item can be dispatched at once (its prerequisites have succeeded).
    /// </summary>
    /// <exception cref="InvalidItemTransitionException">The item is not returned.</exception>
    public bool ResubmitItem(string itemCode, ApplicationContent corrected, string newSubmissionId, string requestId, DateTimeOffset now)
    {
        var item = Item(itemCode);
        var before = States();
        item.Resubmit(newSubmissionId, requestId, now);
        Content = corrected;
        RecomputeState();
        Track(before, now);
        Touch(now);
        return item.Prerequisites.All(p => Item(p).State == ItemState.Succeeded);
    }

    /// <summary>
    /// The form paths a correction of a returned item may change: the fields the item needs and every
    /// path its department pointed at (e.g. <c>fields[card.photo_receipt_no]</c>,
    /// <c>payment_account.account_number</c>).
    /// </summary>
    public static IReadOnlySet<string> CorrectablePaths(ThemeDefinition theme, ApplicationItem item)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in theme.Fields.Where(f => f.RequiredForItems.Contains(item.ItemCode, StringComparer.Ordinal)))
        {
            paths.Add($"fields[{field.Key}]");
        }

        foreach (var reason in item.Reasons)
        {
            if (!string.IsNullOrEmpty(reason.Field))
            {
                paths.Add(reason.Field);
            }
        }

        return paths;
    }

    /// <summary>
    /// Withdraws items at the applicant's request (撤回): each must be pending or returned (not accepted
    /// by its department); their dependants end not started, with the reason. Returns the items whose
    /// state changed (for ending their dispatch work).
    /// </summary>
    /// <exception cref="InvalidItemTransitionException">An item cannot be withdrawn from its state.</exception>
    public IReadOnlyList<string> WithdrawItems(IReadOnlyList<string> itemCodes, string reason, DateTimeOffset now)
    {
        var before = States();
        var withdrawn = new ItemReason("APPLICANT_WITHDRAWN", reason);

        // Dependants first, so that each item asked for ends withdrawn itself rather than not started.
        foreach (var item in itemCodes.Select(Item).OrderByDescending(i => i.Ordinal).ToList())
        {
            // One item asked for by name must be withdrawable (else the transition throws); of several,
            // one already ended by an earlier item's withdrawal is passed over.
            if (item.State is ItemState.Pending or ItemState.Returned || itemCodes.Count == 1)
            {
                item.Withdraw(withdrawn, now);
                SkipDependants(item, now);
            }
        }

        RecomputeState();
        Track(before, now);
        Touch(now);
        return _items.Where(i => before[i.ItemCode] != i.State).Select(i => i.ItemCode).ToList();
    }

    /// <summary>Records that an operator asked for the item to be tried again now, with a fresh count of attempts.</summary>
    public void ScheduleRetry(string itemCode, DateTimeOffset nextAttemptAt, DateTimeOffset now)
    {
        Item(itemCode).ScheduleRetry(nextAttemptAt, now);
        Touch(now);
    }

    /// <summary>Records that the department could not be reached for an item; it stays waiting.</summary>
    public void RecordDispatchFailure(string itemCode, int attempts, DateTimeOffset? nextAttemptAt, string error, DateTimeOffset now)
    {
        Item(itemCode).RecordDispatchFailure(attempts, nextAttemptAt, error, now);
        Touch(now);
    }

    /// <summary>Records one more attempt to reach the department for an item.</summary>
    public void RecordAttempt(string itemCode, int attempts, DateTimeOffset now)
    {
        Item(itemCode).RecordAttempt(attempts, now);
        Touch(now);
    }

    /// <summary>
    /// The state changes since the last call (the submission itself has a null item code), for the
    /// notifications written with them in the same transaction; the list is emptied.
    /// </summary>
    public IReadOnlyList<ItemStateChange> TakeStateChanges()
    {
        var taken = _changes.ToList();
        _changes.Clear();
        return taken;
    }

    private Dictionary<string, ItemState> States() => _items.ToDictionary(i => i.ItemCode, i => i.State, StringComparer.Ordinal);

    private void Track(Dictionary<string, ItemState> before, DateTimeOffset now)
    {
        foreach (var item in _items.Where(i => before[i.ItemCode] != i.State))
        {
            _changes.Add(new ItemStateChange(item.ItemCode, item.State, now, item.History.Count));
        }
    }

    private void SkipDependants(ApplicationItem failed, DateTimeOffset now)
    {
        foreach (var dependant in _items.Where(d => d.State == ItemState.Pending && d.Prerequisites.Contains(failed.ItemCode, StringComparer.Ordinal)).ToList())
        {
            dependant.SkipForPrerequisite(failed, now);
            SkipDependants(dependant, now);
        }
    }

    private void RecomputeState()
    {
        if (State == ApplicationState.Draft)
        {
            return;
        }

        State = _items.All(i => i.State.IsFinal())
            ? ApplicationState.Completed
            : _items.Any(i => i.State == ItemState.Returned)
                ? ApplicationState.ActionRequired
                : ApplicationState.InProgress;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }
}

/// <summary>A change that only a draft allows was asked of a submitted application.</summary>
public sealed class ApplicationNotDraftException(string applicationId)
    : InvalidOperationException($"application {applicationId} is no longer a draft")
{
    /// <summary>The application.</summary>
    public string ApplicationId { get; } = applicationId;
}

/// <summary>An item entered a state (or, with a null item code, the application was submitted).</summary>
/// <param name="ItemCode">The item, or null for the submission.</param>
/// <param name="State">The state entered.</param>
/// <param name="At">When.</param>
/// <param name="Step">The item's history length after the change (for a saved draft, its revision): tells one change from another.</param>
/// <param name="DraftSaved">True when a draft was saved (created or updated), not submitted.</param>
public sealed record ItemStateChange(string? ItemCode, ItemState State, DateTimeOffset At, int Step, bool DraftSaved = false);
