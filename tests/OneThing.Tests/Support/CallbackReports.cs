using OneThing.Hub.V1;

namespace OneThing.Tests.Support;

/// <summary>Callback reports of the social insurance agency, as tests of the callback service send them.</summary>
public static class CallbackReports
{
    /// <summary>The reporting department.</summary>
    public const string SocialInsurance = "social-insurance";

    /// <summary>A report of the social insurance agency about one case.</summary>
    public static ReportItemResultRequest Report(string key, string caseNumber, long sequence, DepartmentOutcome outcome) => new()
    {
        Department = SocialInsurance,
        IdempotencyKey = key,
        CaseNumber = caseNumber,
        Sequence = sequence,
        Outcome = outcome,
        SendTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TimeProvider.System.GetUtcNow()),
    };

    /// <summary>A completed pension registration with its result keys.</summary>
    public static DepartmentOutcome Completed()
    {
        var outcome = new DepartmentOutcome { Kind = DepartmentOutcome.Types.Kind.Completed };
        outcome.Result.Add(new Dictionary<string, string>
        {
            ["insurance_number"] = "SI-CB-0001",
            ["monthly_contribution"] = "900.00",
            ["personal_account_part"] = "360.00",
            ["start_month"] = "2026-12",
        });
        return outcome;
    }
}
