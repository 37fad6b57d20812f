using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OneThing.Hub.CallbackSigning;
using OneThing.Hub.Hosting;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;
using Kind = OneThing.Hub.V1.DepartmentOutcome.Types.Kind;
using static OneThing.Tests.Support.CallbackReports;

namespace OneThing.Tests.Security;

/// <summary>
/// Department callbacks are signed per department (scheme ONETHING-CALLBACK-V1): a correctly signed
/// callback applies; an unsigned, wrongly signed, tampered, foreign, expired or replayed one is refused
/// with its reason, kept in the audit log, and changes nothing.
/// </summary>
public sealed class SignedCallbackTests
{
    private const string Pension = "si.flexible-pension-registration";
    private static readonly Dictionary<string, string?> NoPolling = new() { ["Dispatch:ReconciliationInterval"] = "01:00:00" };

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public void CanonicalForm_SortedPathValueLines_PercentEncoded_DefaultsLeftOut()
    {
        var request = new ReportItemResultRequest
        {
            Department = SocialInsurance,
            IdempotencyKey = "0123456789abcdef0123456789abcdef",
            CaseNumber = "SBYL 2026/1",
            Sequence = 2,
            Outcome = new DepartmentOutcome { Kind = Kind.Rejected, Opinion = string.Empty },
            SendTime = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1_800_000_000, Nanos = 5 },
        };
        request.Outcome.Reasons.Add(new DepartmentReason { Code = "R1", Message = "不符合条件\n" });
        request.Outcome.Result.Add("a=b", string.Empty);

        Assert.Equal(
            string.Join('\n',
                "case_number=SBYL%202026%2F1",
                "department=social-insurance",
                "idempotency_key=0123456789abcdef0123456789abcdef",
                "outcome.kind=4",
                "outcome.reasons[0].code=R1",
                "outcome.reasons[0].message=%E4%B8%8D%E7%AC%A6%E5%90%88%E6%9D%A1%E4%BB%B6%0A",
                "outcome.result[a%3Db]=",
                "send_time.nanos=5",
                "send_time.seconds=1800000000",
                "sequence=2"),
            CallbackCanonicalForm.Of(request));
    }

    [Theory]
    [InlineData(CallbackSignatureAlgorithm.HmacSm3, 32)]
    [InlineData(CallbackSignatureAlgorithm.HmacSha256, 32)]
    public void Signature_VerifiesUnchanged_FailsOnAnyChange(CallbackSignatureAlgorithm algorithm, int macBytes)
    {
        var key = CallbackKey.Generate("si-test", algorithm);
        var request = Report("0123456789abcdef0123456789abcdef", "SBYL-1", 2, Completed());
        var headers = CallbackSignature.Headers(key, CallbackSignature.ReportItemResultMethod, request, DateTimeOffset.UnixEpoch.AddDays(20000)).ToDictionary();
        string Signature() => headers[CallbackSignature.SignatureHeader];
        bool Verifies(ReportItemResultRequest r, CallbackKey k, string? nonce = null) =>
            CallbackSignature.Verify(k, CallbackSignature.ReportItemResultMethod, headers[CallbackSignature.TimestampHeader], nonce ?? headers[CallbackSignature.NonceHeader], r, Signature());

        var tampered = request.Clone();
        tampered.Outcome.Result["monthly_contribution"] = "9000.00";
        Assert.Equal(macBytes, Convert.FromBase64String(Signature()).Length);
        Assert.True(Verifies(request, key));
        Assert.False(Verifies(tampered, key));
        Assert.False(Verifies(request, key, nonce: CallbackSignature.NewNonce()));
        Assert.False(Verifies(request, key with { Secret = CallbackKey.Generate("x").Secret }));
        Assert.False(Verifies(request, key with { Algorithm = algorithm == CallbackSignatureAlgorithm.HmacSm3 ? CallbackSignatureAlgorithm.HmacSha256 : CallbackSignatureAlgorithm.HmacSm3 }));
    }

    [Fact]
    public void Signature_Cost_SignAndVerifyOfOneCallback()
    {
        var request = Report("0123456789abcdef0123456789abcdef", "SBYL-1", 2, Completed());
        var figures = new List<string>();
        foreach (var algorithm in Enum.GetValues<CallbackSignatureAlgorithm>())
        {
            var key = CallbackKey.Generate("si-cost", algorithm);
            const int Rounds = 2000;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Rounds; i++)
            {
                var headers = CallbackSignature.Headers(key, CallbackSignature.ReportItemResultMethod, request, DateTimeOffset.UnixEpoch);
                Assert.True(CallbackSignature.Verify(key, CallbackSignature.ReportItemResultMethod, headers[1].Value, headers[2].Value, request, headers[3].Value));
            }

            var perCallback = watch.Elapsed / Rounds;
            var figure = $"{CallbackSignature.NameOf(algorithm)}: sign + verify {perCallback.TotalMicroseconds:0.0} µs per callback";
            TestContext.Current.TestOutputHelper?.WriteLine(figure);
            figures.Add(figure);
            Assert.True(perCallback < TimeSpan.FromMilliseconds(5), $"{algorithm}: {perCallback.TotalMicroseconds} µs");
        }

        // The figures, for the record (as the soak writes its own).
        var directory = Path.Combine(Path.GetTempPath(), "onething-tests");
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "callback-signature-figures.txt"), figures);
    }

    [Fact]
    public async Task SignedCallback_Applies_AndItsNonceIsKept()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var (name, key, caseNumber) = await AcceptedPensionAsync(sandbox);
        var request = Report(key, caseNumber, 2, Completed());

        var response = await RawClient(sandbox).ReportItemResultAsync(request, Call(Signed(request, SimulatorKey(sandbox), DateTimeOffset.UtcNow))).ResponseAsync.Within();

        Assert.Equal(ReportItemResultResponse.Types.Disposition.Applied, response.Disposition);
        Assert.Equal(ItemState.Succeeded, await PensionStateAsync(sandbox, name));
        Assert.Equal(SocialInsurance, Assert.Single(await QueryAsync(sandbox, db => db.Set<OneThing.Hub.Callbacks.CallbackNonce>().ToListAsync())).Department);
        Assert.Empty(await RefusalsAsync(sandbox));
    }

    [Fact]
    public async Task ForgedCallbacks_EachRefusedWithReason_RecordedAndChangeNothing()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var (name, key, caseNumber) = await AcceptedPensionAsync(sandbox);
        var client = RawClient(sandbox);
        var now = DateTimeOffset.UtcNow;
        var siKey = SimulatorKey(sandbox);
        var request = Report(key, caseNumber, 2, Completed());
        Metadata TamperedHeaders()
        {
            // Signed for an IN_PROGRESS report, sent with a COMPLETED one.
            var signedFor = Report(key, caseNumber, 2, new DepartmentOutcome { Kind = Kind.InProgress });
            return Signed(signedFor, siKey, now);
        }

        var cases = new (string What, ReportItemResultRequest Request, Metadata Headers, StatusCode Code, string Reason)[]
        {
            ("unsigned", request, [], StatusCode.Unauthenticated, "CALLBACK_UNSIGNED"),
            ("unknown key id", request, Signed(request, CallbackKey.Generate("si-forged"), now), StatusCode.Unauthenticated, "CALLBACK_KEY_UNKNOWN"),
            ("right key id, wrong secret", request, Signed(request, siKey with { Secret = CallbackKey.Generate("x").Secret }, now), StatusCode.Unauthenticated, "CALLBACK_SIGNATURE_INVALID"),
            ("outcome changed after signing", request, TamperedHeaders(), StatusCode.Unauthenticated, "CALLBACK_SIGNATURE_INVALID"),
            ("another department's key", request, Signed(request, sandbox.Simulators.CallbackKeys["tax"], now), StatusCode.PermissionDenied, "CALLBACK_DEPARTMENT_MISMATCH"),
            ("signed 6 minutes ago", request, Signed(request, siKey, now.AddMinutes(-6)), StatusCode.Unauthenticated, "CALLBACK_EXPIRED"),
            ("signed 6 minutes ahead", request, Signed(request, siKey, now.AddMinutes(6)), StatusCode.Unauthenticated, "CALLBACK_EXPIRED"),
        };

        foreach (var (what, forged, headers, code, reason) in cases)
        {
            var (actualCode, info, _) = await RichErrors.FailureOf(() => client.ReportItemResultAsync(forged, Call(headers)).ResponseAsync);
            Assert.True(code == actualCode && reason == info.Reason, $"{what}: expected {code} {reason}, got {actualCode} {info.Reason}");
            Assert.Equal("onething.gov.cn", info.Domain);
        }

        Assert.Equal(ItemState.InProgress, await PensionStateAsync(sandbox, name));
        Assert.Empty(await QueryAsync(sandbox, db => db.DepartmentCallbacks.Where(c => c.CaseNumber == caseNumber).ToListAsync()));
        Assert.Empty(await QueryAsync(sandbox, db => db.Set<OneThing.Hub.Callbacks.CallbackNonce>().ToListAsync()));
        var refusals = await RefusalsAsync(sandbox);
        Assert.Equal(cases.Select(c => c.Reason), refusals.Select(r => JsonDocument.Parse(r.Detail).RootElement.GetProperty("reason").GetString()));
        Assert.All(refusals, r => Assert.Equal($"departments/{SocialInsurance}/itemResults", r.Resource));
        Assert.All(refusals, r => Assert.Contains(caseNumber, r.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplayedCallback_SameNonce_RefusedAndRecorded_NotEvenCountedAsDuplicate()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var (name, key, caseNumber) = await AcceptedPensionAsync(sandbox);
        var client = RawClient(sandbox);
        var progress = Report(key, caseNumber, 1, new DepartmentOutcome { Kind = Kind.InProgress, Stage = "参保信息审核中" });
        var headers = Signed(progress, SimulatorKey(sandbox), DateTimeOffset.UtcNow);

        var first = await client.ReportItemResultAsync(progress, Call(headers)).ResponseAsync.Within();
        var (code, info, _) = await RichErrors.FailureOf(() => client.ReportItemResultAsync(progress, Call(headers)).ResponseAsync);

        Assert.Equal(ReportItemResultResponse.Types.Disposition.Applied, first.Disposition);
        Assert.Equal(StatusCode.Unauthenticated, code);
        Assert.Equal("CALLBACK_REPLAYED", info.Reason);
        var row = Assert.Single(await QueryAsync(sandbox, db => db.DepartmentCallbacks.Where(c => c.CaseNumber == caseNumber).ToListAsync()));
        Assert.Equal(0, row.DuplicateCount);
        Assert.Equal(ItemState.InProgress, await PensionStateAsync(sandbox, name));
        Assert.Contains("CALLBACK_REPLAYED", Assert.Single(await RefusalsAsync(sandbox)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredCallback_JudgedByTheHubsClock()
    {
        // The hub's clock is a fake one, a day behind the department's: a callback signed now is out of window.
        var hubClock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-1));
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        await sandbox.StopHubAsync();
        await sandbox.StartHubAsync(hubClock).Within();
        var request = Report(Guid.NewGuid().ToString("N"), "SBYL-CLOCK", 1, Completed());

        var (code, info, _) = await RichErrors.FailureOf(() => RawClient(sandbox).ReportItemResultAsync(request, Call(Signed(request, SimulatorKey(sandbox), DateTimeOffset.UtcNow))).ResponseAsync);
        var fresh = await RichErrors.FailureOf(() => RawClient(sandbox).ReportItemResultAsync(request, Call(Signed(request, SimulatorKey(sandbox), hubClock.GetUtcNow().AddMinutes(4)))).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "CALLBACK_EXPIRED"), (code, info.Reason));
        // Within the window by the hub's clock: past the signature, to the use case (no such item).
        Assert.Equal((StatusCode.NotFound, "ITEM_NOT_FOUND"), (fresh.Code, fresh.Info.Reason));
    }

    [Fact]
    public async Task RotatedKey_OldAndNewBothAcceptedDuringRotation()
    {
        var next = CallbackKey.Generate("si-next");
        var overrides = new Dictionary<string, string?>(NoPolling)
        {
            [$"Security:Callbacks:{SocialInsurance}:Keys:{next.KeyId}"] = Convert.ToBase64String(next.Secret),
            [$"Security:Callbacks:{SocialInsurance}:ActiveKey"] = next.KeyId,
        };
        await using var sandbox = await HubSandbox.StartAsync(overrides).Within();
        var (name, key, caseNumber) = await AcceptedPensionAsync(sandbox);
        var client = RawClient(sandbox);
        var progress = Report(key, caseNumber, 1, new DepartmentOutcome { Kind = Kind.InProgress, Stage = "参保信息审核中" });
        var final = Report(key, caseNumber, 2, Completed());

        var byOld = await client.ReportItemResultAsync(progress, Call(Signed(progress, SimulatorKey(sandbox), DateTimeOffset.UtcNow))).ResponseAsync.Within();
        var byNew = await client.ReportItemResultAsync(final, Call(Signed(final, next, DateTimeOffset.UtcNow))).ResponseAsync.Within();

        Assert.Equal(ReportItemResultResponse.Types.Disposition.Applied, byOld.Disposition);
        Assert.Equal(ReportItemResultResponse.Types.Disposition.Applied, byNew.Disposition);
        Assert.Equal(ItemState.Succeeded, await PensionStateAsync(sandbox, name));
        Assert.Equal(
            [SimulatorKey(sandbox).KeyId, next.KeyId],
            (await QueryAsync(sandbox, db => db.Set<OneThing.Hub.Callbacks.CallbackNonce>().OrderBy(n => n.Id).Select(n => n.KeyId).ToListAsync())).ToArray());
    }

    [Fact]
    public async Task HttpJsonCallback_SameHeaders_AppliesAndUnsignedIsRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var (name, key, caseNumber) = await AcceptedPensionAsync(sandbox);
        var request = Report(key, caseNumber, 2, Completed());
        using var http = new HttpClient { BaseAddress = sandbox.HubAddress };
        HttpRequestMessage Post(IEnumerable<KeyValuePair<string, string>> headers)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, $"v1/departments/{SocialInsurance}/itemResults:report")
            {
                Content = new StringContent(Google.Protobuf.JsonFormatter.Default.Format(request), new MediaTypeHeaderValue("application/json")),
            };
            foreach (var (header, value) in headers)
            {
                message.Headers.Add(header, value);
            }

            return message;
        }

        using var unsigned = await http.SendAsync(Post([]), TestContext.Current.CancellationToken).Within();
        using var signed = await http.SendAsync(Post(CallbackSignature.Headers(SimulatorKey(sandbox), CallbackSignature.ReportItemResultMethod, request, DateTimeOffset.UtcNow)), TestContext.Current.CancellationToken).Within();

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Contains("CALLBACK_UNSIGNED", await unsigned.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(ItemState.Succeeded, await PensionStateAsync(sandbox, name));
    }

    [Fact]
    public async Task SimulatorCallbacks_SignedEndToEnd_NothingRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling, callbacks: true).Within();
        sandbox.Simulators.SocialInsurance.Faults.DuplicateCallbacks = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.Empty(await RefusalsAsync(sandbox));
        var nonces = await QueryAsync(sandbox, db => db.Set<OneThing.Hub.Callbacks.CallbackNonce>().ToListAsync());
        Assert.Contains(nonces, n => n.Department == SocialInsurance && n.KeyId == SimulatorKey(sandbox).KeyId);
    }

    [Fact]
    public async Task HubStart_DepartmentWithoutCallbackKey_RefusedWithClearMessage()
    {
        await using var simulators = await OneThing.Simulators.SimulatorCluster.StartAsync(new OneThing.Simulators.SimulatorOptions { PopulationSize = 10 }, TestContext.Current.CancellationToken).Within();
        var directory = Path.Combine(Path.GetTempPath(), "onething-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = SandboxRunner.HubSettings(simulators, "http://127.0.0.1:0", $"Data Source={Path.Combine(directory, "hub.db")}");
        settings["Logging:LogLevel:Default"] = "None";
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Security:Callbacks:tax:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        var hub = HubHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        await using (hub)
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync(TestContext.Current.CancellationToken).Within());
            Assert.Contains("Departments:tax is configured but Security:Callbacks:tax has no key", e.Message, StringComparison.Ordinal);
        }
    }

    private static DepartmentCallbackService.DepartmentCallbackServiceClient RawClient(HubSandbox sandbox) => new(sandbox.Channel);

    private static CallOptions Call(Metadata headers) => new(headers, DateTime.UtcNow + Bounded.Default, TestContext.Current.CancellationToken);

    private static CallbackKey SimulatorKey(HubSandbox sandbox) => sandbox.Simulators.CallbackKeys[SocialInsurance];

    private static Metadata Signed(ReportItemResultRequest request, CallbackKey key, DateTimeOffset at)
    {
        var metadata = new Metadata();
        foreach (var (header, value) in CallbackSignature.Headers(key, CallbackSignature.ReportItemResultMethod, request, at))
        {
            metadata.Add(header, value);
        }

        return metadata;
    }

    private static async Task<(string Name, string Key, string CaseNumber)> AcceptedPensionAsync(HubSandbox sandbox)
    {
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var application = await sandbox.WaitUntilAsync(submitted.Name, a => a.Items.Single(i => i.ItemCode == Pension).State == ItemState.InProgress);
        var id = submitted.Name["applications/".Length..];
        var key = await QueryAsync(sandbox, db => db.Items.Where(i => i.ApplicationId == id && i.ItemCode == Pension).Select(i => i.SubmissionId).SingleAsync());
        return (submitted.Name, key, application.Items.Single(i => i.ItemCode == Pension).CaseNumber);
    }

    private static async Task<ItemState> PensionStateAsync(HubSandbox sandbox, string name) =>
        (await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = name }, Bounded.Options).ResponseAsync.Within()).Items.Single(i => i.ItemCode == Pension).State;

    private static Task<List<AuditRecord>> RefusalsAsync(HubSandbox sandbox) =>
        QueryAsync(sandbox, db => db.Set<AuditRecord>().Where(a => a.Action == "callback.refused").OrderBy(a => a.Id).ToListAsync());

    private static async Task<T> QueryAsync<T>(HubSandbox sandbox, Func<HubDbContext, Task<T>> query)
    {
        await using var scope = sandbox.HubServices.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>()).Within();
    }
}
