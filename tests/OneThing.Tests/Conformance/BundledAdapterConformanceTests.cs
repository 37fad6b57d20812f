using OneThing.Adapters;
using OneThing.Adapters.Conformance;
using OneThing.Tests.Support;

namespace OneThing.Tests.Conformance;

/// <summary>The five bundled adapters pass the conformance suite against their simulators.</summary>
public sealed class BundledAdapterConformanceTests(ConformanceClusterFixture fixture) : IClassFixture<ConformanceClusterFixture>
{
    [Theory]
    [InlineData(Department.MarketRegulation)]
    [InlineData(Department.Tax)]
    [InlineData(Department.HumanResources)]
    [InlineData(Department.SocialInsurance)]
    [InlineData(Department.SocialSecurityCard)]
    public async Task RunAsync_BundledAdapter_PassesEveryCheck(Department department)
    {
        using var adapter = AdapterUnderTest.Bundled(fixture.Cluster, department);

        var report = await ConformanceSuite.RunAsync(adapter, fixture.Cluster, TestContext.Current.CancellationToken).Within(TimeSpan.FromMinutes(2));

        Assert.True(report.Passed, report.ToText(verbose: true));
        var names = report.Checks.Select(c => c.Name).ToList();
        Assert.Contains("idempotency.same-key-twice", names);
        Assert.Contains("transient.error-rate", names);
        Assert.Contains("transient.outage", names);
        Assert.Contains("timeout.latency-beyond-deadline", names);
        Assert.Contains(names, n => n.StartsWith("outcome.rejected.", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("outcome.returned.", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("outcome.completed.", StringComparison.Ordinal) || n.StartsWith("outcome.accepted-then-completed.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ReportText_HasOneLinePerCheckAndASummary()
    {
        using var adapter = AdapterUnderTest.Bundled(fixture.Cluster, Department.SocialSecurityCard);

        var report = await ConformanceSuite.RunAsync(adapter, fixture.Cluster, TestContext.Current.CancellationToken).Within(TimeSpan.FromMinutes(2));
        var lines = report.ToText().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(report.Passed, report.ToText(verbose: true));
        Assert.Equal(report.Checks.Count + 2, lines.Length);
        Assert.All(report.Checks, check => Assert.Contains(lines, line => line.StartsWith("✓ " + check.Name, StringComparison.Ordinal)));
        Assert.StartsWith($"social-security-card: {report.Checks.Count} checks, {report.Checks.Count} passed, 0 failed", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith("CONFORMANT", lines[^1], StringComparison.Ordinal);
    }
}
