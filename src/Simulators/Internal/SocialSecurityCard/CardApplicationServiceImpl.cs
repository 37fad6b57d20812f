using Departments.SsCard.V1;
using Grpc.Core;

namespace OneThing.Simulators.Internal.SocialSecurityCard;

/// <summary>The social security card system's gRPC front end: outcomes travel in result_code/err_code with status OK.</summary>
internal sealed class CardApplicationServiceImpl(DepartmentSimulator simulator, CardOffice office)
    : CardApplicationService.CardApplicationServiceBase
{
    public override async Task<ApplyCardResponse> ApplyCard(ApplyCardRequest request, ServerCallContext context)
    {
        var summary = $"cert_no={request.CertNo} name={request.Name} photo_receipt_no={request.PhotoReceiptNo} delivery={request.Delivery?.Mode}";
        var delay = simulator.CompletionDelay;
        var answer = simulator.Process(
            nameof(ApplyCard), request.OutTradeNo, request.CertNo, summary, () => office.Apply(request, delay), out var replayed);
        if (!replayed && answer.ResultCode == CardOffice.Success && simulator.Callbacks is { } callbacks)
        {
            var applyNo = answer.ApplyNo;
            callbacks.Watch(request.OutTradeNo, applyNo, delay, () => office.DecidedOutcome(applyNo));
            if (simulator.Faults.EarlyCallbacks)
            {
                await callbacks.ReportAcceptedEarlyAsync(request.OutTradeNo, applyNo);
            }
        }

        return answer;
    }

    public override Task<QueryApplicationResponse> QueryApplication(QueryApplicationRequest request, ServerCallContext context) =>
        Task.FromResult(simulator.Query(nameof(QueryApplication), $"apply_no={request.ApplyNo}", () => office.Query(request)));

    public override Task<LookupPhotoReceiptResponse> LookupPhotoReceipt(LookupPhotoReceiptRequest request, ServerCallContext context) =>
        Task.FromResult(simulator.Query(nameof(LookupPhotoReceipt), $"cert_no={request.CertNo}", () => office.LookupPhotoReceipt(request)));
}
