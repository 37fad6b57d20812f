using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using OneThing.WebConsole;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace OneThing.Tests.Browser;

/// <summary>The hub and the simulators (<see cref="HubSandbox"/>), the web console on a free loopback port, and a headless browser.</summary>
public sealed class ConsoleSandbox : IAsyncDisposable
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private readonly string _profile;
    private WebApplication? _console;
    private ChromeDriver? _driver;

    private ConsoleSandbox(HubSandbox hub, string profile)
    {
        Hub = hub;
        _profile = profile;
    }

    /// <summary>The hub and the simulators.</summary>
    public HubSandbox Hub { get; }

    /// <summary>The web console's address.</summary>
    public Uri ConsoleAddress { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IWebDriver Browser => _driver ?? throw new InvalidOperationException("the browser is not running");

    /// <summary>Starts the hub (with <paramref name="hubOverrides"/>), the simulators, the console and the browser.</summary>
    public static async Task<ConsoleSandbox> StartAsync(Dictionary<string, string?>? hubOverrides = null, TimeSpan? completionDelay = null)
    {
        // Before anything starts: without a browser there is nothing to test, and the message says how to get one.
        Chromium.EnsureInstalled();
        var hub = await HubSandbox.StartAsync(hubOverrides, completionDelay).Within();
        var profile = Path.Combine(Path.GetTempPath(), "onething-tests", "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var sandbox = new ConsoleSandbox(hub, profile);
        try
        {
            var settings = SandboxRunner.WebConsoleSettings(hub.HubAddress.ToString(), "http://127.0.0.1:0");
            settings["Hub:CallTimeout"] = "00:00:30";
            var console = WebConsoleHost.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Services.AddSingleton<IHubTokenSource>(new OneThing.Sandbox.SandboxConsoleTokens(hub.Identity));
            });
            await console.StartAsync(TestContext.Current.CancellationToken).Within();
            sandbox._console = console;
            sandbox.ConsoleAddress = new Uri(console.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            sandbox._driver = await Task.Run(() => Chromium.Start(profile), TestContext.Current.CancellationToken).Within(Chromium.CommandBound);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a page of the console.</summary>
    public void Open(string path) => Browser.Navigate().GoToUrl(new Uri(ConsoleAddress, path));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_driver is not null)
            {
                await Task.Run(_driver.Quit).WaitAsync(StopBound);
                _driver.Dispose();
            }
        }
        finally
        {
            try
            {
                if (_console is not null)
                {
                    await _console.StopAsync().WaitAsync(StopBound);
                    await _console.DisposeAsync().AsTask().WaitAsync(StopBound);
                }
            }
            finally
            {
                await Hub.DisposeAsync();
                DeleteProfile();
            }
        }
    }

    private void DeleteProfile()
    {
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A leftover browser profile in the temp folder is harmless.
        }
    }
}
