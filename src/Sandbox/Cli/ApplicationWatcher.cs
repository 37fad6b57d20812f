using Grpc.Core;
using OneThing.Hub.V1;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>
/// Follows an application through WatchApplication until it settles (every item final, or the rest
/// returned to the applicant), showing each item's progress, then prints the summary.
/// </summary>
internal sealed class ApplicationWatcher(IAnsiConsole console, ApplicationService.ApplicationServiceClient client)
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>Watches <paramref name="name"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public async Task<int> WatchAsync(string name, bool live, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        Application? last = null;
        try
        {
            if (live)
            {
                await console.Live(new Markup($"[grey]watching {Markup.Escape(name)} ...[/]")).AutoClear(false).StartAsync(async context =>
                {
                    last = await FollowAsync(name, update =>
                    {
                        context.UpdateTarget(ApplicationView.Items(update));
                        context.Refresh();
                    }, bound.Token);
                });
            }
            else
            {
                var shown = new Dictionary<string, string>(StringComparer.Ordinal);
                last = await FollowAsync(name, update =>
                {
                    foreach (var item in update.Items)
                    {
                        var line = ApplicationView.Line(item);
                        if (!shown.TryGetValue(item.ItemCode, out var previous) || previous != line)
                        {
                            shown[item.ItemCode] = line;
                            console.MarkupLine(line);
                        }
                    }
                }, bound.Token);
                console.WriteLine();
                console.Write(ApplicationView.Tree(last));
            }
        }
        catch (Exception e) when (bound.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            if (cancellationToken.IsCancellationRequested)
            {
                console.MarkupLine($"[yellow]Stopped watching {Markup.Escape(name)}; the hub goes on with it.[/] Follow it again: onething watch {Markup.Escape(name)}");
                return ExitCodes.Interrupted;
            }

            console.MarkupLine($"[red]{Markup.Escape(name)} did not settle within {timeout}.[/] Items still open:");
            foreach (var item in last?.Items.Where(i => !ApplicationView.IsFinal(i)) ?? [])
            {
                console.MarkupLine(ApplicationView.Line(item));
            }

            return ExitCodes.TimedOut;
        }

        var settled = last ?? throw new InvalidOperationException("the watch ended without an update");
        console.MarkupLine(ApplicationView.Summary(settled));
        return settled.Items.All(i => i.State == ApplicationItem.Types.State.Succeeded) ? ExitCodes.Ok : ExitCodes.NotAllSucceeded;
    }

    private async Task<Application> FollowAsync(string name, Action<Application> show, CancellationToken cancellationToken)
    {
        Application? last = null;
        while (true)
        {
            try
            {
                using var call = client.WatchApplication(new WatchApplicationRequest { Name = name }, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    last = update;
                    show(update);
                    if (ApplicationView.IsSettled(update))
                    {
                        return update;
                    }
                }
            }
            catch (RpcException e) when (last is not null && e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown)
            {
                // The hub went away mid-watch (e.g. restarted); the application lives in its database, so watch again.
                console.MarkupLine($"[yellow]Lost the watch ({Markup.Escape(e.Status.Detail)}); watching again ...[/]");
            }

            // The stream ended (or broke) before the application settled: look again shortly.
            await Task.Delay(ReconnectDelay, cancellationToken);
        }
    }
}
