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
}
