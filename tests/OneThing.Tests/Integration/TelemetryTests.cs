using System.Collections.Concurrent;
using System.Diagnostics;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Integration;

/// <summary>Dispatch and adapter calls leave traces an operator can follow.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Submit_Flow_EmitsDispatchAndAdapterSpansWithDepartmentCaseAndCorrelation()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "OneThing.Hub" or "OneThing.Adapters",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, DateOnly.FromDateTime(DateTime.Now)));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        var id = submitted.Name["applications/".Length..];
        var dispatch = spans.Where(s => s.Source.Name == "OneThing.Hub" && (string?)s.GetTagItem("onething.application_id") == id).ToList();
        var tax = Assert.Single(dispatch, s => (string?)s.GetTagItem("onething.item_code") == "tax.taxpayer-confirmation");
        Assert.Equal("tax", tax.GetTagItem("onething.department"));
        Assert.Equal(done.Items.Single(i => i.ItemCode == "tax.taxpayer-confirmation").CaseNumber, tax.GetTagItem("onething.case_number"));
        var correlation = (string?)tax.GetTagItem("onething.correlation_id");
        Assert.False(string.IsNullOrEmpty(correlation));
        Assert.Contains(spans, s => s.Source.Name == "OneThing.Adapters" && (string?)s.GetTagItem("onething.correlation_id") == correlation);
    }
}
