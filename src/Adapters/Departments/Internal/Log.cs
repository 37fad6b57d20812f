using Microsoft.Extensions.Logging;

namespace OneThing.Adapters.Internal;

/// <summary>Source-generated log lines of the adapters. Personal data is masked before it gets here.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Submitting {ItemCode} to {Department} (correlation {CorrelationId}, applicant {MaskedIdNumber})")]
    public static partial void Submitting(ILogger logger, string itemCode, string department, string correlationId, string maskedIdNumber);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "{Department} answered {Outcome} for {ItemCode} (correlation {CorrelationId}, case {CaseNumber}, {Operation})")]
    public static partial void Answered(ILogger logger, string department, string outcome, string itemCode, string correlationId, string? caseNumber, string operation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "{Department} call failed transiently, retry {Attempt} in {Delay} (operation {Operation}): {Error}")]
    public static partial void Retrying(ILogger logger, string department, int attempt, TimeSpan delay, string? operation, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "{Department} is unavailable for {ItemCode} (correlation {CorrelationId}): {Reason}")]
    public static partial void Unavailable(ILogger logger, string department, string itemCode, string correlationId, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error,
        Message = "{Department} answered something the adapter cannot map for {ItemCode} (correlation {CorrelationId}): {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string department, string itemCode, string correlationId, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "{Department} circuit breaker opened for {BreakDuration} after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, string department, TimeSpan breakDuration);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "{Department} circuit breaker closed")]
    public static partial void CircuitClosed(ILogger logger, string department);
}
