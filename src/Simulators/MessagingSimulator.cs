namespace OneThing.Simulators;

/// <summary>A message a notification channel delivered.</summary>
/// <param name="Channel">"sms" or "in-app".</param>
/// <param name="RequestId">The sender's request id (its idempotency key).</param>
/// <param name="Recipient">The mobile number (SMS) or the user id (in-app).</param>
/// <param name="Title">The title (in-app), or the signature (SMS).</param>
/// <param name="Content">The text.</param>
/// <param name="ReceivedAt">When it arrived, by the simulator's clock.</param>
public sealed record DeliveredMessage(string Channel, string RequestId, string Recipient, string Title, string Content, DateTimeOffset ReceivedAt);

/// <summary>
/// The notification channels the hub sends through, simulated: an SMS gateway (短信平台,
/// <c>POST /sms/v1/messages</c>) and a government-service app's message centre (消息中心,
/// <c>POST /inbox/v1/messages</c>). Each remembers the first answer per request id, so a resent
/// message is delivered once.
/// </summary>
public sealed class MessagingSimulator
{
    private readonly Lock gate = new();
    private readonly List<DeliveredMessage> delivered = [];
    private readonly Dictionary<(string Channel, string RequestId), string> firstAnswers = [];
    private readonly TimeProvider time;
    private int duplicates;
    private int sequence;

    internal MessagingSimulator(TimeProvider time) => this.time = time;

    /// <summary>Faults injected before every call (outage, error rate, latency).</summary>
    public DepartmentFaults Faults { get; } = new();

    /// <summary>The base address it listens on.</summary>
    public Uri Endpoint { get; internal set; } = null!;

    /// <summary>Every message delivered, oldest first (each request id once).</summary>
    public IReadOnlyList<DeliveredMessage> Delivered
    {
        get
        {
            lock (gate)
            {
                return [.. delivered];
            }
        }
    }

    /// <summary>How many sends repeated a request id already delivered (and got the first answer).</summary>
    public int DuplicateCount
    {
        get
        {
            lock (gate)
            {
                return duplicates;
            }
        }
    }

    /// <summary>Delivers a message once per (channel, request id); returns the message id and whether it was a repeat.</summary>
    internal (string MessageId, bool Replayed) Deliver(string channel, string requestId, string recipient, string title, string content)
    {
        lock (gate)
        {
            if (firstAnswers.TryGetValue((channel, requestId), out var first))
            {
                duplicates++;
                return (first, true);
            }

            sequence++;
            var id = $"{(channel == "sms" ? "SMS" : "MSG")}{sequence:D8}";
            firstAnswers.Add((channel, requestId), id);
            delivered.Add(new DeliveredMessage(channel, requestId, recipient, title, content, time.GetUtcNow()));
            return (id, false);
        }
    }
}
