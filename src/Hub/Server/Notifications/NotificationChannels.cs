using System.Net.Http.Json;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Notifications;

/// <summary>Settings of the notification outbox and its channels (section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    /// <summary>The name of the HttpClient the channels use.</summary>
    public const string HttpClientName = "notifications";

    /// <summary>How often the worker looks for due notifications when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many due notifications one look takes.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>How long a worker holds a notification it is sending.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first retry delay after a failed send; doubles up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failed sends before a notification is given up (and shown to operators).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one send may take.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The SMS gateway.</summary>
    public ChannelEndpoint Sms { get; set; } = new();

    /// <summary>The message centre of the government-service app.</summary>
    public ChannelEndpoint InApp { get; set; } = new();

    /// <summary>What is wrong with these settings, if anything.</summary>
    public IEnumerable<string> Problems()
    {
        if (PollInterval <= TimeSpan.Zero || LeaseDuration <= TimeSpan.Zero || RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay || SendTimeout <= TimeSpan.Zero)
        {
            yield return "Notifications: intervals must be positive and RetryMaxDelay at least RetryBaseDelay";
        }

        if (BatchSize is < 1 or > 1000 || MaxAttempts is < 1 or > 100)
        {
            yield return "Notifications: BatchSize must lie within 1..1000 and MaxAttempts within 1..100";
        }
    }
}

/// <summary>Where a channel is.</summary>
public sealed class ChannelEndpoint
{
    /// <summary>The base address; empty when the channel is not configured (its notifications fail visibly).</summary>
    public string? Endpoint { get; set; }
}

/// <summary>A way to reach the applicant.</summary>
public interface INotificationChannel
{
    /// <summary>The channel.</summary>
    NotificationChannel Channel { get; }

    /// <summary>Whether it is configured.</summary>
    bool Configured { get; }

    /// <summary>
    /// Sends one notification to the applicant of <paramref name="application"/>; the notification's key is
    /// the request id, so a resend is delivered once. Returns the channel's message id.
    /// </summary>
    Task<string> SendAsync(NotificationRecord notification, JointApplication application, CancellationToken cancellationToken);
}

/// <summary>The SMS gateway (短信平台): <c>POST /sms/v1/messages</c>.</summary>
public sealed class SmsChannel(IHttpClientFactory http, NotificationOptions options) : INotificationChannel
{
    /// <inheritdoc />
    public NotificationChannel Channel => NotificationChannel.Sms;

    /// <inheritdoc />
    public bool Configured => !string.IsNullOrWhiteSpace(options.Sms.Endpoint);

    /// <inheritdoc />
    public async Task<string> SendAsync(NotificationRecord notification, JointApplication application, CancellationToken cancellationToken)
    {
        var body = new { requestId = notification.Key, phone = application.Content.Applicant.Mobile, signName = "一件事一次办", content = $"【一件事一次办】{notification.Text}" };
        using var response = await http.CreateClient(NotificationOptions.HttpClientName).PostAsJsonAsync(new Uri(new Uri(options.Sms.Endpoint!), "/sms/v1/messages"), body, cancellationToken);
        return await ChannelAnswer.ReadAsync(response, "bizId", cancellationToken);
    }
}

/// <summary>The app's message centre (消息中心): <c>POST /inbox/v1/messages</c>, addressed by the applicant's identity number.</summary>
public sealed class InAppChannel(IHttpClientFactory http, NotificationOptions options) : INotificationChannel
{
    /// <inheritdoc />
    public NotificationChannel Channel => NotificationChannel.InApp;

    /// <inheritdoc />
    public bool Configured => !string.IsNullOrWhiteSpace(options.InApp.Endpoint);

    /// <inheritdoc />
    public async Task<string> SendAsync(NotificationRecord notification, JointApplication application, CancellationToken cancellationToken)
    {
        var body = new
        {
            requestId = notification.Key,
            userId = application.Content.Applicant.IdNumber,
            title = notification.Title,
            content = notification.Text,
            link = $"onething://applications/{application.Id}",
        };
        using var response = await http.CreateClient(NotificationOptions.HttpClientName).PostAsJsonAsync(new Uri(new Uri(options.InApp.Endpoint!), "/inbox/v1/messages"), body, cancellationToken);
        return await ChannelAnswer.ReadAsync(response, "messageId", cancellationToken);
    }
}

/// <summary>A channel refused or failed a send.</summary>
public sealed class NotificationChannelException(string message) : Exception(message);

internal static class ChannelAnswer
{
    public static async Task<string> ReadAsync(HttpResponseMessage response, string idProperty, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new NotificationChannelException($"HTTP {(int)response.StatusCode}");
        }

        using var document = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.TryGetProperty(idProperty, out var id) && id.GetString() is { Length: > 0 } text
            ? text
            : throw new NotificationChannelException($"the answer has no {idProperty}");
    }
}
