namespace OneThing.Adapters;

/// <summary>One item of a joint application, as the hub hands it to an adapter.</summary>
/// <param name="IdempotencyKey">Unique per item submission; the department's idempotency key.
/// The same key is sent on every retry of the same submission.</param>
/// <param name="ApplicationId">The hub's application id.</param>
/// <param name="ItemCode">The catalog item code, e.g. <c>hr.employment-certificate</c>.</param>
/// <param name="ThemeCode">The theme the application was submitted under, e.g. <c>luoyang.personal-startup</c>.</param>
/// <param name="CorrelationId">The hub's id for this exchange, to be logged beside the department's case number.</param>
/// <param name="Applicant">The applicant.</param>
/// <param name="Fields">The form values the item may use, keyed by the catalog's stable field keys.</param>
/// <param name="Upstream">The results of the item's prerequisites, keyed by item code
/// (e.g. the verified licence under <c>market.licence-verification</c>).</param>
public sealed record ItemSubmission(
    string IdempotencyKey,
    string ApplicationId,
    string ItemCode,
    string ThemeCode,
    string CorrelationId,
    Applicant Applicant,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Upstream)
{
    /// <summary>
    /// The uploaded materials the item's catalog entry lists that the applicant attached (一套材料: a
    /// material shared by several items reaches each of them, uploaded once). Empty when none.
    /// </summary>
    public IReadOnlyList<SubmittedMaterial> Materials { get; init; } = [];

    /// <summary>Returns a form value, or null when the form does not have it.</summary>
    public string? Field(string key) => Fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <summary>Returns a value from a prerequisite's result, or null.</summary>
    public string? UpstreamValue(string itemCode, string key) =>
        Upstream.TryGetValue(itemCode, out var result) && result.TryGetValue(key, out var value) ? value : null;
}

/// <summary>An uploaded material attached to the application.</summary>
/// <param name="Code">The catalog material code, e.g. <c>student-photo</c>.</param>
/// <param name="Sha256">The content's SHA-256, lowercase hex; the same file always has the same value.</param>
/// <param name="MediaType">The media type the hub detected from the content, e.g. <c>image/jpeg</c>.</param>
/// <param name="SizeBytes">The size in bytes.</param>
/// <param name="OpenRead">Opens the bytes for reading (the caller disposes the stream).</param>
public sealed record SubmittedMaterial(
    string Code,
    string Sha256,
    string MediaType,
    long SizeBytes,
    Func<CancellationToken, Task<Stream>> OpenRead);

/// <summary>The person the application is for.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Sex">"1" male, "2" female (GB/T 2261.1).</param>
/// <param name="Ethnicity">Ethnicity, e.g. 汉族.</param>
/// <param name="IdType">Identity document type code, e.g. <c>resident-id</c>.</param>
/// <param name="IdNumber">Identity document number.</param>
/// <param name="Mobile">Mobile phone number.</param>
/// <param name="ResidenceDivisionCode">Administrative division code of the residence.</param>
/// <param name="ResidenceAddress">Residence address in words.</param>
public sealed record Applicant(
    string Name,
    string Sex,
    string Ethnicity,
    string IdType,
    string IdNumber,
    string Mobile,
    string ResidenceDivisionCode,
    string ResidenceAddress);

/// <summary>Asks for the state of an item a department accepted earlier.</summary>
/// <param name="IdempotencyKey">The key the item was submitted with.</param>
/// <param name="ItemCode">The catalog item code.</param>
/// <param name="CaseNumber">The department's case number from <see cref="ItemOutcome.Accepted"/>.</param>
/// <param name="CorrelationId">The hub's id for this exchange.</param>
public sealed record ItemStatusQuery(string IdempotencyKey, string ItemCode, string CaseNumber, string CorrelationId);
