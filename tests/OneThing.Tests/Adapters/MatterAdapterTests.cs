using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Adapters;
using OneThing.Simulators;
using Xunit;

namespace OneThing.Tests.Adapters;

/// <summary>
/// The items of issue 4 against the simulated departments, over real gRPC on loopback: the HR items
/// declared through the platform's matter interface (事项申报) and the unemployment benefit and price
/// subsidy of social insurance — every happy path, refusal and correction of the spec, idempotency,
/// and the stages of Jiangsu's multi-stage review.
/// </summary>
/// <remarks>
/// The HR platform remembers who received a startup grant, so tests that must not see that state use
/// people no other test gives a grant to (ShaoguanNoCard for the grant, bulk people for the second grant).
/// </remarks>
public sealed class MatterAdapterTests(AdapterClusterFixture fixture) : IClassFixture<AdapterClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SimulatorCluster cluster = fixture.Cluster;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ScenarioPeople Scenarios => cluster.Population.Scenarios;

    // ---- registration ----

    [Fact]
    public void AddDepartmentAdapters_NewItems_AreEachClaimedByExactlyOneAdapterOfTheirDepartment()
    {
        using var provider = CreateAdapters();
        var adapters = provider.GetServices<IDepartmentAdapter>().ToList();
        string[] humanResources =
        [
            "hr.employment-registration", "hr.startup-grant", "hr.rent-subsidy", "hr.startup-training", "hr.guaranteed-loan",
            "hr.one-time-startup-subsidy", "hr.opening-guidance", "hr.unemployment-registration", "hr.career-guidance",
            "hr.policy-consultation", "hr.job-referral", "hr.employment-difficulty-recognition", "hr.job-seeking-subsidy",
        ];

        Assert.All(humanResources, code => Assert.Equal(Department.HumanResources, Assert.Single(adapters, a => a.ItemCodes.Contains(code)).Department));
        Assert.All(
            new[] { "si.unemployment-benefit", "si.price-subsidy" },
            code => Assert.Equal(Department.SocialInsurance, Assert.Single(adapters, a => a.ItemCodes.Contains(code)).Department));
        var all = adapters.SelectMany(a => a.ItemCodes).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    // ---- hr.employment-registration (GD-JYDJ, at once) ----

    [Fact]
    public async Task SubmitAsync_EmploymentRegistration_CompletesAtOnceWithRegistrationNumber()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanReady;
        var fields = new Dictionary<string, string>
        {
            ["employment.division_code"] = person.ResidenceDivisionCode,
            ["employment.address"] = person.Licence!.Address,
            ["unit.name"] = person.LicenceName,
            ["unit.uscc"] = person.LicenceUscc,
        };

        var outcome = await SubmitAsync(provider, Submission("hr.employment-registration", person, fields));

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.StartsWith("RSSX", completed.CaseNumber, StringComparison.Ordinal);
        Assert.StartsWith("JYDJ", completed.Result["registration_no"], StringComparison.Ordinal);
        Assert.Equal(new[] { "registration_no" }, completed.Result.Keys);
        Assert.False(string.IsNullOrEmpty(completed.Opinion));
    }

    [Fact]
    public async Task SubmitAsync_EmploymentRegistrationWithoutPlace_TakesTheVerifiedLicencesAddressAndDivision()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanNoCard;
        var licence = new Dictionary<string, string>
        {
            ["uscc"] = person.LicenceUscc,
            ["entity_name"] = person.LicenceName,
            ["address"] = person.Licence!.Address,
        };

        var outcome = await SubmitAsync(provider, Submission("hr.employment-registration", person, licence: licence));

        Assert.IsType<ItemOutcome.Completed>(outcome);
    }

    [Fact]
    public async Task SubmitAsync_EmploymentRegistrationWithoutPlaceOrLicence_ReturnsEveryMissingFieldWithoutCalling()
    {
        using var provider = CreateAdapters();
        var submission = Submission("hr.employment-registration", Scenarios.ShaoguanNoCard);

        var outcome = await SubmitAsync(provider, submission);

        var returned = Assert.IsType<ItemOutcome.Returned>(outcome);
        Assert.Equal(new[] { "employment.division_code", "employment.address" }, returned.Reasons.Select(r => r.Field));
        Assert.All(returned.Reasons, r => Assert.Equal("FIELD_REQUIRED", r.Code));
        Assert.Equal(0, cluster.HumanResources.CountFor(submission.IdempotencyKey));
    }

    [Fact]
    public async Task SubmitAsync_EmploymentRegistrationOfUnknownPerson_ThrowsProtocolException()
    {
        using var provider = CreateAdapters();
        var stranger = Scenarios.ShaoguanReady with { IdNumber = UnknownIdNumber("440203") };
        var fields = new Dictionary<string, string>
        {
            ["employment.division_code"] = "440203001",
            ["employment.address"] = "广东省韶关市武江区新华街道五祖路1号",
        };

        var exception = await Assert.ThrowsAsync<DepartmentProtocolException>(
            () => SubmitAsync(provider, Submission("hr.employment-registration", stranger, fields)));

        Assert.Equal(Department.HumanResources, exception.Department);
        Assert.Contains("id_no", exception.Message, StringComparison.Ordinal);
    }

    // ---- hr.employment-certificate without a licence (Shaoguan, Jieyang) ----

    [Fact]
    public async Task SubmitAsync_EmploymentCertificateWithoutLicence_CompletesWithACertificateOfTheResidenceCity()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.JieyangUnemployed;

        var outcome = await SubmitAsync(provider, Submission("hr.employment-certificate", person));

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.StartsWith("4452", completed.Result["certificate_number"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(completed.Result["verification_code"]));
    }

    [Fact]
    public async Task SubmitAsync_EmploymentCertificateOfHolderOnRecord_CompletesWithTheHeldCertificate()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("hr.employment-certificate", Scenarios.BaotouReady));

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.StartsWith("1502", completed.Result["certificate_number"], StringComparison.Ordinal);
        Assert.Equal("已持有有效就业创业证", completed.Opinion);
    }

    // ---- hr.startup-grant (GD-YCXCYZZ, reviewed) ----

    [Fact]
    public async Task SubmitAsync_StartupGrant_IsReviewedThenGrantsTenThousandYuan()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanNoCard;
        var submission = Submission("hr.startup-grant", person, GrantFields(person));

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.Equal("审核中", Assert.IsType<ItemOutcome.Accepted>(accepted).Stage);
        var completed = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal("10000.00", completed.Result["amount"]);
        Assert.Equal(accepted.CaseNumber, completed.Result["receipt_no"]);
    }

    [Fact]
    public async Task SubmitAsync_StartupGrantForUnitWithoutEmployees_RejectsAsUnitTypeNotEligible()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanNoEmployeeUnit;

        var outcome = await SubmitAsync(provider, Submission("hr.startup-grant", person, GrantFields(person)));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons);
        Assert.Equal("UNIT_TYPE_NOT_ELIGIBLE", reason.Code);
        Assert.Contains("无雇工", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_StartupGrantForUnregisteredUscc_RejectsAsLegalEntityNotFound()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanNoCard;
        var fields = GrantFields(person);
        fields["unit.uscc"] = Scenarios.NoLicence.LicenceUscc;

        var outcome = await SubmitAsync(provider, Submission("hr.startup-grant", person, fields));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons);
        Assert.Equal("LEGAL_ENTITY_NOT_FOUND", reason.Code);
        Assert.Equal("unit.uscc", reason.Field);
    }

    [Fact]
    public async Task SubmitAsync_StartupGrantOfCardHolderToAnotherAccount_ReturnsForTheAccountNumber()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanReady;
        var fields = GrantFields(person);
        fields["payment.account_number"] = Scenarios.ShaoguanNoCard.AccountNumber;

        var outcome = await SubmitAsync(provider, Submission("hr.startup-grant", person, fields));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("PAYMENT_ACCOUNT_NOT_CARD", reason.Code);
        Assert.Equal("payment.account_number", reason.Field);
        Assert.Contains("社会保障卡", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_StartupGrantClaimedTwice_RejectsTheSecondAsNotFirstBusiness()
    {
        using var provider = CreateAdapters();
        var person = cluster.Population.People[40];

        var first = await SubmitAsync(provider, Submission("hr.startup-grant", person, GrantFields(person)));
        var second = await SubmitAsync(provider, Submission("hr.startup-grant", person, GrantFields(person)));

        Assert.IsType<ItemOutcome.Accepted>(first);
        Assert.Equal("SUBSIDY_NOT_FIRST_BUSINESS", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(second).Reasons).Code);
    }

    // ---- hr.rent-subsidy (GD-CYZJBT, reviewed) ----

    [Fact]
    public async Task SubmitAsync_RentSubsidyForFirstYear_IsReviewedThenGrantsTheAmount()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanReady;
        var submission = Submission("hr.rent-subsidy", person, RentFields(person));

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var completed = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal("4000.00", completed.Result["amount"]);
        Assert.Equal(accepted.CaseNumber, completed.Result["receipt_no"]);
    }

    [Fact]
    public async Task SubmitAsync_RentSubsidyForUnitWithoutEmployees_RejectsAsUnitTypeNotEligible()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanNoEmployeeUnit;

        var outcome = await SubmitAsync(provider, Submission("hr.rent-subsidy", person, RentFields(person)));

        Assert.Equal("UNIT_TYPE_NOT_ELIGIBLE", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Theory]
    [InlineData("start-later", "RENT_PERIOD_START", "rent.period_start")]
    [InlineData("end-beyond-three-years", "RENT_PERIOD_BEYOND_THREE_YEARS", "rent.period_end")]
    [InlineData("amount-over-cap", "RENT_AMOUNT_OVER_CAP", "rent.amount")]
    [InlineData("other-account", "PAYMENT_ACCOUNT_NOT_CARD", "payment.account_number")]
    public async Task SubmitAsync_RentSubsidyBreakingARule_ReturnsForTheFieldToCorrect(string change, string code, string field)
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanReady;
        var registered = person.Licence!.RegistrationDate;
        var fields = RentFields(person);
        switch (change)
        {
            case "start-later":
                fields["rent.period_start"] = Iso(registered.AddMonths(1));
                break;
            case "end-beyond-three-years":
                fields["rent.period_end"] = Iso(registered.AddYears(3).AddDays(1));
                break;
            case "amount-over-cap":
                fields["rent.amount"] = "4000.01";
                break;
            default:
                fields["payment.account_number"] = Scenarios.ShaoguanNoCard.AccountNumber;
                break;
        }

        var outcome = await SubmitAsync(provider, Submission("hr.rent-subsidy", person, fields));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal(code, reason.Code);
        Assert.Equal(field, reason.Field);
        Assert.False(string.IsNullOrWhiteSpace(reason.Message));
    }

    [Fact]
    public async Task SubmitAsync_RentSubsidyForTwoStartedYears_AllowsTwiceTheYearlyCap()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanReady;
        var fields = RentFields(person);
        fields["rent.period_end"] = Iso(person.Licence!.RegistrationDate.AddYears(1));
        fields["rent.amount"] = "8000.00";

        var outcome = await SubmitAsync(provider, Submission("hr.rent-subsidy", person, fields));

        Assert.IsType<ItemOutcome.Accepted>(outcome);
    }

    [Fact]
    public async Task SubmitAsync_RentSubsidyWithMalformedDate_ReturnsTheFieldAsInvalid()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.ShaoguanReady;
        var fields = RentFields(person);
        fields["rent.period_start"] = "2025/01/01";

        var outcome = await SubmitAsync(provider, Submission("hr.rent-subsidy", person, fields));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("FIELD_INVALID", reason.Code);
        Assert.Equal("rent.period_start", reason.Field);
    }

    // ---- hr.startup-training (NM-CYPX, at once) ----

    [Fact]
    public async Task SubmitAsync_StartupTraining_CompletesAtOnceWithClassNumber()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(
            provider, Submission("hr.startup-training", Scenarios.BaotouReady, new Dictionary<string, string> { ["training.intent"] = "SYB创业培训" }));

        Assert.StartsWith("CYPX", Assert.IsType<ItemOutcome.Completed>(outcome).Result["class_no"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_StartupTrainingPastLabourAge_RejectsAsOutsideLabourAge()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(
            provider, Submission("hr.startup-training", Scenarios.BaotouOverAge, new Dictionary<string, string> { ["training.intent"] = "SYB创业培训" }));

        Assert.Equal("OUTSIDE_LABOUR_AGE", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    // ---- hr.guaranteed-loan (NM-CYDBDK, reviewed) ----

    [Fact]
    public async Task SubmitAsync_GuaranteedLoanWithinLimit_IsReviewedThenApprovesTheAmount()
    {
        using var provider = CreateAdapters();
        var submission = Submission("hr.guaranteed-loan", Scenarios.BaotouReady, LoanFields("personal", "200000"));

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var completed = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal("200000.00", completed.Result["approved_amount"]);
        Assert.Equal(accepted.CaseNumber, completed.Result["receipt_no"]);
    }

    [Fact]
    public async Task SubmitAsync_GuaranteedLoanWithoutEmploymentCertificate_RejectsAsNoEmploymentCertificate()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("hr.guaranteed-loan", Scenarios.BaotouNoCertificate, LoanFields("personal", "100000")));

        Assert.Equal("NO_EMPLOYMENT_CERTIFICATE", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Theory]
    [InlineData("personal", "300000.01")]
    [InlineData("small-micro", "4000000.01")]
    public async Task SubmitAsync_GuaranteedLoanOverLimit_ReturnsForTheLoanAmount(string loanType, string amount)
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("hr.guaranteed-loan", Scenarios.BaotouReady, LoanFields(loanType, amount)));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("LOAN_AMOUNT_OVER_LIMIT", reason.Code);
        Assert.Equal("loan.amount", reason.Field);
    }

    // ---- hr.one-time-startup-subsidy (NM-YCXCYBT, reviewed) ----

    [Fact]
    public async Task SubmitAsync_OneTimeStartupSubsidyInRecordedCategory_IsReviewedThenGrantsFiveThousandYuan()
    {
        using var provider = CreateAdapters();
        var submission = Submission(
            "hr.one-time-startup-subsidy", Scenarios.BaotouReady, new Dictionary<string, string> { ["subsidy.category"] = "employment-difficulty" });

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        var completed = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal("5000.00", completed.Result["amount"]);
        Assert.Equal(accepted.CaseNumber, completed.Result["receipt_no"]);
    }

    [Fact]
    public async Task SubmitAsync_OneTimeStartupSubsidyInAnotherCategory_RejectsForTheCategory()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(
            provider,
            Submission("hr.one-time-startup-subsidy", Scenarios.BaotouReady, new Dictionary<string, string> { ["subsidy.category"] = "poverty-alleviated" }));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons);
        Assert.Equal("SUBSIDY_CATEGORY_NOT_ELIGIBLE", reason.Code);
        Assert.Equal("subsidy.category", reason.Field);
    }

    // ---- guidance and consultation (NM-CYKYZD, GD-ZYZD, GD-ZCZX, GD-ZYJS, at once) ----

    [Theory]
    [InlineData("hr.opening-guidance")]
    [InlineData("hr.career-guidance")]
    [InlineData("hr.policy-consultation")]
    [InlineData("hr.job-referral")]
    public async Task SubmitAsync_GuidanceItem_CompletesAtOnceWithAppointmentNumber(string itemCode)
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission(itemCode, Scenarios.JieyangUnemployed));

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.StartsWith("YY", completed.Result["appointment_no"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(completed.Opinion));
    }

    // ---- hr.unemployment-registration (GD-SYDJ, reviewed) ----

    [Fact]
    public async Task SubmitAsync_UnemploymentRegistration_IsReviewedThenRegisters()
    {
        using var provider = CreateAdapters();
        var submission = Submission("hr.unemployment-registration", Scenarios.JieyangUnemployed, UnemploymentFields());

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.StartsWith("SYDJ", Assert.IsType<ItemOutcome.Completed>(final).Result["registration_no"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_UnemploymentRegistrationWhileInsuredByEmployer_RejectsAsStillEmployed()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("hr.unemployment-registration", Scenarios.JieyangEmployed, UnemploymentFields()));

        Assert.Equal("STILL_EMPLOYED", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    // ---- hr.employment-difficulty-recognition (GD-JYKNRD, reviewed; decided by the review) ----

    [Theory]
    [InlineData("低保家庭")]
    [InlineData("dibao-family")]
    public async Task SubmitAsync_DifficultyRecognitionOfRecordedCategory_IsReviewedThenRecognised(string category)
    {
        using var provider = CreateAdapters();
        var submission = Submission(
            "hr.employment-difficulty-recognition", Scenarios.JieyangUnemployed, new Dictionary<string, string> { ["difficulty.category"] = category });

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        Assert.StartsWith("KNRD", Assert.IsType<ItemOutcome.Completed>(final).Result["recognition_no"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_DifficultyRecognitionOfPersonWithoutTheCategory_RejectsAfterReviewAsNotRecognised()
    {
        using var provider = CreateAdapters();
        var submission = Submission(
            "hr.employment-difficulty-recognition", Scenarios.JieyangShortContribution, new Dictionary<string, string> { ["difficulty.category"] = "低保家庭" });

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var rejected = Assert.IsType<ItemOutcome.Rejected>(final);
        Assert.Equal(accepted.CaseNumber, rejected.CaseNumber);
        var reason = Assert.Single(rejected.Reasons);
        Assert.Equal("DIFFICULTY_NOT_RECOGNISED", reason.Code);
        Assert.Equal("difficulty.category", reason.Field);
        Assert.Contains("低保家庭", reason.Message, StringComparison.Ordinal);
    }

    // ---- hr.job-seeking-subsidy (JS-QZCYBT, three review stages) ----

    [Fact]
    public async Task GetStatusAsync_JobSeekingSubsidy_ShowsTheThreeReviewStagesInOrderThenGrants()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.JiangsuStudent;
        var submission = Submission("hr.job-seeking-subsidy", person, StudentFields(person));
        var adapter = Adapter(provider, Department.HumanResources);
        // Long enough stages that every one is seen whatever the machine's load; restored for the other tests.
        var delay = cluster.HumanResources.CompletionDelay;
        cluster.HumanResources.CompletionDelay = TimeSpan.FromSeconds(1);
        ItemOutcome accepted;
        try
        {
            accepted = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        }
        finally
        {
            cluster.HumanResources.CompletionDelay = delay;
        }

        var stages = new List<string> { Assert.IsType<ItemOutcome.Accepted>(accepted).Stage! };
        var query = new ItemStatusQuery(submission.IdempotencyKey, submission.ItemCode, accepted.CaseNumber!, NewKey());
        ItemOutcome outcome = accepted;
        for (var i = 0; i < 200 && outcome is ItemOutcome.Accepted; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), Token).WaitAsync(Timeout, Token);
            outcome = await adapter.GetStatusAsync(query, Token).WaitAsync(Timeout, Token);
            if (outcome is ItemOutcome.Accepted { Stage: { } stage } && stage != stages[^1])
            {
                stages.Add(stage);
            }
        }

        Assert.Equal(new[] { "学校审核中", "学校审核通过，人社初审中", "人社初审通过，人社复审中" }, stages);
        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.Equal("1500.00", completed.Result["amount"]);
        Assert.Equal(accepted.CaseNumber, completed.Result["receipt_no"]);
    }

    [Fact]
    public async Task SubmitAsync_JobSeekingSubsidyWithoutJiangsuCard_RejectsAsNoJiangsuCard()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.JiangsuStudentNoCard;

        var outcome = await SubmitAsync(provider, Submission("hr.job-seeking-subsidy", person, StudentFields(person)));

        Assert.Equal("NO_JIANGSU_CARD", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_JobSeekingSubsidyInAnotherCategory_RejectsForTheStudentCategory()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.JiangsuStudent;
        var fields = StudentFields(person);
        fields["student.category"] = "disabled";

        var outcome = await SubmitAsync(provider, Submission("hr.job-seeking-subsidy", person, fields));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons);
        Assert.Equal("STUDENT_CATEGORY_NOT_ELIGIBLE", reason.Code);
        Assert.Equal("student.category", reason.Field);
    }

    [Fact]
    public async Task SubmitAsync_JobSeekingSubsidyToAnotherAccount_ReturnsForTheAccountNumber()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.JiangsuStudent;
        var fields = StudentFields(person);
        fields["payment.account_number"] = Scenarios.JiangsuStudentNoCard.AccountNumber;

        var outcome = await SubmitAsync(provider, Submission("hr.job-seeking-subsidy", person, fields));

        var reason = Assert.Single(Assert.IsType<ItemOutcome.Returned>(outcome).Reasons);
        Assert.Equal("PAYMENT_ACCOUNT_NOT_CARD", reason.Code);
        Assert.Equal("payment.account_number", reason.Field);
    }

    // ---- idempotency of SubmitMatter ----

    [Fact]
    public async Task SubmitAsync_MatterSameKeyTwice_CreatesOneCaseAndReplaysTheFirstAnswer()
    {
        using var provider = CreateAdapters();
        cluster.HumanResources.Reset();
        var submission = Submission("hr.unemployment-registration", Scenarios.JieyangUnemployed, UnemploymentFields());
        var adapter = Adapter(provider, Department.HumanResources);

        var first = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var second = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);

        Assert.IsType<ItemOutcome.Accepted>(first);
        Assert.Equal(first, second);
        Assert.Equal(1, cluster.HumanResources.CaseCount);
        Assert.Equal(1, cluster.HumanResources.ReplayCount);
        Assert.Equal(2, cluster.HumanResources.CountFor(submission.IdempotencyKey));
    }

    [Fact]
    public async Task SubmitAsync_RefusedMatterSameKeyTwice_ReplaysTheRefusalWithoutACase()
    {
        using var provider = CreateAdapters();
        cluster.HumanResources.Reset();
        var person = Scenarios.ShaoguanNoEmployeeUnit;
        var submission = Submission("hr.startup-grant", person, GrantFields(person));
        var adapter = Adapter(provider, Department.HumanResources);

        var first = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);
        var second = await adapter.SubmitAsync(submission, Token).WaitAsync(Timeout, Token);

        var refused = Assert.IsType<ItemOutcome.Rejected>(first);
        Assert.Equal("UNIT_TYPE_NOT_ELIGIBLE", Assert.Single(refused.Reasons).Code);
        Assert.Equal(refused.Reasons, Assert.IsType<ItemOutcome.Rejected>(second).Reasons);
        Assert.Equal(0, cluster.HumanResources.CaseCount);
        Assert.Equal(1, cluster.HumanResources.ReplayCount);
    }

    // ---- si.unemployment-benefit (reviewed) and si.price-subsidy (at once) ----

    [Fact]
    public async Task SubmitAsync_UnemploymentBenefit_IsReviewedThenGrantedWithMonthlyAmountAndMonths()
    {
        using var provider = CreateAdapters();
        var submission = Submission("si.unemployment-benefit", Scenarios.JieyangUnemployed);

        var accepted = await SubmitAsync(provider, submission);
        var final = await PollUntilDecidedAsync(provider, submission, accepted);

        Assert.IsType<ItemOutcome.Accepted>(accepted);
        var completed = Assert.IsType<ItemOutcome.Completed>(final);
        Assert.Equal("1548.00", completed.Result["monthly_amount"]); // 90% of the simulated minimum wage of 1720 yuan
        Assert.Equal("2", completed.Result["months"]); // 24 months of contributions: one month per full year
        Assert.Equal(accepted.CaseNumber, completed.Result["benefit_no"]);
    }

    [Fact]
    public async Task SubmitAsync_UnemploymentBenefitWhileInsuredByEmployer_RejectsAsStillEmployed()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("si.unemployment-benefit", Scenarios.JieyangEmployed));

        Assert.Equal("STILL_EMPLOYED", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_UnemploymentBenefitAfterSixMonths_RejectsAsInsufficientContribution()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("si.unemployment-benefit", Scenarios.JieyangShortContribution));

        Assert.Equal("INSUFFICIENT_CONTRIBUTION", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    [Fact]
    public async Task SubmitAsync_PriceSubsidyWhileBenefitUnderReview_CompletesAtOnceAndStatusReplaysIt()
    {
        using var provider = CreateAdapters();
        var person = Scenarios.JieyangUnemployed;
        Assert.IsType<ItemOutcome.Accepted>(await SubmitAsync(provider, Submission("si.unemployment-benefit", person)));
        var submission = Submission("si.price-subsidy", person);

        var outcome = await SubmitAsync(provider, submission);
        var status = await Adapter(provider, Department.SocialInsurance)
            .GetStatusAsync(new ItemStatusQuery(submission.IdempotencyKey, submission.ItemCode, outcome.CaseNumber!, NewKey()), Token)
            .WaitAsync(Timeout, Token);

        var completed = Assert.IsType<ItemOutcome.Completed>(outcome);
        Assert.Equal("40.00", completed.Result["amount"]);
        Assert.Equal(completed.CaseNumber, completed.Result["subsidy_no"]);
        Assert.Equal(completed.Result, Assert.IsType<ItemOutcome.Completed>(status).Result);
    }

    [Fact]
    public async Task SubmitAsync_PriceSubsidyWithoutBenefitClaim_RejectsAsNotReceivingBenefit()
    {
        using var provider = CreateAdapters();

        var outcome = await SubmitAsync(provider, Submission("si.price-subsidy", Scenarios.JieyangShortContribution));

        Assert.Equal("NOT_RECEIVING_BENEFIT", Assert.Single(Assert.IsType<ItemOutcome.Rejected>(outcome).Reasons).Code);
    }

    // ---- helpers ----

    private ServiceProvider CreateAdapters()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var department in cluster.All)
        {
            var section = $"Departments:{department.Name}";
            settings[$"{section}:Endpoint"] = department.Endpoint.ToString();
            settings[$"{section}:RetryBaseDelay"] = "00:00:00.010";
            settings[$"{section}:AttemptTimeout"] = "00:00:05";
            settings[$"{section}:TotalTimeout"] = "00:00:20";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddDepartmentAdapters(configuration.GetSection("Departments"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static IDepartmentAdapter Adapter(IServiceProvider provider, Department department) =>
        provider.GetServices<IDepartmentAdapter>().Single(a => a.Department == department);

    private static IDepartmentAdapter AdapterFor(IServiceProvider provider, string itemCode) =>
        provider.GetServices<IDepartmentAdapter>().Single(a => a.ItemCodes.Contains(itemCode));

    private static Task<ItemOutcome> SubmitAsync(IServiceProvider provider, ItemSubmission submission) =>
        AdapterFor(provider, submission.ItemCode).SubmitAsync(submission, Token).WaitAsync(Timeout, Token);

    private static async Task<ItemOutcome> PollUntilDecidedAsync(IServiceProvider provider, ItemSubmission submission, ItemOutcome accepted)
    {
        var adapter = AdapterFor(provider, submission.ItemCode);
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
        OneThing.Adapters.Conformance.CaseContext.SubmissionFor(ThemeOf(itemCode), itemCode, person, fields, licence);

    private static string ThemeOf(string itemCode) => itemCode switch
    {
        "hr.employment-registration" or "hr.startup-grant" or "hr.rent-subsidy" => "shaoguan.personal-startup",
        "hr.startup-training" or "hr.guaranteed-loan" or "hr.one-time-startup-subsidy" or "hr.opening-guidance" => "baotou.startup",
        "hr.job-seeking-subsidy" => "jiangsu.job-seeking-subsidy",
        _ => "jieyang.unemployment",
    };

    private static Dictionary<string, string> GrantFields(SimulatedPerson person) => new()
    {
        ["unit.type"] = person.Licence?.EntityType ?? "个体工商户(有雇工的)",
        ["unit.registration_date"] = Iso(person.Licence!.RegistrationDate),
        ["unit.uscc"] = person.LicenceUscc,
        ["unit.name"] = person.LicenceName,
        ["payment.bank_name"] = person.BankName,
        ["payment.account_number"] = person.AccountNumber,
    };

    // The first segment: one year from the registration date, at the yearly cap.
    private static Dictionary<string, string> RentFields(SimulatedPerson person)
    {
        var registered = person.Licence!.RegistrationDate;
        return new Dictionary<string, string>
        {
            ["unit.type"] = person.Licence.EntityType,
            ["unit.registration_date"] = Iso(registered),
            ["rent.period_start"] = Iso(registered),
            ["rent.period_end"] = Iso(registered.AddYears(1).AddDays(-1)),
            ["rent.amount"] = "4000.00",
            ["payment.bank_name"] = person.BankName,
            ["payment.account_number"] = person.AccountNumber,
        };
    }

    private static Dictionary<string, string> LoanFields(string loanType, string amount) => new()
    {
        ["loan.type"] = loanType,
        ["loan.amount"] = amount,
        ["loan.bank"] = "中国工商银行包头分行",
    };

    private static Dictionary<string, string> UnemploymentFields() => new() { ["unemployment.reason"] = "劳动合同期满终止" };

    private Dictionary<string, string> StudentFields(SimulatedPerson person) => new()
    {
        ["student.category"] = person.StudentCategory ?? "dibao-family",
        ["student.school"] = "南京大学",
        ["student.graduation_year"] = cluster.Population.Today.Year.ToString(CultureInfo.InvariantCulture),
        ["student.number"] = "221250001",
        ["student.education"] = "本科",
        ["payment.bank_name"] = person.BankName,
        ["payment.account_number"] = person.AccountNumber,
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string UnknownIdNumber(string districtCode)
    {
        for (var sequence = 1; ; sequence += 2)
        {
            var candidate = ResidentIdNumber.Create(districtCode, new DateOnly(1990, 1, 1), sequence);
            if (cluster.Population.FindByIdNumber(candidate) is null)
            {
                return candidate;
            }
        }
    }

    private static string NewKey() => Guid.NewGuid().ToString("N");
}
