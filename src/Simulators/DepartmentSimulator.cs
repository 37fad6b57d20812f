using OneThing.Simulators.Internal;

namespace OneThing.Simulators;

/// <summary>
/// One simulated department system as tests and testers see it: where it listens, the faults it injects,
/// how long its asynchronous cases take, and what it received. Thread-safe.
/// </summary>
public sealed class DepartmentSimulator
{
    // The log keeps the most recent calls only, so a long soak run cannot exhaust memory; the counters
    // and CountFor stay exact whatever the log holds.
    private const int ReceivedLogCapacity = 100_000;

    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private readonly Random faultRandom;
    private readonly Dictionary<(string Operation, string Key), object> firstAnswers = [];
    private readonly Queue<ReceivedRequest> received = new();
    private readonly Dictionary<string, int> countsByKey = new(StringComparer.Ordinal);
    private readonly HashSet<(string Operation, string Subject)> subjectsWithCase = [];
    private long completionDelayTicks;
    private int receivedCount;
    private int replayCount;
    private int duplicateCount;
    private int caseCount;
    private int faultedCount;
    private int callbacksSent;
    private Uri? endpoint;

    internal DepartmentSimulator(string name, TimeProvider timeProvider, TimeSpan completionDelay, int faultSeed)
    {
        Name = name;
        this.timeProvider = timeProvider;
        faultRandom = new Random(faultSeed);
        CompletionDelay = completionDelay;
    }

    /// <summary>The stable name, e.g. "market-regulation".</summary>
    public string Name { get; }

    /// <summary>The base address the simulator listens on, with the port actually bound, e.g. http://127.0.0.1:5101.</summary>
    /// <exception cref="InvalidOperationException">The simulator has not started yet.</exception>
    public Uri Endpoint => endpoint ?? throw new InvalidOperationException($"The {Name} simulator has not started.");

    /// <summary>The faults injected before every call of the department API.</summary>
    public DepartmentFaults Faults { get; } = new();

    /// <summary>
    /// How long a case accepted from now on takes to complete (asynchronous departments). A case keeps
    /// the delay in force when it was created.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan CompletionDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref completionDelayTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref completionDelayTicks, value.Ticks);
        }
    }

    /// <summary>A snapshot of the processed calls since the last <see cref="Reset"/>, oldest first (at most the latest 100,000).</summary>
    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (gate)
            {
                return received.ToArray();
            }
        }
    }

    /// <summary>
    /// How many processed calls carried an idempotency key that had been seen before and were answered
    /// with the first answer, creating nothing: the retry protocol working (a caller that timed out, or
    /// died after the department answered, sends the same key again). Not a duplicate.
    /// </summary>
    public int ReplayCount
    {
        get
        {
            lock (gate)
            {
                return replayCount;
            }
        }
    }

    /// <summary>
    /// How many duplicate filings (重复申报) the department received: a case created for a subject (the
    /// person or business the call names) that already had a case of the same operation here, under
    /// another idempotency key. This is the harm "nothing twice" guards against: a caller that made up
    /// a new key for a retry. Refusals and returns create no case, so a correction (补正) filed after a
    /// return is not a duplicate. A repeated key is a replay (<see cref="ReplayCount"/>), never a duplicate. Counted
    /// since the last <see cref="Reset"/>, against the cases created since.
    /// </summary>
    public int DuplicateCount
    {
        get
        {
            lock (gate)
            {
                return duplicateCount;
            }
        }
    }

    /// <summary>How many distinct cases were created.</summary>
    public int CaseCount
    {
        get
        {
            lock (gate)
            {
                return caseCount;
            }
        }
    }

    /// <summary>How many calls an injected fault refused before any processing.</summary>
    public int FaultedCount
    {
        get
        {
            lock (gate)
            {
                return faultedCount;
            }
        }
    }

    /// <summary>How many callbacks the department delivered to the hub (each copy of a duplicate counts).</summary>
    public int CallbacksSent => Volatile.Read(ref callbacksSent);

    /// <summary>Pushes results to the hub, when the cluster has a hub callback address.</summary>
    internal Internal.Callbacks.CallbackSender? Callbacks { get; set; }

    /// <summary>How many calls were processed since the last <see cref="Reset"/> (the log may hold fewer).</summary>
    internal int ReceivedCount
    {
        get
        {
            lock (gate)
            {
                return receivedCount;
            }
        }
    }

    internal TimeProvider TimeProvider => timeProvider;

    /// <summary>Counts the processed calls that carried this idempotency key (0 if none).</summary>
    public int CountFor(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        lock (gate)
        {
            return countsByKey.GetValueOrDefault(idempotencyKey);
        }
    }

    /// <summary>
    /// Clears the faults, the received log and the counters (duplicate filings count against the cases
    /// created since). Cases, and the first answers remembered per idempotency key, stay: the department
    /// does not forget what it decided.
    /// </summary>
    public void Reset()
    {
        lock (gate)
        {
            Faults.Clear();
            received.Clear();
            countsByKey.Clear();
            subjectsWithCase.Clear();
            receivedCount = 0;
            replayCount = 0;
            duplicateCount = 0;
            caseCount = 0;
            faultedCount = 0;
        }
    }

    internal void Bind(Uri boundEndpoint) => endpoint = boundEndpoint;

    internal void CountCallbackSent() => Interlocked.Increment(ref callbacksSent);

    /// <summary>Reads department state under the simulator's lock, recording nothing.</summary>
    internal T Read<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    /// <summary>
    /// Applies the injected faults to one call: waits the latency on the simulator's clock, then decides
    /// whether the call fails transiently. A refused call is counted and must not be processed.
    /// </summary>
    internal async ValueTask<FaultVerdict> ApplyFaultsAsync(CancellationToken cancellationToken)
    {
        var latency = Faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        await Faults.WaitWhileHeldAsync(cancellationToken).ConfigureAwait(false);

        // Read again after the wait: a fault switched on meanwhile applies to this call too.
        var faults = Faults.Snapshot();
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var verdict = faults.Outage || (faults.OutageUntil is { } until && now < until)
                ? FaultVerdict.Outage
                : faults.ErrorRate > 0 && faultRandom.NextDouble() < faults.ErrorRate
                    ? FaultVerdict.TransientError
                    : FaultVerdict.None;
            if (verdict != FaultVerdict.None)
            {
                faultedCount++;
            }

            return verdict;
        }
    }

    /// <summary>
    /// Processes a mutating call once per idempotency key: the first call runs <paramref name="handle"/>
    /// and its answer is kept; a repeated key gets that same answer back without running anything.
    /// A case created for a <paramref name="subject"/> that already had one of this operation is counted
    /// as a duplicate filing. Everything runs under the simulator's lock, so department state needs no
    /// locking of its own.
    /// </summary>
    internal T Process<T>(string operation, string idempotencyKey, string subject, string requestSummary, Func<Handled<T>> handle, out bool replayed)
        where T : notnull
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var key = idempotencyKey ?? string.Empty;
            if (key.Length > 0 && firstAnswers.TryGetValue((operation, key), out var first))
            {
                replayCount++;
                Record(new ReceivedRequest(operation, key, now, Replayed: true, requestSummary + " -> replayed"));
                replayed = true;
                return (T)first;
            }

            var handled = handle();
            if (key.Length > 0)
            {
                firstAnswers.Add((operation, key), handled.Answer);
            }

            var duplicateFiling = false;
            if (handled.CaseCreated)
            {
                caseCount++;
                if (!string.IsNullOrEmpty(subject) && !subjectsWithCase.Add((operation, subject)))
                {
                    duplicateCount++;
                    duplicateFiling = true;
                }
            }

            Record(new ReceivedRequest(operation, key, now, Replayed: false, requestSummary + " -> " + handled.Outcome, duplicateFiling));
            replayed = false;
            return handled.Answer;
        }
    }

    /// <summary>Runs a read-only call under the simulator's lock and records it with an empty key.</summary>
    internal T Query<T>(string operation, string requestSummary, Func<Handled<T>> handle)
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var handled = handle();
            Record(new ReceivedRequest(operation, string.Empty, now, Replayed: false, requestSummary + " -> " + handled.Outcome));
            return handled.Answer;
        }
    }

    private void Record(ReceivedRequest request)
    {
        receivedCount++;
        if (request.IdempotencyKey.Length > 0)
        {
            countsByKey[request.IdempotencyKey] = countsByKey.GetValueOrDefault(request.IdempotencyKey) + 1;
        }

        if (received.Count == ReceivedLogCapacity)
        {
            received.Dequeue();
        }

        received.Enqueue(request);
    }
}
