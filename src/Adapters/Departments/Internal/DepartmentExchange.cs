using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OneThing.Adapters.Internal;

/// <summary>
/// Runs one adapter call against a department: through the department's resilience pipeline, inside
/// an activity, with metrics; and turns what went wrong into the port's exceptions.
/// </summary>
/// <remarks>
/// The adapter's callback makes the native call AND maps the answer, so a business answer leaves the
/// pipeline as an <see cref="ItemOutcome"/> and is never retried; only technical failures escape the
/// callback as exceptions for the pipeline to judge.
/// </remarks>
internal sealed class DepartmentExchange
{
    private const string SubmitOperation = "submit";
    private const string StatusOperation = "status";
    private const string LookupOperation = "lookup";

    private readonly ResiliencePipeline pipeline;
    private readonly DepartmentAdapterOptions options;
    private readonly Func<Exception, bool> isTransient;
    private readonly AdapterInstruments instruments;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public DepartmentExchange(
        Department department,
        ResiliencePipeline pipeline,
        DepartmentAdapterOptions options,
        AdapterInstruments instruments,
        TimeProvider timeProvider,
        ILogger logger)
    {
        Department = department;
        DepartmentName = department.ToName();
        this.pipeline = pipeline;
        this.options = options;
        isTransient = DepartmentResilience.TransientPredicate(department, options);
        this.instruments = instruments;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public Department Department { get; }

    public string DepartmentName { get; }

    /// <summary>Submits an item: <paramref name="call"/> sends it and maps the answer.</summary>
    public Task<ItemOutcome> SubmitAsync(
        ItemSubmission submission, Func<CancellationToken, Task<ItemOutcome>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.Submitting(logger, submission.ItemCode, DepartmentName, submission.CorrelationId, PersonalData.Mask(submission.Applicant.IdNumber));
        }

        return RunAsync(SubmitOperation, submission.ItemCode, submission.CorrelationId, call, cancellationToken);
    }

    /// <summary>Reads an item's state: <paramref name="call"/> asks and maps the answer.</summary>
    public Task<ItemOutcome> GetStatusAsync(
        ItemStatusQuery query, Func<CancellationToken, Task<ItemOutcome>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync(StatusOperation, query.ItemCode, query.CorrelationId, call, cancellationToken);
    }

    /// <summary>
    /// Answers an item without calling the department, when the form lacks what the department
    /// requires: the citizen fixes it at once instead of waiting for a refusal.
    /// </summary>
    public Task<ItemOutcome> AnswerWithoutCallingAsync(ItemSubmission submission, ItemOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(submission);
        using var activity = AdapterInstruments.Source.StartActivity($"{DepartmentName} {SubmitOperation}", ActivityKind.Internal);
        activity?.SetTag(AdapterTelemetry.DepartmentTag, DepartmentName);
        activity?.SetTag(AdapterTelemetry.ItemCodeTag, submission.ItemCode);
        activity?.SetTag(AdapterTelemetry.CorrelationIdTag, submission.CorrelationId);
        activity?.SetTag(AdapterTelemetry.OperationTag, SubmitOperation);
        RecordOutcome(activity, SubmitOperation, submission.ItemCode, submission.CorrelationId, outcome);
        return Task.FromResult(outcome);
    }

    /// <summary>An answer the adapter cannot map; an operator must look.</summary>
    public DepartmentProtocolException Protocol(string message, Exception? innerException = null) =>
        new(Department, $"The {DepartmentName} department {message}", innerException);

    /// <summary>Looks up what the department holds (数据共享): <paramref name="call"/> asks and maps the answer.</summary>
    public Task<T> LookupAsync<T>(string kind, string correlationId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(LookupOperation, kind, correlationId, call, cancellationToken);

    private async Task<T> RunAsync<T>(
        string operation,
        string itemCode,
        string correlationId,
        Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        using var activity = AdapterInstruments.Source.StartActivity($"{DepartmentName} {operation}", ActivityKind.Client);
        activity?.SetTag(AdapterTelemetry.DepartmentTag, DepartmentName);
        activity?.SetTag(AdapterTelemetry.ItemCodeTag, itemCode);
        activity?.SetTag(AdapterTelemetry.CorrelationIdTag, correlationId);
        activity?.SetTag(AdapterTelemetry.OperationTag, operation);

        var started = timeProvider.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    ctx.Properties.Set(DepartmentResilience.AttemptsKey, ctx.Properties.GetValue(DepartmentResilience.AttemptsKey, 0) + 1);
                    return await state(ctx.CancellationToken);
                },
                context,
                call);

            if (outcome is ItemOutcome itemOutcome)
            {
                RecordOutcome(activity, operation, itemCode, correlationId, itemOutcome);
            }

            return outcome;
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested && exception.CancellationToken == cancellationToken)
        {
            RecordFailure(activity, operation, itemCode, "cancelled");
            throw;
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && exception is not DepartmentProtocolException)
        {
            // The caller gave up: whatever the call failed with on the way out (often a cancellation of
            // the pipeline's own linked token), the caller sees its own token cancelled.
            RecordFailure(activity, operation, itemCode, "cancelled");
            throw new OperationCanceledException("The adapter call was cancelled by its caller.", exception, cancellationToken);
        }
        catch (DepartmentProtocolException exception)
        {
            RecordFailure(activity, operation, itemCode, "protocol");
            Log.ProtocolViolation(logger, DepartmentName, itemCode, correlationId, exception.Message);
            throw;
        }
        catch (Exception exception) when (Translate(exception, context) is { } translated)
        {
            var errorType = translated is DepartmentProtocolException ? "protocol" : "unavailable";
            RecordFailure(activity, operation, itemCode, errorType);
            if (translated is DepartmentProtocolException)
            {
                Log.ProtocolViolation(logger, DepartmentName, itemCode, correlationId, translated.Message);
            }
            else
            {
                Log.Unavailable(logger, DepartmentName, itemCode, correlationId, translated.Message);
            }

            throw translated;
        }
        finally
        {
            instruments.Duration.Record(
                timeProvider.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(AdapterTelemetry.DepartmentTag, DepartmentName),
                new KeyValuePair<string, object?>(AdapterTelemetry.ItemCodeTag, itemCode),
                new KeyValuePair<string, object?>(AdapterTelemetry.OperationTag, operation));
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Maps a failure that left the pipeline to the port's exceptions; null for one that is a bug in
    /// the adapter or its caller, which propagates unchanged.
    /// </summary>
    private Exception? Translate(Exception exception, ResilienceContext context)
    {
        var attempts = context.Properties.GetValue(DepartmentResilience.AttemptsKey, 0);
        var lastError = context.Properties.GetValue(DepartmentResilience.LastErrorKey, string.Empty);
        var error = FailureDescriptions.Describe(exception);
        var history = string.IsNullOrEmpty(lastError) || lastError == error
            ? string.Empty
            : $"; the retried error before it: {lastError}";

        string? reason = exception switch
        {
            TimeoutRejectedException timeout when timeout.Timeout == options.TotalTimeout && attempts > 0 =>
                Invariant($"the total timeout of {options.TotalTimeout.TotalSeconds:0.###} s elapsed after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}"),
            TimeoutRejectedException timeout when timeout.Timeout == options.TotalTimeout =>
                Invariant($"the total timeout of {options.TotalTimeout.TotalSeconds:0.###} s elapsed while waiting for a concurrency permit"),
            BrokenCircuitException =>
                "its circuit breaker is open after repeated failures",
            RateLimiterRejectedException =>
                Invariant($"its concurrency limit of {options.MaxConcurrency} calls (and as many queued) is reached"),
            _ when isTransient(exception) =>
                $"gave up after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}",
            RpcException { StatusCode: StatusCode.Unknown or StatusCode.Cancelled } =>
                "failed technically (not retried in place)",
            OperationCanceledException =>
                "cancelled the exchange",
            _ => null,
        };

        if (reason is not null)
        {
            return new DepartmentUnavailableException(
                Department, $"The {DepartmentName} department is unavailable: {reason}; last error: {error}{history}.", exception);
        }

        return exception switch
        {
            RpcException rpc => Protocol(
                $"answered gRPC status {rpc.StatusCode}{(string.IsNullOrEmpty(rpc.Status.Detail) ? string.Empty : $" ({PersonalData.Redact(rpc.Status.Detail)})")}, which its contract does not provide for here.",
                exception),
            JsonException => Protocol($"sent a body the adapter cannot read: {error}.", exception),
            _ => null,
        };
    }

    private void RecordOutcome(Activity? activity, string operation, string itemCode, string correlationId, ItemOutcome outcome)
    {
        var kind = OutcomeKind(outcome);
        activity?.SetTag(AdapterTelemetry.CaseNumberTag, outcome.CaseNumber);
        activity?.SetTag(AdapterTelemetry.OutcomeTag, kind);
        instruments.Outcomes.Add(
            1,
            new KeyValuePair<string, object?>(AdapterTelemetry.DepartmentTag, DepartmentName),
            new KeyValuePair<string, object?>(AdapterTelemetry.ItemCodeTag, itemCode),
            new KeyValuePair<string, object?>(AdapterTelemetry.OutcomeTag, kind),
            new KeyValuePair<string, object?>(AdapterTelemetry.OperationTag, operation));
        Log.Answered(logger, DepartmentName, kind, itemCode, correlationId, outcome.CaseNumber, operation);
    }

    private void RecordFailure(Activity? activity, string operation, string itemCode, string errorType)
    {
        activity?.SetStatus(ActivityStatusCode.Error, errorType);
        activity?.SetTag(AdapterTelemetry.ErrorTypeTag, errorType);
        instruments.Failures.Add(
            1,
            new KeyValuePair<string, object?>(AdapterTelemetry.DepartmentTag, DepartmentName),
            new KeyValuePair<string, object?>(AdapterTelemetry.ItemCodeTag, itemCode),
            new KeyValuePair<string, object?>(AdapterTelemetry.ErrorTypeTag, errorType),
            new KeyValuePair<string, object?>(AdapterTelemetry.OperationTag, operation));
    }

    private static string OutcomeKind(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.Completed => "completed",
        ItemOutcome.Accepted => "accepted",
        ItemOutcome.Returned => "returned",
        ItemOutcome.Rejected => "rejected",
        ItemOutcome.Deferred => "deferred",
        _ => "unknown",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
