using Departments.SocialInsurance.V1;
using Grpc.Core;

namespace OneThing.Simulators.Internal.SocialInsurance;

/// <summary>The social insurance agency's unemployment insurance front end: outcomes travel in `code` with status OK.</summary>
internal sealed class UnemploymentInsuranceServiceImpl(DepartmentSimulator simulator, UnemploymentOffice office)
    : UnemploymentInsuranceService.UnemploymentInsuranceServiceBase
{
    public override Task<ApplyUnemploymentBenefitResponse> ApplyUnemploymentBenefit(
        ApplyUnemploymentBenefitRequest request, ServerCallContext context)
    {
        var summary = $"aac002={request.Aac002} aac003={request.Aac003}";
        var delay = simulator.CompletionDelay;
        var answer = simulator.Process(
            nameof(ApplyUnemploymentBenefit), request.TradeNo, request.Aac002, summary, () => office.ApplyBenefit(request, delay), out _);
        return Task.FromResult(answer);
    }

    public override Task<QueryUnemploymentBenefitResponse> QueryUnemploymentBenefit(
        QueryUnemploymentBenefitRequest request, ServerCallContext context) =>
        Task.FromResult(simulator.Query(nameof(QueryUnemploymentBenefit), $"biz_no={request.BizNo}", () => office.QueryBenefit(request)));

    public override Task<ApplyPriceSubsidyResponse> ApplyPriceSubsidy(ApplyPriceSubsidyRequest request, ServerCallContext context)
    {
        var summary = $"aac002={request.Aac002} aac003={request.Aac003}";
        var answer = simulator.Process(
            nameof(ApplyPriceSubsidy), request.TradeNo, request.Aac002, summary, () => office.ApplyPriceSubsidy(request), out _);
        return Task.FromResult(answer);
    }
}
