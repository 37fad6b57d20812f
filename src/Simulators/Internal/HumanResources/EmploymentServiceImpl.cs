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
            nameof(ApplyEmploymentCertificate), request.RequestNo, summary, () => office.IssueCertificate(request), out _);
        return Task.FromResult(Unwrap(answer));
    }

    public override Task<SubsidyClaim> ApplyStartupSubsidy(ApplyStartupSubsidyRequest request, ServerCallContext context)
    {
        var summary = $"id_no={request.IdNo} name={request.Name} category={request.Category} uscc={request.Business?.Uscc} registration_date={request.Business?.RegistrationDate}";
        var delay = simulator.CompletionDelay;
        var answer = simulator.Process(
            nameof(ApplyStartupSubsidy), request.RequestNo, summary, () => office.FileSubsidyClaim(request, delay), out _);
        return Task.FromResult(Unwrap(answer));
    }

    public override Task<SubsidyClaim> GetSubsidyClaim(GetSubsidyClaimRequest request, ServerCallContext context)
    {
        var answer = simulator.Query(nameof(GetSubsidyClaim), $"claim_no={request.ClaimNo}", () => office.GetClaim(request));
        return Task.FromResult(Unwrap(answer));
    }
}
