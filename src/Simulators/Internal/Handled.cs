namespace OneThing.Simulators.Internal;

/// <summary>What a department decided for one call: the answer, whether it opened a new case, and a word for the log.</summary>
internal readonly record struct Handled<T>(T Answer, bool CaseCreated, string Outcome);

/// <summary>The fate an injected fault gives a call.</summary>
internal enum FaultVerdict
{
    /// <summary>No fault: process the call.</summary>
    None,

    /// <summary>The department is down (indefinitely or until a set instant).</summary>
    Outage,

    /// <summary>A random transient error.</summary>
    TransientError,
}
