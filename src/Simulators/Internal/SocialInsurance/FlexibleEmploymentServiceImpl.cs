using Departments.SocialInsurance.V1;
using Grpc.Core;

namespace OneThing.Simulators.Internal.SocialInsurance;

/// <summary>The social insurance agency's gRPC front end: outcomes travel in `code` with status OK.</summary>
internal sealed class FlexibleEmploymentServiceImpl(DepartmentSimulator simulator, SocialInsuranceOffice office)
    : FlexibleEmploymentService.FlexibleEmploymentServiceBase
{
    public override async Task<RegisterPensionInsuranceResponse> RegisterPensionInsurance(
        RegisterPensionInsuranceRequest request, ServerCallContext context)
    {
        var summary = $"aac002={request.Aac002} aac003={request.Aac003} contribution_base={request.ContributionBase}";
        var delay = simulator.CompletionDelay;
        var answer = simulator.Process(
            nameof(RegisterPensionInsurance), request.TradeNo, request.Aac002, summary, () => office.Register(request, delay), out var replayed);
        if (!replayed && answer.Code == SocialInsuranceOffice.Accepted && simulator.Callbacks is { } callbacks)
        {
            var bizNo = answer.BizNo;
            if (simulator.Faults.EarlyCallbacks)
            {
                // The early notice goes out (and is answered) before the case is watched, so the result's
                // callback can never overtake it, however slow the machine.
                await callbacks.ReportAcceptedEarlyAsync(request.TradeNo, bizNo);
            }

            callbacks.Watch(request.TradeNo, bizNo, delay, () => office.DecidedOutcome(bizNo));
        }

        return answer;
    }

    public override Task<QueryRegistrationResponse> QueryRegistration(QueryRegistrationRequest request, ServerCallContext context) =>
        Task.FromResult(simulator.Query(nameof(QueryRegistration), $"biz_no={request.BizNo}", () => office.Query(request)));
}
