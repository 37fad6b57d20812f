using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using OneThing.Adapters;
using OneThing.Hub.Applications;
using OneThing.Hub.Callbacks;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using Kind = OneThing.Hub.V1.DepartmentOutcome.Types.Kind;
using Microsoft.AspNetCore.Authorization;

namespace OneThing.Hub.Grpc;

/// <summary>The departments' callback API: authenticates the department, checks the request's shape, calls the use case, maps.</summary>
// Departments prove who they are by the per-department signature of each callback
// (ICallbackAuthenticator), not by a bearer token.
[AllowAnonymous]
public sealed class CallbackGrpcService(CallbackUseCases useCases, ICallbackAuthenticator authenticator) : DepartmentCallbackService.DepartmentCallbackServiceBase
{
    private const int MaxKeyLength = 64;
    private const int MaxCaseNumberLength = 100;

    /// <inheritdoc />
    public override async Task<ReportItemResultResponse> ReportItemResult(ReportItemResultRequest request, ServerCallContext context)
    {
        // The signature first: an unauthenticated caller learns nothing, not even what is wrong with its request.
        var department = await authenticator.AuthenticateAsync(request, context);
        var violations = Check(request);
        if (violations.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"回调有{violations.Count}处问题", violations);
        }

        var report = new DepartmentReport(
            department,
            request.IdempotencyKey,
            request.CaseNumber,
            request.Sequence,
            ToOutcome(request.CaseNumber, request.Outcome),
            request.Outcome.Kind.ToString(),
            JsonFormatter.Default.Format(request.Outcome),
            request.SendTime?.ToDateTimeOffset());
        var receipt = await useCases.ReportAsync(report, context.CancellationToken);
        return new ReportItemResultResponse
        {
            Disposition = receipt.Duplicate ? ReportItemResultResponse.Types.Disposition.Duplicate : receipt.Disposition switch
            {
                CallbackDisposition.Applied => ReportItemResultResponse.Types.Disposition.Applied,
                CallbackDisposition.OutOfOrder => ReportItemResultResponse.Types.Disposition.OutOfOrder,
                CallbackDisposition.AlreadyDecided => ReportItemResultResponse.Types.Disposition.AlreadyDecided,
                _ => ReportItemResultResponse.Types.Disposition.NoChange,
            },
            Item = $"{ProtoMapping.ApplicationPrefix}{receipt.ApplicationId}/items/{receipt.ItemCode}",
        };
    }

    private static ItemOutcome ToOutcome(string caseNumber, DepartmentOutcome outcome)
    {
        var reasons = outcome.Reasons.Select(r => new OutcomeReason(r.Code, r.Message, r.Field is { Length: > 0 } f ? f : null)).ToList();
        return outcome.Kind switch
        {
            Kind.Completed => new ItemOutcome.Completed(caseNumber, new Dictionary<string, string>(outcome.Result, StringComparer.Ordinal), outcome.Opinion is { Length: > 0 } o ? o : null),
            Kind.InProgress => new ItemOutcome.Accepted(caseNumber, outcome.Stage is { Length: > 0 } s ? s : null),
            Kind.Returned => new ItemOutcome.Returned(caseNumber, reasons),
            Kind.Rejected => new ItemOutcome.Rejected(caseNumber, reasons),
            Kind.Deferred => new ItemOutcome.Deferred(caseNumber, ParseDate(outcome.EligibleDate)!.Value, reasons),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "checked before"),
        };
    }

    private static List<FieldViolation> Check(ReportItemResultRequest request)
    {
        var violations = new List<FieldViolation>();
        void Require(bool ok, string field, string reason, string description)
        {
            if (!ok)
            {
                violations.Add(new FieldViolation(field, reason, description));
            }
        }

        Require(request.Department.Length > 0, "department", ViolationReasons.Required, "缺少部门标识 department");
        Require(request.IdempotencyKey.Length is > 0 and <= MaxKeyLength, "idempotency_key", ViolationReasons.Required, $"缺少幂等键 idempotency_key，或超过{MaxKeyLength}个字符");
        Require(request.CaseNumber.Length is > 0 and <= MaxCaseNumberLength, "case_number", ViolationReasons.Required, $"缺少受理编号 case_number，或超过{MaxCaseNumberLength}个字符");
        Require(request.Sequence > 0, "sequence", "INVALID_SEQUENCE", "报送序号 sequence 须为正整数");
        if (request.Outcome is not { } outcome)
        {
            violations.Add(new FieldViolation("outcome", ViolationReasons.Required, "缺少办理结果 outcome"));
            return violations;
        }

        Require(Enum.IsDefined(outcome.Kind) && outcome.Kind != Kind.Unspecified, "outcome.kind", ViolationReasons.InvalidChoice, "办理结果类型 outcome.kind 无效");
        if (outcome.Kind is Kind.Returned or Kind.Rejected or Kind.Deferred)
        {
            Require(outcome.Reasons.Count > 0, "outcome.reasons", ViolationReasons.Required, "退回、不予办理或暂缓时须说明原因 outcome.reasons");
        }

        for (var i = 0; i < outcome.Reasons.Count; i++)
        {
            var reason = outcome.Reasons[i];
            Require(reason.Code.Length > 0 && reason.Message.Length > 0, $"outcome.reasons[{i}]", ViolationReasons.Required, "原因须有代码 code 和说明 message");
        }

        if (outcome.Kind == Kind.Deferred)
        {
            Require(ParseDate(outcome.EligibleDate) is not null, "outcome.eligible_date", ViolationReasons.InvalidDate, "暂缓时须给出可申请日期 eligible_date（yyyy-MM-dd）");
        }

        return violations;
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
