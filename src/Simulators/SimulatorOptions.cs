using Microsoft.Extensions.Logging;

namespace OneThing.Simulators;

/// <summary>How a <see cref="SimulatorCluster"/> listens, keeps time, completes work and builds its population.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The address every simulator and the control API listen on: an IP address or "localhost".</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The market regulation registry's port; 0 picks any free port.</summary>
    public int MarketRegulationPort { get; set; }

    /// <summary>The tax system's port; 0 picks any free port.</summary>
    public int TaxPort { get; set; }

    /// <summary>The HR system's port; 0 picks any free port.</summary>
    public int HumanResourcesPort { get; set; }

    /// <summary>The social insurance system's port; 0 picks any free port.</summary>
    public int SocialInsurancePort { get; set; }

    /// <summary>The social security card system's port; 0 picks any free port.</summary>
    public int SocialSecurityCardPort { get; set; }

    /// <summary>The control API's port; 0 picks any free port.</summary>
    public int ControlPort { get; set; }

    /// <summary>The port of the notification channels (SMS gateway and message centre); 0 picks a free one.</summary>
    public int MessagingPort { get; set; }

    /// <summary>The clock of every simulator: "today", timestamps, latency and asynchronous completion.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long an asynchronous case (subsidy claim, pension registration, benefit claim, card making, a
    /// reviewed HR matter) takes to complete; a multi-stage review (Jiangsu's job-seeking subsidy) spends this long in each stage.
    /// </summary>
    public TimeSpan CompletionDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where the hub's DepartmentCallbackService listens; when set, departments whose cases complete
    /// asynchronously push each result there when it is decided (they still answer status queries).
    /// May also be set later, on <see cref="SimulatorCluster.HubCallbackAddress"/>.
    /// </summary>
    public Uri? HubCallbackAddress { get; set; }

    /// <summary>
    /// The key each department signs its callbacks with, by stable name (e.g. "tax"); a department not
    /// listed gets a random key for the run. Either way <see cref="SimulatorCluster.CallbackKeys"/> has them.
    /// </summary>
    public IReadOnlyDictionary<string, OneThing.Hub.CallbackSigning.CallbackKey>? CallbackKeys { get; set; }

    /// <summary>How many bulk people the synthetic population has.</summary>
    public int PopulationSize { get; set; } = 1000;

    /// <summary>The seed of the population and of the fault draws.</summary>
    public int Seed { get; set; } = 20250702;

    /// <summary>Configures the logging of every simulator host; when null, warnings and above go to the console.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
