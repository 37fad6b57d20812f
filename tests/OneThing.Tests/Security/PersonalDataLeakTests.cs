using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Security;

/// <summary>
/// Runs alone: the trace listener hears every activity of the process, and other tests' flows would
/// muddle what this one finds.
/// </summary>
[CollectionDefinition(nameof(PersonalDataLeakCollection), DisableParallelization = true)]
public sealed class PersonalDataLeakCollection;

/// <summary>
/// A full flow through the sandbox, then the SQLite file (and its WAL) read byte by byte, the hub's
/// captured logs and every trace of the process: the applicant's identity number, phones, accounts and
/// address appear nowhere in clear.
/// </summary>
[Collection(nameof(PersonalDataLeakCollection))]
public sealed class PersonalDataLeakTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FullFlow_DatabaseFileLogsAndTraces_HoldNoPersonalDataInClear()
    {
        var logs = new CapturingLoggerProvider();
        using var traces = new TraceCapture();
        await using var sandbox = await HubSandbox.StartAsync(callbacks: true, hubServices: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            // Everything the hub logs, at every level, reaches this provider (the console stays quiet).
            services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        }).Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, sandbox.Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, i => Assert.Equal(ApplicationItem.Types.State.Succeeded, i.State));

        // A prefill asks the market registry by the applicant's ID number, in the URL's query.
        await sandbox.Applications.PrefillApplicationAsync(
            new PrefillApplicationRequest { Theme = SampleApplications.ShaoguanTheme, Applicant = SampleApplications.Shaoguan(person, sandbox.Today).Applicant },
            Bounded.Options).Within();
        Assert.Contains(sandbox.Simulators.MarketRegulation.Received, r => r.Operation == "findLicencesByHolder");
        var secrets = Secrets(person, done);

        // The owner's applications and certificates are found by the blind index, not by the number.
        await using (var scope = sandbox.HubServices.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var index = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().ApplicantIndex(person.IdNumber);
            var mine = await db.Applications.AsNoTracking().OfApplicant(index).Select(a => a.Id).ToListAsync(Cancel).Within();
            Assert.Equal(new[] { submitted.Name["applications/".Length..] }, mine);
            Assert.NotEmpty(await db.Certificates.AsNoTracking().OfHolder(index).ToListAsync(Cancel).Within());
            Assert.Empty(await db.Applications.AsNoTracking().OfApplicant(scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().ApplicantIndex("11010519491231002X")).ToListAsync(Cancel).Within());
        }

        AssertNoneIn("the database (hub running)", DatabaseBytes(sandbox.DatabaseFile), secrets);
        await sandbox.StopHubAsync().Within();
        SqliteConnection.ClearAllPools();
        AssertNoneIn("the database (hub stopped)", DatabaseBytes(sandbox.DatabaseFile), secrets);

        AssertNoneIn("the hub's logs", Encoding.UTF8.GetBytes(string.Join('\n', logs.Lines)), secrets);
        Assert.True(logs.Lines.Count > 20, $"too few log lines captured ({logs.Lines.Count}): is the capture wired?");
        AssertNoneIn("the traces", Encoding.UTF8.GetBytes(string.Join('\n', traces.Lines)), secrets);
        Assert.Contains(traces.Lines, l => l.Contains("/api/market/v1/licences", StringComparison.Ordinal));

        // A restarted hub opens what it sealed: the development keys stay beside the database file.
        await sandbox.StartHubAsync().Within();
        var again = await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();
        Assert.Equal(person.IdNumber, again.Applicant.IdDocument.Number);
    }

    /// <summary>What must not appear in clear: identity number, mobile, accounts, card number, residence address.</summary>
    private static Dictionary<string, string> Secrets(OneThing.Simulators.SimulatedPerson person, Application done)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["identity number"] = person.IdNumber,
            ["mobile"] = person.Mobile,
            ["bank account"] = person.AccountNumber,
            ["residence address"] = person.ResidenceAddress,
        };
        if (person.CardAccount is { Length: > 0 } cardAccount)
        {
            secrets["card account"] = cardAccount;
        }

        var card = done.Items.Single(i => i.ItemCode == "sscard.card-application");
        foreach (var key in new[] { "bank_account", "card_number" })
        {
            if (card.Result.TryGetValue(key, out var value) && value.Length >= 8)
            {
                secrets[$"sscard {key}"] = value;
            }
        }

        return secrets;
    }

    private static byte[] DatabaseBytes(string file)
    {
        using var bytes = new MemoryStream();
        foreach (var path in new[] { file, file + "-wal", file + "-journal" })
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.CopyTo(bytes);
            }
        }

        Assert.True(bytes.Length > 0, $"{file} is empty or missing");
        return bytes.ToArray();
    }

    /// <summary>Looks for each secret as UTF-8, as UTF-16, and JSON-escaped (\uXXXX, either case).</summary>
    private static void AssertNoneIn(string where, byte[] haystack, Dictionary<string, string> secrets)
    {
        foreach (var (what, value) in secrets)
        {
            var forms = new[]
            {
                Encoding.UTF8.GetBytes(value),
                Encoding.Unicode.GetBytes(value),
                Encoding.UTF8.GetBytes(JsonEscaped(value, "x4")),
                Encoding.UTF8.GetBytes(JsonEscaped(value, "X4")),
                Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(value).Trim('"')),
            };
            foreach (var form in forms.Where(f => f.Length > 0))
            {
                var at = haystack.AsSpan().IndexOf(form);
                Assert.True(at < 0, $"{where} holds the {what} in clear at byte {at}: …{Around(haystack, at, form.Length)}…");
            }
        }
    }

    private static string JsonEscaped(string value, string format) =>
        string.Concat(value.Select(c => c < 128 ? c.ToString() : "\\u" + ((int)c).ToString(format, System.Globalization.CultureInfo.InvariantCulture)));

    private static string Around(byte[] haystack, int at, int length)
    {
        var start = Math.Max(0, at - 120);
        return Encoding.UTF8.GetString(haystack, start, Math.Min(haystack.Length - start, length + 240));
    }
}

/// <summary>Keeps every log line the hub writes, with its structured values and exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        // The lines stay readable after the hub stops.
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append(CultureInfoInvariant($" | {key}={value}"));
                }
            }

            provider._scopes?.ForEachScope((scope, builder) => builder.Append(CultureInfoInvariant($" | scope {scope}")), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            provider._lines.Enqueue(line.ToString());
        }

        private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
    }
}

/// <summary>Listens to every activity source of the process, with all data requested, and keeps what each finished activity says.</summary>
internal sealed class TraceCapture : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ActivityListener _listener;

    public TraceCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyCollection<string> Lines => _lines;

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        var line = new StringBuilder($"{activity.Source.Name} {activity.OperationName} \"{activity.DisplayName}\" {activity.Status} {activity.StatusDescription}");
        foreach (var (key, value) in activity.TagObjects)
        {
            line.Append(FormattableString.Invariant($" | {key}={value}"));
        }

        foreach (var e in activity.Events)
        {
            line.Append(FormattableString.Invariant($" | event {e.Name}"));
            foreach (var (key, value) in e.Tags)
            {
                line.Append(FormattableString.Invariant($" {key}={value}"));
            }
        }

        foreach (var (key, value) in activity.Baggage)
        {
            line.Append(FormattableString.Invariant($" | baggage {key}={value}"));
        }

        _lines.Enqueue(line.ToString());
    }
}
