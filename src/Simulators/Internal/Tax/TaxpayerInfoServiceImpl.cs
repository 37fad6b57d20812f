using Departments.Tax.V1;
using Grpc.Core;

namespace OneThing.Simulators.Internal.Tax;

/// <summary>The tax system's gRPC front end (前置机): business outcomes travel in return_code with status OK.</summary>
internal sealed class TaxpayerInfoServiceImpl(DepartmentSimulator simulator, TaxOffice office)
    : TaxpayerInfoService.TaxpayerInfoServiceBase
{
    public override Task<ConfirmTaxpayerInfoResponse> ConfirmTaxpayerInfo(ConfirmTaxpayerInfoRequest request, ServerCallContext context)
    {
        var summary = $"uscc={request.Uscc} taxpayer_name={request.TaxpayerName}";
        var answer = simulator.Process(
            nameof(ConfirmTaxpayerInfo), request.BusinessSerialNo, request.Uscc, summary, () => office.Confirm(request), out _);
        return Task.FromResult(answer);
    }

    public override Task<QueryConfirmationResponse> QueryConfirmation(QueryConfirmationRequest request, ServerCallContext context)
    {
        var summary = $"document_no={request.DocumentNo} business_serial_no={request.BusinessSerialNo}";
        return Task.FromResult(simulator.Query(nameof(QueryConfirmation), summary, () => office.Query(request)));
    }
}
