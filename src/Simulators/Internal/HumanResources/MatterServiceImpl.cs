using Departments.Hr.V1;
using Grpc.Core;
using static OneThing.Simulators.Internal.HumanResources.HrErrors;

namespace OneThing.Simulators.Internal.HumanResources;

/// <summary>The HR platform's matter declaration front end (事项申报): refusals are gRPC errors with ErrorInfo.</summary>
internal sealed class MatterServiceImpl(DepartmentSimulator simulator, MatterDesk desk) : MatterService.MatterServiceBase
{
    public override Task<MatterReceipt> SubmitMatter(SubmitMatterRequest request, ServerCallContext context)
    {
        var summary = $"matter_code={request.MatterCode} id_no={request.IdNo} name={request.Name}";
        var delay = simulator.CompletionDelay;
        var answer = simulator.Process(
            nameof(SubmitMatter), request.RequestNo, $"{request.MatterCode}/{request.IdNo}", summary, () => desk.Submit(request, delay), out _);
        return Task.FromResult(Unwrap(answer));
    }

    public override Task<MatterReceipt> GetMatter(GetMatterRequest request, ServerCallContext context)
    {
        var answer = simulator.Query(nameof(GetMatter), $"receipt_no={request.ReceiptNo}", () => desk.Get(request));
        return Task.FromResult(Unwrap(answer));
    }
}
