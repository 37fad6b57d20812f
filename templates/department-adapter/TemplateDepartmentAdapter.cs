using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Adapters;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Contoso.DepartmentAdapter;

/// <summary>
/// Carries the hub's items to the TemplateDepartment department system and maps its answers to
/// <see cref="ItemOutcome"/>: done → Completed, in progress → Accepted (then read by
/// <see cref="GetStatusAsync"/>), returned → Returned, refused → Rejected, deferred → Deferred.
/// </summary>
/// <remarks>
/// <para>The contract every adapter keeps (the conformance suite checks each point):</para>
/// <list type="bullet">
/// <item><see cref="ItemSubmission.IdempotencyKey"/> travels as the department's own idempotency key,
/// so a retry never opens a second case.</item>
/// <item>A business answer is an <see cref="ItemOutcome"/>, never an exception; a technical failure that
/// survives the pipeline is a <see cref="DepartmentUnavailableException"/> (timeouts included), an
/// answer that makes no sense a <see cref="DepartmentProtocolException"/>.</item>
/// <item>Reasons carry a stable code and a Chinese message, and name the form field to fix when there is one.</item>
/// </list>
/// </remarks>
public sealed class TemplateDepartmentAdapter : IDepartmentAdapter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http;
    private readonly ResiliencePipeline pipeline;

    /// <summary>Creates the adapter.</summary>
    /// <param name="http">A client whose BaseAddress is the department's endpoint; its own timeout should be infinite (the pipeline governs).</param>
    /// <param name="options">The options the pipeline was built from.</param>
    /// <param name="timeProvider">The clock of the pipeline's timeouts and backoff.</param>
    /// <param name="itemCodes">The catalog item codes this adapter carries, e.g. <c>sscard.card-application</c>.</param>
    public TemplateDepartmentAdapter(HttpClient http, TemplateDepartmentAdapterOptions options, TimeProvider timeProvider, IReadOnlyCollection<string> itemCodes)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(itemCodes);
        this.http = http;
        pipeline = TemplateDepartmentResilience.Build(options, timeProvider);
        ItemCodes = itemCodes;
    }

    /// <inheritdoc />
    public Department Department => Department.TemplateDepartment;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; }

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        EnsureCarried(submission.ItemCode);
        var applicant = submission.Applicant;
        var body = new NativeApplication(
            submission.ItemCode,
            new NativeApplicant(applicant.Name, applicant.IdNumber, applicant.Mobile),
            submission.Fields,
            submission.Upstream);

        return RunAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(body, options: Json) };
                request.Headers.Add("Idempotency-Key", submission.IdempotencyKey);
                return Map(await SendAsync(request, token).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureCarried(query.ItemCode);
        return RunAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "applications/" + Uri.EscapeDataString(query.CaseNumber));
                return Map(await SendAsync(request, token).ConfigureAwait(false));
            },
            cancellationToken);
    }

    /// <summary>Maps the department's answer; an answer this adapter does not know is a protocol failure, never a guess.</summary>
    private static ItemOutcome Map(NativeAnswer answer)
    {
        var caseNumber = string.IsNullOrWhiteSpace(answer.CaseNo) ? null : answer.CaseNo;
        return answer.Status switch
        {
            "done" => new ItemOutcome.Completed(
                caseNumber ?? throw Protocol("answered done without a case number."),
                answer.Result ?? new Dictionary<string, string>(),
                answer.Opinion),
            "in_progress" => new ItemOutcome.Accepted(
                caseNumber ?? throw Protocol("answered in_progress without a case number to ask about later."),
                answer.Stage),
            "returned" => new ItemOutcome.Returned(caseNumber, Reasons(answer, "returned")),
            "refused" => new ItemOutcome.Rejected(caseNumber, Reasons(answer, "refused")),
            "deferred" => new ItemOutcome.Deferred(caseNumber, EligibleOn(answer), Reasons(answer, "deferred")),
            _ => throw Protocol($"answered status '{answer.Status}', which this adapter does not map; add it to {nameof(TemplateDepartmentAdapter)}.{nameof(Map)}."),
        };
    }

    private static List<OutcomeReason> Reasons(NativeAnswer answer, string status)
    {
        // A citizen told "returned" or "refused" must be told why.
        if (answer.Reasons is not { Count: > 0 } reasons)
        {
            throw Protocol($"answered {status} without a reason.");
        }

        return [.. reasons.Select(r => string.IsNullOrWhiteSpace(r.Code) || string.IsNullOrWhiteSpace(r.Message)
            ? throw Protocol($"answered {status} with a reason that lacks a code or a message.")
            : new OutcomeReason(r.Code, r.Message, string.IsNullOrWhiteSpace(r.Field) ? null : r.Field))];
    }

    private static DateOnly EligibleOn(NativeAnswer answer) =>
        DateOnly.TryParseExact(answer.EligibleOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw Protocol($"answered deferred with eligibleOn '{answer.EligibleOn}', which is not yyyy-MM-dd.");

    /// <summary>Sends one request: a technical HTTP status throws for the pipeline to retry; any other failure status is a protocol failure.</summary>
    private async Task<NativeAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (TemplateDepartmentResilience.IsTransientStatus(response.StatusCode))
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw Protocol($"has no such case ({request.RequestUri}: HTTP 404).");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw Protocol($"refused the request with HTTP {(int)response.StatusCode}, which its contract does not provide for.");
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<NativeAnswer>(Json, cancellationToken).ConfigureAwait(false)
                ?? throw Protocol("answered with an empty body.");
        }
        catch (JsonException exception)
        {
            throw Protocol($"sent a body the adapter cannot read: {exception.Message}", exception);
        }
    }

    /// <summary>Runs one exchange through the pipeline and turns what went wrong into the port's exceptions.</summary>
    private async Task<ItemOutcome> RunAsync(Func<CancellationToken, Task<ItemOutcome>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException
            || TemplateDepartmentResilience.IsTransient(exception) || exception is OperationCanceledException)
        {
            throw new DepartmentUnavailableException(
                Department.TemplateDepartment, $"The TemplateDepartment department is unavailable: {exception.GetType().Name}: {exception.Message}", exception);
        }
    }

    private void EnsureCarried(string itemCode)
    {
        if (!ItemCodes.Contains(itemCode))
        {
            throw new ArgumentException($"The TemplateDepartment adapter does not carry item '{itemCode}'; it carries {string.Join(", ", ItemCodes)}.", nameof(itemCode));
        }
    }

    private static DepartmentProtocolException Protocol(string message, Exception? innerException = null) =>
        new(Department.TemplateDepartment, "The TemplateDepartment department " + message, innerException);
}
