using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Dispatch;

/// <summary>
/// Records a department's decision on an item the same way whatever brought it: the answer to a
/// submission, a reconciliation poll, or a department callback. One path, so that a result found by
/// polling and one reported by callback leave the same item state, history and follow-up work.
/// </summary>
internal static class ItemResults
{
    /// <summary>
    /// Applies the decision to the aggregate and adds, in the same unit of work, the follow-up tasks:
    /// a reconciliation poll for an acceptance, a submission for every dependant that became ready.
    /// Returns how many dependants became ready.
    /// </summary>
    public static int Record(HubDbContext db, JointApplication application, string itemCode, ItemDecision decision, DispatchOptions options, DateTimeOffset now)
    {
        var ready = application.RecordDecision(itemCode, decision, now);
        if (decision is ItemDecision.Accepted)
        {
            var department = application.Item(itemCode).Department;
            db.DispatchTasks.Add(ItemDispatcher.NewTask(application.Id, itemCode, DispatchTaskKind.Poll, now + options.ReconciliationIntervalFor(department), now));
        }

        foreach (var next in ready)
        {
            db.DispatchTasks.Add(ItemDispatcher.NewTask(application.Id, next.ItemCode, DispatchTaskKind.Submit, now, now));
        }

        return ready.Count;
    }
}
