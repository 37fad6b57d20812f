using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Adapters.Internal;
using OneThing.Adapters.MarketRegulation;

namespace OneThing.Adapters;

/// <summary>
/// Verifies business licences (营业执照信息核验, <c>market.licence-verification</c>) with the market
/// regulation registry over its REST/JSON API.
/// </summary>
/// <remarks>
/// Verification completes at once. The registry is idempotent on the <c>Idempotency-Key</c> header,
/// which carries <see cref="ItemSubmission.IdempotencyKey"/>, so a retry replays the first answer.
/// </remarks>
public sealed class MarketRegulationAdapter : IDepartmentAdapter, ISharedDataSource
{
    /// <summary>The shared-data kind of a person's business licence on record.</summary>
    public const string BusinessLicenceKind = "business-licence";

    /// <summary>The name of the HttpClient the adapter takes from IHttpClientFactory.</summary>
    internal const string HttpClientName = "OneThing.Adapters.market-regulation";

    private const string VerificationsPath = "api/market/v1/licence-verifications";
    private const string LicencesPath = "api/market/v1/licences";
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly DepartmentExchange exchange;
    private readonly IHttpClientFactory httpClientFactory;

    internal MarketRegulationAdapter(DepartmentExchange exchange, IHttpClientFactory httpClientFactory)
    {
        this.exchange = exchange;
        this.httpClientFactory = httpClientFactory;
    }

    /// <inheritdoc />
    public Department Department => Department.MarketRegulation;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; } = CatalogItems.Of(Department.MarketRegulation);

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Outcomes.EnsureCarried(ItemCodes, submission.ItemCode, Department);

        var uscc = submission.Field(FormFields.LicenceUscc);
        if (uscc is null)
        {
            return exchange.AnswerWithoutCallingAsync(submission, Outcomes.Returned(null, Reasons.FieldRequired(FormFields.LicenceUscc, "营业执照上的统一社会信用代码")));
        }

        var name = submission.Field(FormFields.LicenceName);
        if (name is null)
        {
            return exchange.AnswerWithoutCallingAsync(submission, Outcomes.Returned(null, Reasons.FieldRequired(FormFields.LicenceName, "营业执照名称")));
        }

        var request = new VerificationRequest(name, uscc, submission.Applicant.IdNumber, Outcomes.NullIfEmpty(submission.Applicant.Name));
        return exchange.SubmitAsync(submission, token => VerifyAsync(submission.IdempotencyKey, request, token), cancellationToken);
    }

    /// <summary>
    /// Always throws <see cref="DepartmentProtocolException"/>: verification completes at once, so
    /// there is no later state to read. The registry has no lookup by verification number, and
    /// replaying the POST needs the original body, which a status query does not carry; to get the
    /// first answer again, submit the item again with the same idempotency key.
    /// </summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ItemOutcome>(cancellationToken);
        }

        return Task.FromException<ItemOutcome>(exchange.Protocol(
            $"verifies licences at once and has no state to read for verification '{query.CaseNumber}' " +
            "(the registry offers no lookup by verification number); submit the item again with the same " +
            "idempotency key to have the registry replay its first answer."));
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Kinds { get; } = [BusinessLicenceKind];

    /// <summary>
    /// Looks up the business a person operates (法人信息查询): the one registered most recently among
    /// those in operation; not found when the registry has none.
    /// </summary>
    public Task<SharedData> LookupAsync(SharedDataQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Kind != BusinessLicenceKind)
        {
            throw new ArgumentException($"The market regulation registry has no shared data of kind '{query.Kind}'.", nameof(query));
        }

        return exchange.LookupAsync(query.Kind, query.CorrelationId, token => FindByHolderAsync(query.IdNumber, token), cancellationToken);
    }

    private async Task<SharedData> FindByHolderAsync(string idNumber, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.GetAsync($"{LicencesPath}?holderIdNumber={Uri.EscapeDataString(idNumber)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        if (TransientFailures.IsTransientHttpStatus(status))
        {
            var transient = await ReadErrorAsync(response, cancellationToken);
            throw new TransientHttpStatusException(status, transient?.Errcode, response.Headers.RetryAfter?.Delta);
        }

        if (status != 200)
        {
            throw exchange.Protocol($"answered the licence look-up with {Describe(status, await ReadErrorAsync(response, cancellationToken))}.");
        }

        var list = await ReadAsync(response, MarketRegistryJsonContext.Default.LicenceList, cancellationToken);
        var licence = (list?.Licences ?? []).Where(l => !string.IsNullOrEmpty(l.Uscc)).OrderByDescending(l => l.RegistrationDate, StringComparer.Ordinal).FirstOrDefault();
        if (licence is null)
        {
            return SharedData.NotFound;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                values[key] = value;
            }
        }

        Put(ResultKeys.Uscc, licence.Uscc);
        Put(ResultKeys.EntityName, licence.EntityName);
        Put(ResultKeys.EntityType, licence.EntityType);
        Put(ResultKeys.OperatorName, licence.OperatorName);
        Put(ResultKeys.RegistrationDate, licence.RegistrationDate);
        Put(ResultKeys.Address, licence.Address);
        Put(ResultKeys.Status, licence.Status);
        return new SharedData(true, values, licence.Uscc);
    }

    private async Task<ItemOutcome> VerifyAsync(string idempotencyKey, VerificationRequest body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, VerificationsPath)
        {
            Content = JsonContent.Create(body, MarketRegistryJsonContext.Default.VerificationRequest),
        };
        request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;

        if (TransientFailures.IsTransientHttpStatus(status))
        {
            var transient = await ReadErrorAsync(response, cancellationToken);
            throw new TransientHttpStatusException(status, transient?.Errcode, response.Headers.RetryAfter?.Delta);
        }

        if (status == 200)
        {
            var verification = await ReadAsync(response, MarketRegistryJsonContext.Default.Verification, cancellationToken);
            return Completed(verification);
        }

        var error = await ReadErrorAsync(response, cancellationToken);
        return (status, error?.Errcode) switch
        {
            (404, "LIC_NOT_FOUND") => Outcomes.Rejected(null, Reasons.LicenceNotFound),
            (422, "LIC_NAME_MISMATCH") => Outcomes.Returned(null, Reasons.LicenceNameMismatch),
            (422, "LIC_HOLDER_MISMATCH") => Outcomes.Rejected(null, Reasons.LicenceHolderMismatch),
            (422, "LIC_NOT_OPERATING") => Outcomes.Rejected(null, Reasons.LicenceNotOperating),
            (400, _) => throw exchange.Protocol($"refused the verification request as malformed: {Describe(status, error)}."),
            _ => throw exchange.Protocol($"answered {Describe(status, error)}, which its contract does not provide for."),
        };
    }

    private ItemOutcome.Completed Completed(Verification? verification)
    {
        var licence = verification?.Licence;
        if (verification is null || string.IsNullOrEmpty(verification.VerificationNo) || licence is null)
        {
            throw exchange.Protocol("answered 200 without a verification number or licence.");
        }

        string Required(string? value, string name) => string.IsNullOrEmpty(value)
            ? throw exchange.Protocol($"answered 200 for verification '{verification.VerificationNo}' without the licence's {name}.")
            : value;

        var registrationDate = Required(licence.RegistrationDate, "registrationDate");
        if (!DateOnly.TryParseExact(registrationDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw exchange.Protocol($"answered a registrationDate that is not yyyy-MM-dd: '{registrationDate}'.");
        }

        return new ItemOutcome.Completed(
            verification.VerificationNo,
            Outcomes.Result(
                (ResultKeys.Uscc, Required(licence.Uscc, "uscc")),
                (ResultKeys.EntityName, Required(licence.EntityName, "entityName")),
                (ResultKeys.EntityType, Required(licence.EntityType, "entityType")),
                (ResultKeys.OperatorName, Required(licence.OperatorName, "operatorName")),
                (ResultKeys.OperatorIdNumber, licence.OperatorIdNumber),
                (ResultKeys.RegistrationDate, registrationDate),
                (ResultKeys.Address, licence.Address),
                (ResultKeys.Status, Required(licence.Status, "status")),
                (ResultKeys.VerificationNo, verification.VerificationNo)));
    }

    private async Task<T?> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw exchange.Protocol($"answered HTTP {(int)response.StatusCode} with a body that is not the contract's JSON: {FailureDescriptions.Describe(exception)}.", exception);
        }
        catch (NotSupportedException exception)
        {
            // ReadFromJsonAsync throws this for a content type other than JSON.
            throw exchange.Protocol($"answered HTTP {(int)response.StatusCode} with content type '{response.Content.Headers.ContentType}', not JSON.", exception);
        }
    }

    /// <summary>Reads the error body; null when there is none or it is not the contract's JSON.</summary>
    private static async Task<RegistryError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, MarketRegistryJsonContext.Default.RegistryError);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(int status, RegistryError? error) => error?.Errcode is { Length: > 0 } code
        ? $"HTTP {status} {code} ({PersonalData.Redact(error.Errmsg)})"
        : $"HTTP {status} without the contract's error body";
}
