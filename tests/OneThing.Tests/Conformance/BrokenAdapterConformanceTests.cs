using OneThing.Adapters;
using OneThing.Adapters.Conformance;
using OneThing.Tests.Support;

namespace OneThing.Tests.Conformance;

/// <summary>The suite fails deliberately broken adapters, naming the broken check and saying precisely what went wrong.</summary>
public sealed class BrokenAdapterConformanceTests(ConformanceClusterFixture fixture) : IClassFixture<ConformanceClusterFixture>
{
    [Fact]
    public async Task RunAsync_AdapterMappingRejectionToCompleted_FailsTheRejectionCheckOnly()
    {
        using var bundled = AdapterUnderTest.Bundled(fixture.Cluster, Department.SocialSecurityCard);
        var broken = new RejectionAsCompletedAdapter(bundled.Adapter);

        var report = await RunAsync(broken);

        Assert.False(report.Passed);
        var failure = Assert.Single(report.Failures);
        Assert.Equal("outcome.rejected.card-already-held", failure.Name);
        Assert.Equal("the adapter answered Completed, expected Rejected (CARD_ALREADY_HELD)", failure.Problem);
        Assert.Equal("Rejected with reason CARD_ALREADY_HELD and a Chinese message", failure.Expected);
        Assert.StartsWith("Completed(case none-given, result {})", failure.Actual, StringComparison.Ordinal);
        var person = fixture.Cluster.Population.Scenarios.ExistingCard;
        Assert.Contains($"item sscard.card-application, idempotency key ", failure.Input, StringComparison.Ordinal);
        Assert.Contains($"applicant {person.Name} (ID {person.IdNumber[..6]}", failure.Input, StringComparison.Ordinal);
        Assert.DoesNotContain(person.IdNumber, failure.Input, StringComparison.Ordinal);
        Assert.Contains("card.photo_receipt_no=" + person.PhotoReceiptNo, failure.Input, StringComparison.Ordinal);
        Assert.Contains("✗ outcome.rejected.card-already-held", report.ToText(), StringComparison.Ordinal);
        Assert.EndsWith("1 failed in " + report.Duration.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s — NOT CONFORMANT", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AdapterMakingANewIdempotencyKeyPerCall_FailsTheIdempotencyCheck()
    {
        using var bundled = AdapterUnderTest.Bundled(fixture.Cluster, Department.SocialSecurityCard);
        var broken = new NewKeyPerCallAdapter(bundled.Adapter);

        var report = await RunAsync(broken);

        Assert.False(report.Passed);
        var failure = Assert.Single(report.Failures);
        Assert.Equal("idempotency.same-key-twice", failure.Name);
        Assert.Contains("the repeated submission did not get the first answer back", failure.Problem, StringComparison.Ordinal);
        Assert.Contains("0 time(s), expected at least 2: the adapter must send ItemSubmission.IdempotencyKey as the department's own idempotency key", failure.Problem, StringComparison.Ordinal);
        Assert.Contains("the department replayed 0 answer(s) for a repeated key, expected 1", failure.Problem, StringComparison.Ordinal);
        // The department refused the second application as a second card for the same person: the harm a lost key does.
        Assert.Matches(@"^first Accepted\(case SBK\d+\); second Rejected\(case none, reasons \[CARD_ALREADY_HELD: ", failure.Actual);
        Assert.EndsWith("(submitted twice)", failure.Input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AdapterMappingUnavailableToRejected_FailsTheOutageAndTimeoutChecks()
    {
        using var bundled = AdapterUnderTest.Bundled(fixture.Cluster, Department.Tax);
        var broken = new UnavailableAsRejectedAdapter(bundled.Adapter);

        var report = await RunAsync(broken);

        Assert.False(report.Passed);
        var names = report.Failures.Select(f => f.Name).ToList();
        Assert.Contains("transient.outage", names);
        Assert.Contains("timeout.latency-beyond-deadline", names);
        Assert.DoesNotContain(names, n => n.StartsWith("outcome.", StringComparison.Ordinal) || n.StartsWith("idempotency.", StringComparison.Ordinal));
        Assert.StartsWith(
            "during the outage the adapter answered Rejected(case none, reasons [DEPARTMENT_DOWN: 部门系统暂不可用]), expected DepartmentUnavailableException",
            report["transient.outage"].Problem,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "the adapter answered Rejected(case none, reasons [DEPARTMENT_DOWN: 部门系统暂不可用]) though the department never answered in time; expected DepartmentUnavailableException",
            report["timeout.latency-beyond-deadline"].Problem,
            StringComparison.Ordinal);
        Assert.Contains("latency 7.0 s against an adapter deadline of 5.0 s", report["timeout.latency-beyond-deadline"].Input, StringComparison.Ordinal);
    }

    private Task<ConformanceReport> RunAsync(IDepartmentAdapter adapter) =>
        ConformanceSuite.RunAsync(
            adapter,
            adapter.Department,
            fixture.Cluster,
            new ConformanceOptions { AdapterDeadline = AdapterUnderTest.TotalTimeout },
            TestContext.Current.CancellationToken).Within(TimeSpan.FromMinutes(2));

    /// <summary>Broken: tells the citizen "done" when the department refused.</summary>
    private sealed class RejectionAsCompletedAdapter(IDepartmentAdapter inner) : IDepartmentAdapter
    {
        public Department Department => inner.Department;

        public IReadOnlyCollection<string> ItemCodes => inner.ItemCodes;

        public async Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
        {
            var outcome = await inner.SubmitAsync(submission, cancellationToken);
            return outcome is ItemOutcome.Rejected rejected
                ? new ItemOutcome.Completed(rejected.CaseNumber ?? "none-given", new Dictionary<string, string>())
                : outcome;
        }

        public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken) => inner.GetStatusAsync(query, cancellationToken);
    }

    /// <summary>Broken: makes up a new idempotency key on every call, so a retry opens a second case.</summary>
    private sealed class NewKeyPerCallAdapter(IDepartmentAdapter inner) : IDepartmentAdapter
    {
        public Department Department => inner.Department;

        public IReadOnlyCollection<string> ItemCodes => inner.ItemCodes;

        public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken) =>
            inner.SubmitAsync(submission with { IdempotencyKey = Guid.NewGuid().ToString("N") }, cancellationToken);

        public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken) => inner.GetStatusAsync(query, cancellationToken);
    }

    /// <summary>Broken: turns a department that is down or slow into a final refusal.</summary>
    private sealed class UnavailableAsRejectedAdapter(IDepartmentAdapter inner) : IDepartmentAdapter
    {
        public Department Department => inner.Department;

        public IReadOnlyCollection<string> ItemCodes => inner.ItemCodes;

        public async Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
        {
            try
            {
                return await inner.SubmitAsync(submission, cancellationToken);
            }
            catch (DepartmentUnavailableException)
            {
                return new ItemOutcome.Rejected(null, [new OutcomeReason("DEPARTMENT_DOWN", "部门系统暂不可用")]);
            }
        }

        public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken) => inner.GetStatusAsync(query, cancellationToken);
    }
}
