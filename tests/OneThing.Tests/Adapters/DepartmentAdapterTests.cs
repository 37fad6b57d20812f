using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Simulators;
using Polly;
using Polly.Telemetry;
using Xunit;

namespace OneThing.Tests.Adapters;

/// <summary>
/// The department adapters against the simulated departments, over real HTTP and gRPC on loopback:
/// every mapping of a native answer to an outcome, idempotency, and the resilience pipeline.
/// </summary>
/// <remarks>
/// One cluster serves the whole class; each test builds its own adapter set (and so its own
/// pipelines and circuit breakers). Departments remember who already holds a certificate, a card or a
/// subsidy, so every test that creates such state uses a bulk person of its own (see the indices).
/// </remarks>
public sealed class DepartmentAdapterTests(AdapterClusterFixture fixture) : IClassFixture<AdapterClusterFixture>
{
    private const string ThemeCode = "luoyang.personal-startup";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SimulatorCluster cluster = fixture.Cluster;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private SyntheticPopulation Population => cluster.Population;

    // ---- registration and options ----

    [Fact]
    public void AddDepartmentAdapters_AllEndpointsConfigured_RegistersOneAdapterPerDepartmentCoveringEveryItem()
    {
        using var provider = CreateAdapters();

        var adapters = provider.GetServices<IDepartmentAdapter>().ToList();

        Assert.Equal(Enum.GetValues<Department>().Order(), adapters.Select(a => a.Department).Order());
        Assert.Equal(
            new[]
            {
                "hr.career-guidance", "hr.employment-certificate", "hr.employment-difficulty-recognition",
                "hr.employment-registration", "hr.guaranteed-loan", "hr.job-referral", "hr.job-seeking-subsidy",
                "hr.one-time-startup-subsidy", "hr.opening-guidance", "hr.policy-consultation", "hr.rent-subsidy",
                "hr.startup-grant", "hr.startup-subsidy", "hr.startup-training", "hr.unemployment-registration",
                "market.licence-verification", "si.flexible-pension-registration", "si.price-subsidy",
                "si.unemployment-benefit", "sscard.card-application", "tax.taxpayer-confirmation",
            },
            adapters.SelectMany(a => a.ItemCodes).Order(StringComparer.Ordinal));
        Assert.IsType<MarketRegulationAdapter>(Adapter(provider, Department.MarketRegulation));
        Assert.IsType<HumanResourcesAdapter>(Adapter(provider, Department.HumanResources));
    }

    [Fact]
    public void AddDepartmentAdapters_MissingEndpoint_FailsValidationNamingTheSetting()
    {
        using var provider = CreateAdapters(settings => settings.Remove("Departments:tax:Endpoint"));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetServices<IDepartmentAdapter>().ToList());

        Assert.Contains("Departments:tax:Endpoint is required", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDepartmentAdapters_AttemptTimeoutAboveTotal_FailsValidation()
    {
        using var provider = CreateAdapters(settings =>
        {
            settings["Departments:human-resources:AttemptTimeout"] = "00:00:30";
            settings["Departments:human-resources:TotalTimeout"] = "00:00:10";
            settings["Departments:human-resources:BreakerFailureRatio"] = "1.5";
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetServices<IDepartmentAdapter>().ToList());

        Assert.Contains("AttemptTimeout (00:00:30) must not exceed TotalTimeout (00:00:10)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("BreakerFailureRatio must lie in (0, 1]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDepartmentAdapters_GatewayTransport_UsesGatewayAdapter()
    {
        using var provider = CreateAdapters(settings => settings["Departments:social-insurance:Transport"] = "gateway");

        var adapter = Adapter(provider, Department.SocialInsurance);

        Assert.IsType<GatewayAdapter>(adapter);
        Assert.Equal(
            new[] { "si.flexible-pension-registration", "si.price-subsidy", "si.unemployment-benefit" },
            adapter.ItemCodes.Order(StringComparer.Ordinal));
    }

    // ---- market regulation: licence verification (REST/JSON) ----

    [Fact]
    public async Task SubmitAsync_LicenceOfReadyPerson_CompletesWithVerifiedLicence()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.Ready;
        var licence = person.Licence!;

        var outcome = await Adapter(provider, Department.MarketRegulation)
            .SubmitAsync(Submission("market.licence-verification", person, LicenceFields(person)), Token)
            .WaitAsync(Timeout, Token);

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.False(string.IsNullOrEmpty(completed.CaseNumber));
        Assert.Equal(licence.Uscc, completed.Result["uscc"]);
        Assert.Equal(licence.EntityName, completed.Result["entity_name"]);
        Assert.Equal(licence.EntityType, completed.Result["entity_type"]);
        Assert.Equal(licence.OperatorName, completed.Result["operator_name"]);
        Assert.Equal(licence.OperatorIdNumber, completed.Result["operator_id_number"]);
        Assert.Equal(licence.RegistrationDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), completed.Result["registration_date"]);
        Assert.Equal(licence.Address, completed.Result["address"]);
        Assert.Equal(licence.Status, completed.Result["status"]);
        Assert.Equal(completed.CaseNumber, completed.Result["verification_no"]);
    }

    [Fact]
    public async Task SubmitAsync_UnregisteredUscc_RejectsWithLicenceNotFound()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.NoLicence;

        var outcome = await Adapter(provider, Department.MarketRegulation)
            .SubmitAsync(Submission("market.licence-verification", person, LicenceFields(person)), Token)
            .WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons);
        Assert.Equal("LICENCE_NOT_FOUND", reason.Code);
        Assert.Equal("licence.uscc", reason.Field);
        Assert.False(string.IsNullOrWhiteSpace(reason.Message));
    }

    [Fact]
    public async Task SubmitAsync_LicenceNameMistyped_ReturnsForLicenceName()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.Ready;
        var fields = new Dictionary<string, string> { ["licence.name"] = person.LicenceName + "分店", ["licence.uscc"] = person.LicenceUscc };

        var outcome = await Adapter(provider, Department.MarketRegulation)
            .SubmitAsync(Submission("market.licence-verification", person, fields), Token)
            .WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("LICENCE_NAME_MISMATCH", reason.Code);
        Assert.Equal("licence.name", reason.Field);
    }

    [Fact]
    public async Task SubmitAsync_LicenceOfSomeoneElse_RejectsWithHolderMismatch()
    {
        using var provider = CreateAdapters();
        var owner = Population.Scenarios.Ready;
        var applicant = Population.Scenarios.NoLicence;

        var outcome = await Adapter(provider, Department.MarketRegulation)
            .SubmitAsync(Submission("market.licence-verification", applicant, LicenceFields(owner)), Token)
            .WaitAsync(Timeout, Token);

        Assert.Equal("LICENCE_HOLDER_MISMATCH", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_LicenceVerificationSameKeyTwice_CreatesOneCase()
    {
        using var provider = CreateAdapters();
        cluster.MarketRegulation.Reset();
        var person = Population.People[0];
        var submission = Submission("market.licence-verification", person, LicenceFields(person));
        var adapter = Adapter(provider, Department.MarketRegulation);

        var first = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var second = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);

        Assert.IsType<ItemOutcome.Completed>(first);
        Assert.Equal(first.CaseNumber, second.CaseNumber);
        Assert.Equal(1, cluster.MarketRegulation.CaseCount);
        Assert.Equal(1, cluster.MarketRegulation.ReplayCount);
        Assert.Equal(0, cluster.MarketRegulation.DuplicateCount);
        Assert.Equal(2, cluster.MarketRegulation.CountFor(submission.IdempotencyKey));
    }

    [Fact]
    public void Telemetry_AnAttemptTimeoutRetriedInPlace_IsAWarningNotAnError()
    {
        // Polly's defaults log every attempt timeout at Error; for an adapter it is the retry working.
        using var provider = CreateAdapters();
        var severity = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.SeverityProvider;
        Assert.NotNull(severity);
        var context = ResilienceContextPool.Shared.Get(Token);
        ResilienceEventSeverity Of(string pipeline, string name, ResilienceEventSeverity given) =>
            severity(new SeverityProviderArguments(
                new ResilienceTelemetrySource(pipeline, null, "attempt-timeout"), new ResilienceEvent(given, name), context));

        Assert.Equal(ResilienceEventSeverity.Warning, Of("tax-adapter", "OnTimeout", ResilienceEventSeverity.Error));
        Assert.Equal(ResilienceEventSeverity.Debug, Of("tax-adapter", "ExecutionAttempt", ResilienceEventSeverity.Warning));
        Assert.Equal(ResilienceEventSeverity.Warning, Of("tax-adapter", "OnCircuitOpened", ResilienceEventSeverity.Warning));
        Assert.Equal(ResilienceEventSeverity.Error, Of("someone-elses-pipeline", "OnTimeout", ResilienceEventSeverity.Error));
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public async Task SubmitAsync_SameLicenceUnderAnotherKey_TheDepartmentCountsADuplicateFiling()
    {
        // What the soak and replica tests assert never happens: a caller that makes up a new key for a
        // retry files the same business twice. The simulator must see it, or those tests prove nothing.
        using var provider = CreateAdapters();
        cluster.MarketRegulation.Reset();
        var person = Population.People[1];
        var first = Submission("market.licence-verification", person, LicenceFields(person));
        var second = first with { IdempotencyKey = first.IdempotencyKey + "-again" };
        var adapter = Adapter(provider, Department.MarketRegulation);

        await adapter.SubmitAsync(first, Token).WaitAsync(Timeout, Token);
        await adapter.SubmitAsync(second, Token).WaitAsync(Timeout, Token);

        Assert.Equal(2, cluster.MarketRegulation.CaseCount);
        Assert.Equal(1, cluster.MarketRegulation.DuplicateCount);
        Assert.Equal(0, cluster.MarketRegulation.ReplayCount);
        var filing = cluster.MarketRegulation.Received.Last();
        Assert.True(filing.DuplicateFiling, filing.Summary);
    }

    [Fact]
    public async Task GetStatusAsync_LicenceVerification_ThrowsProtocolExceptionBecauseItCompletesAtOnce()
    {
        using var provider = CreateAdapters();
        var query = new ItemStatusQuery(NewKey(), "market.licence-verification", "HYZ000", NewKey());

        var exception = await Assert.ThrowsAsync<DepartmentProtocolException>(
            () => Adapter(provider, Department.MarketRegulation).GetStatusAsync(query, Token).WaitAsync(Timeout, Token));

        Assert.Equal(Department.MarketRegulation, exception.Department);
        Assert.Contains("same idempotency key", exception.Message, StringComparison.Ordinal);
    }

    // ---- tax: taxpayer confirmation (gRPC, return codes) ----

    [Fact]
    public async Task SubmitAsync_TaxpayerOfVerifiedLicence_CompletesAndStatusReadsTheSameConfirmation()
    {
        using var provider = CreateAdapters();
        var person = Population.People[1];
        var licence = await VerifyLicenceAsync(provider, person);
        var submission = Submission("tax.taxpayer-confirmation", person, LicenceFields(person), licence);
        var adapter = Adapter(provider, Department.Tax);

        var outcome = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var status = await adapter
            .GetStatusAsync(new ItemStatusQuery(submission.IdempotencyKey, submission.ItemCode, outcome.CaseNumber!, NewKey()), Token)
            .WaitAsync(Timeout, Token);

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.Equal(person.LicenceUscc, completed.Result["taxpayer_id"]);
        Assert.False(string.IsNullOrEmpty(completed.Result["tax_authority"]));
        Assert.Equal(completed.CaseNumber, completed.Result["document_no"]);
        Assert.True(DateTimeOffset.TryParse(completed.Result["confirmed_at"], System.Globalization.CultureInfo.InvariantCulture, out _));
        var read = Assert.IsType<ItemOutcome.Completed>(status);
        Assert.Equal(completed.CaseNumber, read.CaseNumber);
        Assert.Equal(completed.Result, read.Result);
    }

    [Fact]
    public async Task SubmitAsync_TaxpayerNameDiffersFromRegistration_ReturnsForLicenceName()
    {
        using var provider = CreateAdapters();
        var person = Population.People[2];
        var licence = await VerifyLicenceAsync(provider, person);
        var fields = new Dictionary<string, string> { ["licence.name"] = "另一个名称", ["licence.uscc"] = person.LicenceUscc };

        var outcome = await Adapter(provider, Department.Tax)
            .SubmitAsync(Submission("tax.taxpayer-confirmation", person, fields, licence), Token)
            .WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("TAXPAYER_NAME_MISMATCH", reason.Code);
        Assert.Equal("licence.name", reason.Field);
    }

    [Fact]
    public async Task SubmitAsync_TaxpayerUnknownToTheFeed_RejectsAsNotRegistered()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.NoLicence;
        var upstream = new Dictionary<string, string>
        {
            ["uscc"] = person.LicenceUscc,
            ["entity_name"] = person.LicenceName,
            ["operator_name"] = person.Name,
            ["operator_id_number"] = person.IdNumber,
            ["registration_date"] = "2024-01-02",
        };

        var outcome = await Adapter(provider, Department.Tax)
            .SubmitAsync(Submission("tax.taxpayer-confirmation", person, LicenceFields(person), upstream), Token)
            .WaitAsync(Timeout, Token);

        Assert.Equal("TAXPAYER_NOT_REGISTERED", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    // ---- human resources: certificate and subsidy (gRPC, rich errors) ----

    [Fact]
    public async Task SubmitAsync_EmploymentCertificate_CompletesAndASecondApplicationFindsTheHeldCertificate()
    {
        using var provider = CreateAdapters();
        var person = Population.People[3];
        var licence = await VerifyLicenceAsync(provider, person);
        var adapter = Adapter(provider, Department.HumanResources);

        var first = await adapter
            .SubmitAsync(Submission("hr.employment-certificate", person, LicenceFields(person), licence), Token)
            .WaitAsync(Timeout, Token);
        var second = await adapter
            .SubmitAsync(Submission("hr.employment-certificate", person, LicenceFields(person), licence), Token)
            .WaitAsync(Timeout, Token);

        var issued = Assert.IsType<ItemOutcome.Completed>(first);
        Assert.False(string.IsNullOrEmpty(issued.Result["certificate_number"]));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", issued.Result["issue_date"]);
        Assert.False(string.IsNullOrEmpty(issued.Result["verification_code"]));
        var held = Assert.IsType<ItemOutcome.Completed>(second);
        Assert.Equal(issued.Result["certificate_number"], held.Result["certificate_number"]);
        Assert.Equal("已持有有效就业创业证", held.Opinion);
    }

    [Fact]
    public async Task GetStatusAsync_EmploymentCertificate_ReplaysTheFirstAnswer()
    {
        using var provider = CreateAdapters();
        var person = Population.People[4];
        var submission = Submission("hr.employment-certificate", person);
        var adapter = Adapter(provider, Department.HumanResources);

        var submitted = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var status = await adapter
            .GetStatusAsync(new ItemStatusQuery(submission.IdempotencyKey, submission.ItemCode, submitted.CaseNumber!, NewKey()), Token)
            .WaitAsync(Timeout, Token);

        var issued = Assert.IsType<ItemOutcome.Completed>(submitted);
        var replayed = Assert.IsType<ItemOutcome.Completed>(status);
        Assert.Equal(issued.CaseNumber, replayed.CaseNumber);
        Assert.Equal(issued.Result, replayed.Result);
        Assert.Equal(2, cluster.HumanResources.CountFor(submission.IdempotencyKey)); // the application and its replay
    }

    [Fact]
    public async Task SubmitAsync_StartupSubsidyOfEligiblePerson_IsAcceptedThenApproved()
    {
        using var provider = CreateAdapters();
        var person = Population.People[5];
        var licence = await VerifyLicenceAsync(provider, person);
        var submission = Submission("hr.startup-subsidy", person, SubsidyFields(person), licence);
        var adapter = Adapter(provider, Department.HumanResources);

        var accepted = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var final = await PollUntilDecidedAsync(adapter, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var approved = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal(accepted.CaseNumber, approved.CaseNumber);
        Assert.Equal("5000.00", approved.Result["amount"]);
        Assert.Equal(accepted.CaseNumber, approved.Result["claim_no"]);
    }

    [Fact]
    public async Task SubmitAsync_StartupSubsidyClaimedTwice_RejectsTheSecondAsNotFirstBusiness()
    {
        using var provider = CreateAdapters();
        var person = Population.People[6];
        var licence = await VerifyLicenceAsync(provider, person);
        var adapter = Adapter(provider, Department.HumanResources);

        var first = await adapter.SubmitAsync(Submission("hr.startup-subsidy", person, SubsidyFields(person), licence), Token).WaitAsync(Timeout, Token);
        var second = await adapter.SubmitAsync(Submission("hr.startup-subsidy", person, SubsidyFields(person), licence), Token).WaitAsync(Timeout, Token);

        Assert.IsType<ItemOutcome.Accepted>(first);
        Assert.Equal("SUBSIDY_NOT_FIRST_BUSINESS", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(second).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_StartupSubsidyBeforeOneYear_DefersToTheEligibleDate()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.RecentLicence;
        var licence = await VerifyLicenceAsync(provider, person);

        var outcome = await Adapter(provider, Department.HumanResources)
            .SubmitAsync(Submission("hr.startup-subsidy", person, SubsidyFields(person), licence), Token)
            .WaitAsync(Timeout, Token);

        var deferred = Assert.IsType<ItemOutcome.Deferred>(outcome);
        Assert.Equal(person.Licence!.RegistrationDate.AddYears(1), deferred.EligibleOn);
        var reason = Assert.Single(deferred.Reasons);
        Assert.Equal("BUSINESS_UNDER_ONE_YEAR", reason.Code);
        Assert.Equal("经营未满1年，正常经营满1年后可补充材料申领一次性开业补贴，届时将提醒您", reason.Message);
    }

    [Fact]
    public async Task SubmitAsync_StartupSubsidyForUnitWithoutEmployees_RejectsUnitType()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.NoEmployeeUnit;
        var licence = await VerifyLicenceAsync(provider, person);

        var outcome = await Adapter(provider, Department.HumanResources)
            .SubmitAsync(Submission("hr.startup-subsidy", person, SubsidyFields(person), licence), Token)
            .WaitAsync(Timeout, Token);

        Assert.Equal("UNIT_TYPE_NOT_ELIGIBLE", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_StartupSubsidyUnderAnotherCategory_RejectsCategoryForTheCategoryField()
    {
        using var provider = CreateAdapters();
        var person = Population.People[7];
        var licence = await VerifyLicenceAsync(provider, person);
        var fields = SubsidyFields(person);
        fields["subsidy.category"] = person.SubsidyCategory == "veteran" ? "recent-graduate" : "veteran";

        var outcome = await Adapter(provider, Department.HumanResources)
            .SubmitAsync(Submission("hr.startup-subsidy", person, fields, licence), Token)
            .WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons);
        Assert.Equal("SUBSIDY_CATEGORY_NOT_ELIGIBLE", reason.Code);
        Assert.Equal("subsidy.category", reason.Field);
    }

    [Fact]
    public async Task SubmitAsync_StartupSubsidyWithUnknownCategory_ReturnsWithoutCallingTheDepartment()
    {
        using var provider = CreateAdapters();
        var person = Population.People[8];
        var licence = await VerifyLicenceAsync(provider, person);
        var fields = SubsidyFields(person);
        fields["subsidy.category"] = "astronaut";
        var submission = Submission("hr.startup-subsidy", person, fields, licence);

        var outcome = await Adapter(provider, Department.HumanResources).SubmitAsync(submission, Token).WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("SUBSIDY_CATEGORY_INVALID", reason.Code);
        Assert.Equal("subsidy.category", reason.Field);
        Assert.Equal(0, cluster.HumanResources.CountFor(submission.IdempotencyKey));
    }

    // ---- social insurance: pension registration (gRPC, integer codes) ----

    [Fact]
    public async Task SubmitAsync_PensionRegistration_IsAcceptedThenInsured()
    {
        using var provider = CreateAdapters();
        var person = Population.People[9];
        var submission = Submission("si.flexible-pension-registration", person, PensionFields(person, "4500.00"));
        var adapter = Adapter(provider, Department.SocialInsurance);

        var accepted = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var final = await PollUntilDecidedAsync(adapter, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var insured = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal(accepted.CaseNumber, insured.CaseNumber);
        Assert.False(string.IsNullOrEmpty(insured.Result["insurance_number"]));
        Assert.Equal("900.00", insured.Result["monthly_contribution"]);
        Assert.Equal("360.00", insured.Result["personal_account_part"]);
        Assert.Matches(@"^\d{4}-\d{2}$", insured.Result["start_month"]);
    }

    [Fact]
    public async Task SubmitAsync_PensionRegistrationOfEmployee_RejectsAsAlreadyInsured()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.InsuredByEmployer;

        var outcome = await Adapter(provider, Department.SocialInsurance)
            .SubmitAsync(Submission("si.flexible-pension-registration", person, PensionFields(person, "4500.00")), Token)
            .WaitAsync(Timeout, Token);

        Assert.Equal("ALREADY_INSURED_BY_EMPLOYER", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_ContributionBaseBelowRange_ReturnsForTheBaseWithTheDepartmentsRange()
    {
        using var provider = CreateAdapters();
        var person = Population.People[10];

        var outcome = await Adapter(provider, Department.SocialInsurance)
            .SubmitAsync(Submission("si.flexible-pension-registration", person, PensionFields(person, "100.00")), Token)
            .WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("CONTRIBUTION_BASE_OUT_OF_RANGE", reason.Code);
        Assert.Equal("pension.contribution_base", reason.Field);
        Assert.Contains("4000.00", reason.Message, StringComparison.Ordinal);
    }

    // ---- social security card: card application (gRPC, payment-gateway style) ----

    [Fact]
    public async Task SubmitAsync_CardApplicationByPost_IsAcceptedThenMade()
    {
        using var provider = CreateAdapters();
        var person = Population.People[11];
        var fields = new Dictionary<string, string>
        {
            ["card.photo_receipt_no"] = person.PhotoReceiptNo,
            ["card.pickup"] = "post",
            ["payment.bank_name"] = person.BankName,
        };
        var submission = Submission("sscard.card-application", person, fields);
        var adapter = Adapter(provider, Department.SocialSecurityCard);

        var accepted = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var final = await PollUntilDecidedAsync(adapter, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var made = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.False(string.IsNullOrEmpty(made.Result["card_number"]));
        Assert.Equal(person.AccountNumber, made.Result["bank_account"]);
    }

    [Fact]
    public async Task SubmitAsync_CardApplicationSameKeyTwice_CreatesOneCase()
    {
        using var provider = CreateAdapters();
        cluster.SocialSecurityCard.Reset();
        var person = Population.People[12];
        var submission = Submission("sscard.card-application", person, CardBranchFields(person));
        var adapter = Adapter(provider, Department.SocialSecurityCard);

        var first = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var second = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);

        Assert.IsType<ItemOutcome.Accepted>(first);
        Assert.Equal(first, second);
        Assert.Equal(1, cluster.SocialSecurityCard.CaseCount);
        Assert.Equal(1, cluster.SocialSecurityCard.ReplayCount);
    }

    [Fact]
    public async Task SubmitAsync_CardApplicationOfCardHolder_RejectsAsAlreadyHeld()
    {
        using var provider = CreateAdapters();
        var person = Population.Scenarios.ExistingCard;

        var outcome = await Adapter(provider, Department.SocialSecurityCard)
            .SubmitAsync(Submission("sscard.card-application", person, CardBranchFields(person)), Token)
            .WaitAsync(Timeout, Token);

        Assert.Equal("CARD_ALREADY_HELD", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_CardApplicationWithWrongPhotoReceipt_ReturnsForThePhotoReceipt()
    {
        using var provider = CreateAdapters();
        var person = Population.People[13];
        var fields = CardBranchFields(person);
        fields["card.photo_receipt_no"] = "000000000000";

        var outcome = await Adapter(provider, Department.SocialSecurityCard)
            .SubmitAsync(Submission("sscard.card-application", person, fields), Token)
            .WaitAsync(Timeout, Token);

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("PHOTO_RECEIPT_INVALID", reason.Code);
        Assert.Equal("card.photo_receipt_no", reason.Field);
    }

    // ---- resilience ----

    [Fact]
    public async Task SubmitAsync_DepartmentDown_ThrowsDepartmentUnavailableAfterRetries()
    {
        using var provider = CreateAdapters();
        var person = Population.People[14];
        var licence = await VerifyLicenceAsync(provider, person);
        cluster.Tax.Reset();
        cluster.Tax.Faults.Outage = true;
        try
        {
            var submission = Submission("tax.taxpayer-confirmation", person, LicenceFields(person), licence);

            var exception = await Assert.ThrowsAsync<DepartmentUnavailableException>(
                () => Adapter(provider, Department.Tax).SubmitAsync(submission, Token).WaitAsync(Timeout, Token));

            Assert.Equal(Department.Tax, exception.Department);
            Assert.Contains("tax", exception.Message, StringComparison.Ordinal);
            Assert.Contains("Unavailable", exception.Message, StringComparison.Ordinal);
            Assert.Equal(4, cluster.Tax.FaultedCount); // the first attempt and 3 retries
            Assert.Equal(0, cluster.Tax.CountFor(submission.IdempotencyKey));
        }
        finally
        {
            cluster.Tax.Reset();
        }
    }

    [Fact]
    public async Task SubmitAsync_RepeatedOutage_OpensTheCircuitAndStopsCallingTheDepartment()
    {
        using var provider = CreateAdapters(settings =>
        {
            settings["Departments:social-insurance:MaxRetryAttempts"] = "0";
            settings["Departments:social-insurance:BreakerMinimumThroughput"] = "2";
        });
        var adapter = Adapter(provider, Department.SocialInsurance);
        var person = Population.People[15];
        cluster.SocialInsurance.Reset();
        cluster.SocialInsurance.Faults.Outage = true;
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await Assert.ThrowsAsync<DepartmentUnavailableException>(
                    () => adapter.SubmitAsync(Submission("si.flexible-pension-registration", person, PensionFields(person, "4500.00")), Token)
                        .WaitAsync(Timeout, Token));
            }

            var exception = await Assert.ThrowsAsync<DepartmentUnavailableException>(
                () => adapter.SubmitAsync(Submission("si.flexible-pension-registration", person, PensionFields(person, "4500.00")), Token)
                    .WaitAsync(Timeout, Token));

            Assert.Contains("circuit breaker is open", exception.Message, StringComparison.Ordinal);
            Assert.Equal(2, cluster.SocialInsurance.FaultedCount);
        }
        finally
        {
            cluster.SocialInsurance.Reset();
        }
    }

    [Fact]
    public async Task SubmitAsync_ThirtyPercentTransientErrors_EveryItemCompletesExactlyOnce()
    {
        // Eight retries make a give-up (0.3^9 per item) vanishingly rare, and a breaker that needs 1000
        // attempts keeps a random burst of errors from opening it: this test is about retries.
        using var provider = CreateAdapters(settings =>
        {
            settings["Departments:tax:MaxRetryAttempts"] = "8";
            settings["Departments:tax:BreakerMinimumThroughput"] = "1000";
        });
        var adapter = Adapter(provider, Department.Tax);
        var person = Population.People[16];
        var licence = await VerifyLicenceAsync(provider, person);
        var submissions = Enumerable.Range(0, 20)
            .Select(_ => Submission("tax.taxpayer-confirmation", person, LicenceFields(person), licence))
            .ToList();
        cluster.Tax.Reset();
        cluster.Tax.Faults.ErrorRate = 0.3;
        try
        {
            var outcomes = await Task.WhenAll(submissions.Select(s => adapter.SubmitAsync(s, Token))).WaitAsync(Timeout, Token);

            Assert.All(outcomes, outcome => Assert.IsType<ItemOutcome.Completed>(outcome));
            Assert.True(cluster.Tax.FaultedCount > 0, "the simulator injected no fault");
            Assert.Equal(20, cluster.Tax.CaseCount);
            Assert.All(submissions, s => Assert.Equal(1, cluster.Tax.CountFor(s.IdempotencyKey)));
        }
        finally
        {
            cluster.Tax.Reset();
        }
    }

    [Fact]
    public async Task SubmitAsync_DepartmentSlowerThanAttemptTimeout_ThrowsDepartmentUnavailableNamingTheTimeout()
    {
        using var provider = CreateAdapters(settings =>
        {
            settings["Departments:social-security-card:AttemptTimeout"] = "00:00:00.200";
            settings["Departments:social-security-card:MaxRetryAttempts"] = "1";
        });
        var person = Population.People[17];
        cluster.SocialSecurityCard.Reset();
        cluster.SocialSecurityCard.Faults.Latency = TimeSpan.FromSeconds(2);
        try
        {
            var exception = await Assert.ThrowsAsync<DepartmentUnavailableException>(
                () => Adapter(provider, Department.SocialSecurityCard)
                    .SubmitAsync(Submission("sscard.card-application", person, CardBranchFields(person)), Token)
                    .WaitAsync(Timeout, Token));

            Assert.Contains("no answer within 0.2 s", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            cluster.SocialSecurityCard.Reset();
        }
    }

    [Fact]
    public async Task SubmitAsync_CallerCancels_ThrowsOperationCanceledNotUnavailable()
    {
        using var provider = CreateAdapters();
        var person = Population.People[18];
        cluster.SocialInsurance.Reset();
        cluster.SocialInsurance.Faults.Latency = TimeSpan.FromSeconds(3);
        try
        {
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

            var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => Adapter(provider, Department.SocialInsurance)
                    .SubmitAsync(Submission("si.flexible-pension-registration", person, PensionFields(person, "4500.00")), cancellation.Token)
                    .WaitAsync(Timeout, Token));

            Assert.Equal(cancellation.Token, exception.CancellationToken);
        }
        finally
        {
            cluster.SocialInsurance.Reset();
        }
    }

    // ---- helpers ----

    private ServiceProvider CreateAdapters(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var department in cluster.All)
        {
            var section = $"Departments:{department.Name}";
            settings[$"{section}:Endpoint"] = department.Endpoint.ToString();
            // Short waits keep the suite fast; the strategies and their order are those of production.
            settings[$"{section}:RetryBaseDelay"] = "00:00:00.010";
            settings[$"{section}:AttemptTimeout"] = "00:00:05";
            settings[$"{section}:TotalTimeout"] = "00:00:20";
        }

        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddDepartmentAdapters(configuration.GetSection("Departments"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static IDepartmentAdapter Adapter(IServiceProvider provider, Department department) =>
        provider.GetServices<IDepartmentAdapter>().Single(a => a.Department == department);

    private static async Task<IReadOnlyDictionary<string, string>> VerifyLicenceAsync(IServiceProvider provider, SimulatedPerson person)
    {
        var outcome = await Adapter(provider, Department.MarketRegulation)
            .SubmitAsync(Submission("market.licence-verification", person, LicenceFields(person)), Token)
            .WaitAsync(Timeout, Token);
        return Assert.IsType<ItemOutcome.Completed>(outcome).Result;
    }

    private static async Task<ItemOutcome> PollUntilDecidedAsync(IDepartmentAdapter adapter, ItemSubmission submission, ItemOutcome accepted)
    {
        var query = new ItemStatusQuery(submission.IdempotencyKey, submission.ItemCode, accepted.CaseNumber!, NewKey());
        for (var i = 0; i < 100; i++)
        {
            var outcome = await adapter.GetStatusAsync(query, Token).WaitAsync(Timeout, Token);
            if (outcome is not ItemOutcome.Accepted)
            {
                return outcome;
            }

            Assert.Equal(accepted.CaseNumber, outcome.CaseNumber);
            await Task.Delay(TimeSpan.FromMilliseconds(100), Token).WaitAsync(Timeout, Token);
        }

        throw new Xunit.Sdk.XunitException($"{submission.ItemCode} {accepted.CaseNumber} was still accepted after 10 s.");
    }

    private static ItemSubmission Submission(
        string itemCode,
        SimulatedPerson person,
        IReadOnlyDictionary<string, string>? fields = null,
        IReadOnlyDictionary<string, string>? licence = null) =>
        OneThing.Adapters.Conformance.CaseContext.SubmissionFor(ThemeCode, itemCode, person, fields, licence);

    private static Dictionary<string, string> LicenceFields(SimulatedPerson person) => new()
    {
        ["licence.name"] = person.LicenceName,
        ["licence.uscc"] = person.LicenceUscc,
    };

    private static Dictionary<string, string> SubsidyFields(SimulatedPerson person)
    {
        var fields = LicenceFields(person);
        fields["subsidy.category"] = person.SubsidyCategory ?? string.Empty;
        fields["payment.bank_name"] = person.BankName;
        fields["payment.account_number"] = person.AccountNumber;
        return fields;
    }

    private static Dictionary<string, string> PensionFields(SimulatedPerson person, string contributionBase)
    {
        var fields = LicenceFields(person);
        fields["pension.contribution_base"] = contributionBase;
        return fields;
    }

    private static Dictionary<string, string> CardBranchFields(SimulatedPerson person) => new()
    {
        ["card.photo_receipt_no"] = person.PhotoReceiptNo,
        ["card.pickup"] = "branch",
        ["card.branch_code"] = "410302001",
        ["payment.bank_name"] = person.BankName,
    };

    private static string NewKey() => Guid.NewGuid().ToString("N");
}

/// <summary>One simulator cluster for the adapter tests, with a short completion delay for asynchronous cases.</summary>
public sealed class AdapterClusterFixture : IAsyncLifetime
{
    private SimulatorCluster? cluster;

    /// <summary>The running cluster.</summary>
    public SimulatorCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster has not started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        cluster = await SimulatorCluster
            .StartAsync(new SimulatorOptions { CompletionDelay = TimeSpan.FromMilliseconds(300), PopulationSize = 100 }, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
    }
}
