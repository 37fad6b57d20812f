using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using OneThing.Hub.CallbackSigning;
using OneThing.Hub.V1;

namespace OneThing.Simulators.Internal.Callbacks;

/// <summary>Where the hub's callback service listens; shared by the senders of one cluster, settable at any time.</summary>
internal sealed class HubCallbackTarget(Uri? address)
{
    private Uri? address = address;

    public Uri? Address
    {
        get => Volatile.Read(ref address);
        set => Volatile.Write(ref address, value);
    }
}

/// <summary>
/// Pushes a department's decided cases to the hub, as a real department's callback job would: a loop
/// on the simulator's clock looks at the cases it watches and sends each result once decided (the
/// final result as sequence 2; sequence 1 is the progress report). The faults decide whether a
/// callback is late, sent twice, followed by an older progress report, or not sent at all. A
/// callback the hub cannot take now is tried again later.
/// </summary>
internal sealed class CallbackSender : IAsyncDisposable
{
    private const long ProgressSequence = 1;
    private const long FinalSequence = 2;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private const int EarlyNoticeAttempts = 5;

    private readonly DepartmentSimulator simulator;
    private readonly HubCallbackTarget target;
    private readonly CallbackSigner signer;
    private readonly Lock gate = new();
    private readonly List<WatchedCase> watched = [];
    private readonly CancellationTokenSource stopping = new();
    private GrpcChannel? channel;
    private Uri? channelAddress;
    private Task? loop;

    public CallbackSender(DepartmentSimulator simulator, HubCallbackTarget target, CallbackKey key)
    {
        this.simulator = simulator;
        this.target = target;
        signer = new CallbackSigner(key, simulator.TimeProvider);
    }

    private TimeProvider Time => simulator.TimeProvider;

    public void Start() => loop = Task.Run(() => RunAsync(stopping.Token));

    /// <summary>
    /// Watches an accepted case; <paramref name="decided"/> (run under the simulator's lock) gives its
    /// final report once decided, else null. It is not asked before <paramref name="notBefore"/>, so
    /// many open cases cost the department's lock nothing until they can be decided.
    /// </summary>
    public void Watch(string idempotencyKey, string caseNumber, TimeSpan notBefore, Func<DepartmentOutcome?> decided)
    {
        if (target.Address is null)
        {
            return;
        }

        lock (gate)
        {
            watched.Add(new WatchedCase(idempotencyKey, caseNumber, decided) { NextTryAt = Time.GetUtcNow() + notBefore });
        }
    }

    /// <summary>
    /// For the early fault: reports the case as in progress before the submission is answered. The
    /// case exists once accepted, so the notice goes out even if the hub stops waiting for the answer
    /// (its attempt timed out): it depends on the sender's life, not on the submission call's.
    /// </summary>
    public async Task ReportAcceptedEarlyAsync(string idempotencyKey, string caseNumber)
    {
        var cancellationToken = stopping.Token;
        if (target.Address is null || simulator.Faults.CallbacksOff)
        {
            return;
        }

        // A busy hub (e.g. ABORTED while it records the submission itself) gets the notice again, a few
        // times, as a department would; after that it is dropped: the final result follows anyway.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync(idempotencyKey, caseNumber, ProgressSequence, new DepartmentOutcome { Kind = DepartmentOutcome.Types.Kind.InProgress }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RpcException e) when (attempt < EarlyNoticeAttempts && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted)
            {
                await Task.Delay(Tick, Time, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException)
            {
                // An early notice is a courtesy: the final result follows whatever happens to it.
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        channel?.Dispose();
        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(Tick, Time, cancellationToken).ConfigureAwait(false);
            foreach (var due in Due())
            {
                await DeliverAsync(due, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private List<WatchedCase> Due()
    {
        var now = Time.GetUtcNow();
        var delay = simulator.Faults.CallbackDelay;
        lock (gate)
        {
            var due = new List<WatchedCase>();
            foreach (var watchedCase in watched)
            {
                if (now < watchedCase.NextTryAt)
                {
                    continue;
                }

                if (watchedCase.Final is null && simulator.Read(watchedCase.Decided) is { } final)
                {
                    watchedCase.Final = final;
                    watchedCase.DecidedAt = now;
                }

                if (watchedCase.Final is not null && now >= watchedCase.DecidedAt + delay)
                {
                    due.Add(watchedCase);
                }
            }

            return due;
        }
    }

    private async Task DeliverAsync(WatchedCase watchedCase, CancellationToken cancellationToken)
    {
        var (_, off, duplicate, outOfOrder, _) = simulator.Faults.CallbackSnapshot();
        if (!off)
        {
            try
            {
                var copies = duplicate ? 2 : 1;
                for (var i = 0; i < copies; i++)
                {
                    await SendAsync(watchedCase.Key, watchedCase.CaseNumber, FinalSequence, watchedCase.Final!, cancellationToken).ConfigureAwait(false);
                }

                for (var i = 0; outOfOrder && i < copies; i++)
                {
                    await SendAsync(watchedCase.Key, watchedCase.CaseNumber, ProgressSequence, new DepartmentOutcome { Kind = DepartmentOutcome.Types.Kind.InProgress }, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Aborted or StatusCode.ResourceExhausted)
            {
                // The hub is down or busy: try again later. Repeats are safe, the hub deduplicates.
                watchedCase.NextTryAt = Time.GetUtcNow() + RetryAfter;
                return;
            }
            catch (RpcException)
            {
                // The hub refused the report for good (an unknown key, say); it can still ask.
            }
        }

        lock (gate)
        {
            watched.Remove(watchedCase);
        }
    }

    private async Task SendAsync(string key, string caseNumber, long sequence, DepartmentOutcome outcome, CancellationToken cancellationToken)
    {
        var request = new ReportItemResultRequest
        {
            Department = simulator.Name,
            IdempotencyKey = key,
            CaseNumber = caseNumber,
            Sequence = sequence,
            Outcome = outcome,
            SendTime = Timestamp.FromDateTimeOffset(Time.GetUtcNow()),
        };
        var client = new DepartmentCallbackService.DepartmentCallbackServiceClient(Channel().Intercept(signer));
        using var timeout = new CancellationTokenSource(CallTimeout, Time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await client.ReportItemResultAsync(request, cancellationToken: call.Token).ConfigureAwait(false);
        simulator.CountCallbackSent();
    }

    private GrpcChannel Channel()
    {
        var address = target.Address ?? throw new RpcException(new Status(StatusCode.Unavailable, "no hub callback address"));
        lock (gate)
        {
            if (channel is null || channelAddress != address)
            {
                channel?.Dispose();
                channel = GrpcChannel.ForAddress(address);
                channelAddress = address;
            }

            return channel;
        }
    }

    private sealed class WatchedCase(string key, string caseNumber, Func<DepartmentOutcome?> decided)
    {
        public string Key { get; } = key;

        public string CaseNumber { get; } = caseNumber;

        public Func<DepartmentOutcome?> Decided { get; } = decided;

        public DepartmentOutcome? Final { get; set; }

        public DateTimeOffset DecidedAt { get; set; }

        public DateTimeOffset NextTryAt { get; set; }
    }
}
