using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneThing.Adapters.MarketRegulation;

/// <summary>The registry's VerificationRequest (openapi.yaml).</summary>
internal sealed record VerificationRequest(string EntityName, string Uscc, string HolderIdNumber, string? HolderName);

/// <summary>The registry's Verification: a verified licence and the record number.</summary>
internal sealed record Verification(string? VerificationNo, RegisteredLicence? Licence);

/// <summary>The registry's Licence.</summary>
internal sealed record RegisteredLicence(
    string? Uscc,
    string? EntityName,
    string? EntityType,
    string? OperatorName,
    string? OperatorIdNumber,
    string? RegistrationDate,
    string? Address,
    string? Status);

/// <summary>The answer of findLicencesByHolder.</summary>
internal sealed record LicenceList(IReadOnlyList<RegisteredLicence>? Licences);

/// <summary>The registry's Error body: <c>{"errcode": "...", "errmsg": "..."}</c>.</summary>
internal sealed record RegistryError(string? Errcode, string? Errmsg);

/// <summary>Source-generated (reflection-free) JSON for the registry's bodies; camelCase as the contract spells them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VerificationRequest))]
[JsonSerializable(typeof(Verification))]
[JsonSerializable(typeof(RegistryError))]
[JsonSerializable(typeof(LicenceList))]
internal sealed partial class MarketRegistryJsonContext : JsonSerializerContext;
