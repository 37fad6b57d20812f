using Departments.Hr.V1;
using Grpc.Core;
using static OneThing.Simulators.Internal.HumanResources.HrErrors;

namespace OneThing.Simulators.Internal.HumanResources;

/// <summary>The HR system's gRPC front end: refusals are gRPC errors carrying a google.rpc.Status with ErrorInfo.</summary>
internal sealed class EmploymentServiceImpl(DepartmentSimulator simulator, HumanResourcesOffice office)
    : EmploymentService.EmploymentServiceBase
{
    public override Task<ApplyEmploymentCertificateResponse> ApplyEmploymentCertificate(
        ApplyEmploymentCertificateRequest request, ServerCallContext context)
    {
        var summary = $"id_no={request.IdNo} name={request.Name}";
        var answer = simulator.Process(
            nameof(ApplyEmploymentCertificate), request.RequestNo, request.IdNo, summary, () => office.IssueCertificate(request), out _);
        return Task.FromResult(Unwrap(answer));
    }

    public override async Task<SubsidyClaim> ApplyStartupSubsidy(ApplyStartupSubsidyRequest request, ServerCallContext context)
    {
        var summary = $"id_no={request.IdNo} name={request.Name} category={request.Category} uscc={request.Business?.Uscc} registration_date={request.Business?.RegistrationDate}";
        var delay = simulator.CompletionDelay;
        var answer = simulator.Process(
            nameof(ApplyStartupSubsidy), request.RequestNo, request.IdNo, summary, () => office.FileSubsidyClaim(request, delay), out var replayed);
        var claim = Unwrap(answer);
        if (!replayed && claim.Status == ClaimStatus.Reviewing && simulator.Callbacks is { } callbacks)
        {
            var claimNo = claim.ClaimNo;
            callbacks.Watch(request.RequestNo, claimNo, delay, () => office.DecidedOutcome(claimNo));
            if (simulator.Faults.EarlyCallbacks)
            {
                await callbacks.ReportAcceptedEarlyAsync(request.RequestNo, claimNo);
            }
        }

        return claim;
    }

    public override Task<SubsidyClaim> GetSubsidyClaim(GetSubsidyClaimRequest request, ServerCallContext context)
    {
        var answer = simulator.Query(nameof(GetSubsidyClaim), $"claim_no={request.ClaimNo}", () => office.GetClaim(request));
        return Task.FromResult(Unwrap(answer));
    }
}
