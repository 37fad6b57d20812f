using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OneThing.Adapters.Internal;

/// <summary>The adapters' ActivitySource and metric instruments (one set per service provider).</summary>
internal sealed class AdapterInstruments
{
    /// <summary>Activities are not per container; one static source serves every adapter.</summary>
    public static readonly ActivitySource Source = new(AdapterTelemetry.SourceName);

    public AdapterInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(AdapterTelemetry.MeterName);
        Outcomes = meter.CreateCounter<long>(
            AdapterTelemetry.OutcomesCounterName, unit: "{outcome}", description: "Department answers mapped to item outcomes, by kind.");
        Failures = meter.CreateCounter<long>(
            AdapterTelemetry.FailuresCounterName, unit: "{failure}", description: "Adapter calls that ended without a department answer.");
        Duration = meter.CreateHistogram<double>(
            AdapterTelemetry.DurationHistogramName, unit: "s", description: "Duration of adapter calls, retries included.");
    }

    public Counter<long> Outcomes { get; }

    public Counter<long> Failures { get; }

    public Histogram<double> Duration { get; }
}
