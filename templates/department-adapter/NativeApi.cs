using System.Text.Json.Serialization;

namespace Contoso.DepartmentAdapter;

// The department system's own API, as this skeleton assumes it: a REST/JSON service where
//   POST applications            (header Idempotency-Key) submits an item and answers NativeAnswer;
//   GET  applications/{caseNo}   reads a case and answers NativeAnswer.
// Replace these types and the two calls in TemplateDepartmentAdapter with your department's real API
// (its OpenAPI document, its .proto files); keep the mapping to ItemOutcome in one place.

/// <summary>What the adapter sends the department for one item.</summary>
/// <param name="ItemCode">The hub's catalog item code.</param>
/// <param name="Applicant">The applicant.</param>
/// <param name="Fields">The form values by the catalog's stable field keys.</param>
/// <param name="Upstream">The results of the item's prerequisites by item code.</param>
public sealed record NativeApplication(
    [property: JsonPropertyName("itemCode")] string ItemCode,
    [property: JsonPropertyName("applicant")] NativeApplicant Applicant,
    [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields,
    [property: JsonPropertyName("upstream")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Upstream);

/// <summary>The applicant as the department records them.</summary>
/// <param name="Name">Full name.</param>
/// <param name="IdNumber">Resident ID number.</param>
/// <param name="Mobile">Mobile phone number.</param>
public sealed record NativeApplicant(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("idNumber")] string IdNumber,
    [property: JsonPropertyName("mobile")] string Mobile);

/// <summary>The department's answer for one case.</summary>
/// <param name="Status">done | in_progress | returned | refused | deferred.</param>
/// <param name="CaseNo">The department's case number.</param>
/// <param name="Result">When done: what was produced, by the hub's stable result keys.</param>
/// <param name="Opinion">When done: the department's opinion (办结意见), if any.</param>
/// <param name="Reasons">When returned, refused or deferred: why.</param>
/// <param name="EligibleOn">When deferred: the first eligible day, yyyy-MM-dd.</param>
/// <param name="Stage">When in progress: where the case is in a multi-stage review, in Chinese.</param>
public sealed record NativeAnswer(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("caseNo")] string? CaseNo,
    [property: JsonPropertyName("result")] Dictionary<string, string>? Result,
    [property: JsonPropertyName("opinion")] string? Opinion,
    [property: JsonPropertyName("reasons")] List<NativeReason>? Reasons,
    [property: JsonPropertyName("eligibleOn")] string? EligibleOn,
    [property: JsonPropertyName("stage")] string? Stage);

/// <summary>One reason the department gives.</summary>
/// <param name="Code">A stable code.</param>
/// <param name="Message">The text a citizen reads, in Chinese.</param>
/// <param name="Field">The hub's form field key the reason is about, if any.</param>
public sealed record NativeReason(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("field")] string? Field);
