using System.Globalization;
using Grpc.Core;
using OneThing.Adapters.Internal;
using OneThing.Gateway.V1;
using GatewayApplicant = OneThing.Gateway.V1.Applicant;
using GatewayOutcome = OneThing.Gateway.V1.ItemOutcome;

namespace OneThing.Adapters;

/// <summary>
/// Carries the items of any department to an out-of-process adapter (written in Java, Go, Node…)
/// that implements <c>onething.gateway.v1.DepartmentGatewayService</c>, and maps its outcomes 1:1.
/// Used for a department whose transport is configured as <c>gateway</c>.
/// </summary>
/// <remarks>
/// Per the gateway contract, UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED and ABORTED are
/// retried by the pipeline and, if they persist, reported as <see cref="DepartmentUnavailableException"/>;
/// INTERNAL, UNIMPLEMENTED, INVALID_ARGUMENT (and any other unexpected status) mean a broken gateway
/// and are reported as <see cref="DepartmentProtocolException"/>, as is an outcome of kind
/// KIND_UNSPECIFIED or none at all.
/// </remarks>
public sealed class GatewayAdapter : IDepartmentAdapter
{
    private readonly DepartmentExchange exchange;
    private readonly DepartmentGatewayService.DepartmentGatewayServiceClient client;

    internal GatewayAdapter(
        DepartmentExchange exchange,
        IReadOnlyCollection<string> itemCodes,
        DepartmentGatewayService.DepartmentGatewayServiceClient client)
    {
        this.exchange = exchange;
        ItemCodes = itemCodes;
        this.client = client;
    }

    /// <inheritdoc />
    public Department Department => exchange.Department;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; }

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Outcomes.EnsureCarried(ItemCodes, submission.ItemCode, Department);

        var applicant = submission.Applicant;
        var request = new SubmitItemRequest
        {
            IdempotencyKey = submission.IdempotencyKey,
            ApplicationId = submission.ApplicationId,
            ItemCode = submission.ItemCode,
            ThemeCode = submission.ThemeCode,
            CorrelationId = submission.CorrelationId,
            Applicant = new GatewayApplicant
            {
                Name = applicant.Name,
                Sex = applicant.Sex,
                Ethnicity = applicant.Ethnicity,
                IdType = applicant.IdType,
                IdNumber = applicant.IdNumber,
                Mobile = applicant.Mobile,
                ResidenceDivisionCode = applicant.ResidenceDivisionCode,
                ResidenceAddress = applicant.ResidenceAddress,
            },
        };
        request.Fields.Add(submission.Fields.ToDictionary());
        foreach (var (itemCode, values) in submission.Upstream)
        {
            var upstream = new UpstreamResult { ItemCode = itemCode };
            upstream.Values.Add(values.ToDictionary());
            request.Upstream.Add(upstream);
        }

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                try
                {
                    return Map((await client.SubmitItemAsync(request, cancellationToken: token)).Outcome);
                }
                catch (RpcException exception) when (IsBrokenGateway(exception))
                {
                    throw BrokenGateway(exception);
                }
            },
            cancellationToken);
    }

    /// <summary>Reads the item's state with GetItemStatus; NOT_FOUND is a protocol failure.</summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);
        var request = new GetItemStatusRequest
        {
            IdempotencyKey = query.IdempotencyKey,
            ItemCode = query.ItemCode,
            CaseNumber = query.CaseNumber ?? string.Empty,
            CorrelationId = query.CorrelationId,
        };

        return exchange.GetStatusAsync(
            query,
            async token =>
            {
                try
                {
                    return Map((await client.GetItemStatusAsync(request, cancellationToken: token)).Outcome);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
                {
                    throw exchange.Protocol($"gateway has no case '{query.CaseNumber}' for item '{query.IdempotencyKey}' (NOT_FOUND).", exception);
                }
                catch (RpcException exception) when (IsBrokenGateway(exception))
                {
                    throw BrokenGateway(exception);
                }
            },
            cancellationToken);
    }

    private static bool IsBrokenGateway(RpcException exception) =>
        exception.StatusCode is StatusCode.Internal or StatusCode.Unimplemented or StatusCode.InvalidArgument;

    private DepartmentProtocolException BrokenGateway(RpcException exception) =>
        exchange.Protocol($"gateway is broken: it failed with {FailureDescriptions.Describe(exception)}.", exception);

    private ItemOutcome Map(GatewayOutcome? outcome)
    {
        if (outcome is null)
        {
            throw exchange.Protocol("gateway answered without an outcome.");
        }

        var caseNumber = Outcomes.NullIfEmpty(outcome.CaseNumber);
        return outcome.Kind switch
        {
            GatewayOutcome.Types.Kind.Completed => new ItemOutcome.Completed(
                caseNumber ?? throw exchange.Protocol("gateway answered COMPLETED without a case number."),
                outcome.Result.ToDictionary(StringComparer.Ordinal),
                Outcomes.NullIfEmpty(outcome.Opinion)),
            GatewayOutcome.Types.Kind.Accepted => new ItemOutcome.Accepted(
                caseNumber ?? throw exchange.Protocol("gateway answered ACCEPTED without a case number to ask about later."),
                Outcomes.NullIfEmpty(outcome.Stage)),
            GatewayOutcome.Types.Kind.Returned => new ItemOutcome.Returned(caseNumber, ReasonsOf(outcome, "RETURNED")),
            GatewayOutcome.Types.Kind.Rejected => new ItemOutcome.Rejected(caseNumber, ReasonsOf(outcome, "REJECTED")),
            GatewayOutcome.Types.Kind.Deferred => new ItemOutcome.Deferred(caseNumber, EligibleOn(outcome), ReasonsOf(outcome, "DEFERRED")),
            _ => throw exchange.Protocol($"gateway answered outcome kind {outcome.Kind}, which is not an answer."),
        };
    }

    private List<OutcomeReason> ReasonsOf(GatewayOutcome outcome, string kind)
    {
        // A citizen told "returned" or "refused" must be told why; a reason without code or text is no reason.
        if (outcome.Reasons.Count == 0)
        {
            throw exchange.Protocol($"gateway answered {kind} without a reason.");
        }

        var reasons = new List<OutcomeReason>(outcome.Reasons.Count);
        foreach (var reason in outcome.Reasons)
        {
            if (string.IsNullOrEmpty(reason.Code) || string.IsNullOrEmpty(reason.Message))
            {
                throw exchange.Protocol($"gateway answered {kind} with a reason that lacks a code or a message (code '{reason.Code}').");
            }

            reasons.Add(new OutcomeReason(reason.Code, reason.Message, Outcomes.NullIfEmpty(reason.Field)));
        }

        return reasons;
    }

    private DateOnly EligibleOn(GatewayOutcome outcome) =>
        DateOnly.TryParseExact(outcome.EligibleOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var eligibleOn)
            ? eligibleOn
            : throw exchange.Protocol($"gateway answered DEFERRED with eligible_on '{outcome.EligibleOn}', which is not yyyy-MM-dd.");
}
