namespace OneThing.Adapters;

/// <summary>
/// The names under which the adapters publish traces and metrics, for the host to register with
/// OpenTelemetry (<c>AddSource(AdapterTelemetry.SourceName)</c>, <c>AddMeter(AdapterTelemetry.MeterName)</c>).
/// </summary>
public static class AdapterTelemetry
{
    /// <summary>The ActivitySource: one activity per adapter call.</summary>
    public const string SourceName = "OneThing.Adapters";

    /// <summary>The Meter of the adapters' instruments.</summary>
    public const string MeterName = "OneThing.Adapters";

    /// <summary>Counter of department answers, tagged with department, item code and outcome kind.</summary>
    public const string OutcomesCounterName = "onething.adapter.outcomes";

    /// <summary>Counter of failed calls, tagged with department, item code and error type
    /// (<c>unavailable</c>, <c>protocol</c>, <c>cancelled</c>).</summary>
    public const string FailuresCounterName = "onething.adapter.failures";

    /// <summary>Histogram of call durations in seconds, retries included.</summary>
    public const string DurationHistogramName = "onething.adapter.duration";

    /// <summary>Tag: the department's stable name, e.g. <c>tax</c>.</summary>
    public const string DepartmentTag = "onething.department";

    /// <summary>Tag: the catalog item code.</summary>
    public const string ItemCodeTag = "onething.item_code";

    /// <summary>Tag: the hub's correlation id of the exchange (traces only).</summary>
    public const string CorrelationIdTag = "onething.correlation_id";

    /// <summary>Tag: the department's case number (traces only).</summary>
    public const string CaseNumberTag = "onething.case_number";

    /// <summary>Tag: the outcome kind: <c>completed</c>, <c>accepted</c>, <c>returned</c>, <c>rejected</c> or <c>deferred</c>.</summary>
    public const string OutcomeTag = "onething.outcome";

    /// <summary>Tag: the adapter operation, <c>submit</c> or <c>status</c>.</summary>
    public const string OperationTag = "onething.operation";

    /// <summary>Tag: the kind of failure (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorTypeTag = "error.type";
}
