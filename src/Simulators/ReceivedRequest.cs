namespace OneThing.Simulators;

/// <summary>A call a simulator received and processed (calls refused by an injected fault are not recorded).</summary>
/// <param name="Operation">The native operation, e.g. "verifyLicence" or "ConfirmTaxpayerInfo".</param>
/// <param name="IdempotencyKey">The caller's idempotency key; empty for queries (and for a mutating call that lacked one).</param>
/// <param name="ReceivedAt">When it was processed, on the simulator's clock.</param>
/// <param name="Replayed">Whether its key had been seen before, so the first answer was replayed and nothing created.</param>
/// <param name="Summary">A short description of the request's main fields and of the answer.</param>
/// <param name="DuplicateFiling">Whether it created a case for a subject that already had one of the same operation (under another key).</param>
public sealed record ReceivedRequest(string Operation, string IdempotencyKey, DateTimeOffset ReceivedAt, bool Replayed, string Summary, bool DuplicateFiling = false);
