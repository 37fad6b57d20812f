using Microsoft.EntityFrameworkCore;

namespace OneThing.Hub.Persistence;

/// <summary>
/// The lease claim on a dispatch task: one conditional UPDATE that succeeds for exactly one claimer,
/// the same on every provider. A task is free when nobody holds it or its lease has expired.
/// </summary>
public static class DispatchLeases
{
    /// <summary>Claims the task for <paramref name="owner"/> until <paramref name="expires"/>; true when this claimer won.</summary>
    public static async Task<bool> TryClaimAsync(HubDbContext db, long taskId, string owner, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken) =>
        await db.DispatchTasks
            .Where(t => t.Id == taskId && t.State == DispatchTaskState.Scheduled && (t.LeaseOwner == null || t.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, owner).SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)expires), cancellationToken) == 1;

    /// <summary>
    /// Claims as many of <paramref name="taskIds"/> as are free in one statement (one commit instead of
    /// one per task) and returns those this claimer won. The lease's expiry instant is unique to this
    /// claim, so the read-back finds exactly the tasks this statement took.
    /// </summary>
    public static async Task<List<long>> TryClaimManyAsync(HubDbContext db, IReadOnlyCollection<long> taskIds, string owner, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }

        var ids = taskIds.ToArray();
        var updated = await db.DispatchTasks
            .Where(t => ids.Contains(t.Id) && t.State == DispatchTaskState.Scheduled && (t.LeaseOwner == null || t.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, owner).SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)expires), cancellationToken);
        if (updated == 0)
        {
            return [];
        }

        return await db.DispatchTasks.AsNoTracking()
            .Where(t => ids.Contains(t.Id) && t.LeaseOwner == owner && t.LeaseExpiresAt == expires)
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);
    }
}
