namespace OneThing.Adapters;

/// <summary>
/// Carries one item of a joint application to its department system and reads its state back.
/// Implementations translate the hub's <see cref="ItemSubmission"/> into the department's native
/// API and its native answers into an <see cref="ItemOutcome"/>; the hub never sees native types.
/// </summary>
/// <remarks>
/// <para>Contract every implementation keeps:</para>
/// <list type="bullet">
/// <item><see cref="ItemSubmission.IdempotencyKey"/> travels to the department as its own
/// idempotency key, so a repeated call never creates a second case.</item>
/// <item>A business answer (done, accepted, returned, rejected, deferred) is returned as an
/// <see cref="ItemOutcome"/>. A technical failure that survived the adapter's own resilience
/// pipeline is thrown as <see cref="DepartmentUnavailableException"/> (worth retrying later) or
/// <see cref="DepartmentProtocolException"/> (the answer made no sense; an operator must look).</item>
/// <item>Cancellation through the token is honoured.</item>
/// </list>
/// </remarks>
public interface IDepartmentAdapter
{
    /// <summary>The department this adapter speaks to.</summary>
    Department Department { get; }

    /// <summary>The catalog item codes this adapter can carry, e.g. <c>tax.taxpayer-confirmation</c>.</summary>
    IReadOnlyCollection<string> ItemCodes { get; }

    /// <summary>Submits one item to the department.</summary>
    Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the state of an item the department accepted earlier (reconciliation). Returns
    /// <see cref="ItemOutcome.Accepted"/> while the department is still working on it.
    /// </summary>
    Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken);
}
