using System.Globalization;
using System.Runtime.CompilerServices;
using OneThing.Simulators;

namespace OneThing.Adapters.Conformance;

/// <summary>What the contract requires an adapter to answer for one case.</summary>
public abstract record Expectation
{
    private Expectation()
    {
    }

    /// <summary>Describes the expectation in one line, for a report.</summary>
    public abstract string Describe();

    /// <summary>Done at once (办结) with a case number and these result values.</summary>
    /// <param name="Result">Each result key the outcome must carry: with the exact value, or null for "any non-empty value".</param>
    public sealed record Completed(IReadOnlyDictionary<string, string?> Result) : Expectation
    {
        /// <inheritdoc />
        public override string Describe() => $"Completed with a case number and result {Describe(Result)}";
    }

    /// <summary>Accepted (办理中) with a case number; then, asked by status, completed under the same case number with these values.</summary>
    /// <param name="Result">Each result key the final outcome must carry: with the exact value, or null for "any non-empty value".</param>
    public sealed record AcceptedThenCompleted(IReadOnlyDictionary<string, string?> Result) : Expectation
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"Accepted with a case number, then (GetStatusAsync) Completed under the same case number with result {Describe(Result)}";
    }

    /// <summary>Returned for correction (退回) with this reason, naming the form field to fix when <paramref name="Field"/> is set.</summary>
    public sealed record Returned(string Code, string? Field) : Expectation
    {
        /// <inheritdoc />
        public override string Describe() => $"Returned with reason {Code}{(Field is null ? string.Empty : $" on field {Field}")} and a Chinese message";
    }

    /// <summary>Refused (不予办理) with this reason, naming the form field when <paramref name="Field"/> is set.</summary>
    public sealed record Rejected(string Code, string? Field) : Expectation
    {
        /// <inheritdoc />
        public override string Describe() => $"Rejected with reason {Code}{(Field is null ? string.Empty : $" on field {Field}")} and a Chinese message";
    }

    /// <summary>Not yet eligible: deferred to <paramref name="EligibleOn"/> with this reason.</summary>
    public sealed record Deferred(string Code, DateOnly EligibleOn) : Expectation
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"Deferred to {EligibleOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} with reason {Code} and a Chinese message";
    }

    private static string Describe(IReadOnlyDictionary<string, string?> result) =>
        "{" + string.Join(", ", result.Select(p => $"{p.Key}={p.Value ?? "<non-empty>"}")) + "}";
}

/// <summary>One case's input: the submission, whom it is for, and what the contract requires back.</summary>
/// <param name="Submission">What the suite hands the adapter.</param>
/// <param name="Person">The simulated person the submission is for.</param>
/// <param name="Expected">What the adapter must answer.</param>
public sealed record CaseInput(ItemSubmission Submission, SimulatedPerson Person, Expectation Expected);

/// <summary>A case that checks how one kind of department answer is mapped to an outcome.</summary>
/// <param name="Name">A stable name, e.g. <c>outcome.rejected.card-already-held</c>.</param>
/// <param name="Description">What the department answers here, in one sentence.</param>
/// <param name="Build">Builds the input (fresh people come from the context, so a case runs again on the same simulators).</param>
public sealed record OutcomeCase(string Name, string Description, Func<CaseContext, CaseInput> Build);

/// <summary>The cases of one department, as data: its outcome cases and the submission its fault and idempotency checks repeat.</summary>
/// <param name="Department">The department.</param>
/// <param name="Outcomes">One case per kind of answer the department's simulator gives.</param>
/// <param name="Fresh">A submission for a fresh person that the department accepts or completes, opening one case:
/// sent twice for idempotency, and under injected errors, outage and latency.</param>
public sealed record DepartmentCases(Department Department, IReadOnlyList<OutcomeCase> Outcomes, Func<CaseContext, CaseInput> Fresh);

/// <summary>
/// What a case builder may use: the simulators' population, fresh people, and helpers for submissions
/// shaped the way the hub sends them.
/// </summary>
public sealed class CaseContext
{
    // People hand out in order per simulator cluster, so runs against the same simulators never reuse a
    // person whose card, subsidy or registration an earlier run already created.
    private static readonly ConditionalWeakTable<SimulatorCluster, StrongBox<int>> NextPerson = [];

    private readonly SimulatorCluster simulators;

    internal CaseContext(SimulatorCluster simulators, string themeCode)
    {
        this.simulators = simulators;
        ThemeCode = themeCode;
    }

    /// <summary>Everyone the simulated departments know.</summary>
    public SyntheticPopulation Population => simulators.Population;

    /// <summary>The prepared people of the named scenarios (no licence, existing card, insured by employer...).</summary>
    public ScenarioPeople Scenarios => simulators.Population.Scenarios;

    /// <summary>The theme code submissions carry.</summary>
    public string ThemeCode { get; }

    /// <summary>A bulk person (eligible for every Luoyang item) no earlier case on these simulators has used.</summary>
    /// <exception cref="InvalidOperationException">Every bulk person has been used.</exception>
    public SimulatedPerson FreshPerson()
    {
        var counter = NextPerson.GetValue(simulators, _ => new StrongBox<int>(0));
        var index = Interlocked.Increment(ref counter.Value) - 1;
        return index < Population.People.Count
            ? Population.People[index]
            : throw new InvalidOperationException(
                $"All {Population.People.Count} bulk people of the simulators were used by earlier cases; start the simulators with a larger PopulationSize.");
    }

    /// <summary>A new idempotency key (32 lowercase hex characters), as the hub makes them.</summary>
    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>A submission of <paramref name="itemCode"/> for <paramref name="person"/> with a new idempotency key.</summary>
    /// <param name="itemCode">The catalog item code.</param>
    /// <param name="person">The applicant.</param>
    /// <param name="fields">The form values.</param>
    /// <param name="licence">The verified licence result passed as the upstream of <c>market.licence-verification</c>, if any.</param>
    public ItemSubmission Submission(
        string itemCode,
        SimulatedPerson person,
        IReadOnlyDictionary<string, string>? fields = null,
        IReadOnlyDictionary<string, string>? licence = null) =>
        SubmissionFor(ThemeCode, itemCode, person, fields, licence);

    /// <summary>
    /// A fresh submission (new idempotency key) of <paramref name="itemCode"/> under <paramref name="themeCode"/>
    /// for a simulated person: what the hub would send an adapter. Adapter tests build theirs with it too.
    /// </summary>
    public static ItemSubmission SubmissionFor(
        string themeCode,
        string itemCode,
        SimulatedPerson person,
        IReadOnlyDictionary<string, string>? fields = null,
        IReadOnlyDictionary<string, string>? licence = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(
            NewKey(),
            NewKey(),
            itemCode,
            themeCode,
            NewKey(),
            new Applicant(
                person.Name,
                person.Sex,
                person.Ethnicity,
                "resident-id",
                person.IdNumber,
                person.Mobile,
                person.ResidenceDivisionCode,
                person.ResidenceAddress),
            fields ?? new Dictionary<string, string>(),
            licence is null
                ? new Dictionary<string, IReadOnlyDictionary<string, string>>()
                : new Dictionary<string, IReadOnlyDictionary<string, string>> { ["market.licence-verification"] = licence });
    }

    /// <summary>The licence fields as the applicant types them (licence.name, licence.uscc).</summary>
    public static Dictionary<string, string> LicenceFields(SimulatedPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(StringComparer.Ordinal)
        {
            ["licence.name"] = person.LicenceName,
            ["licence.uscc"] = person.LicenceUscc,
        };
    }

    /// <summary>
    /// The result of <c>market.licence-verification</c> for the person, as the hub passes it upstream:
    /// the registered licence, or for a person without one, what they typed and their own identity.
    /// </summary>
    public static Dictionary<string, string> VerifiedLicence(SimulatedPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var licence = person.Licence;
        return new(StringComparer.Ordinal)
        {
            ["uscc"] = licence?.Uscc ?? person.LicenceUscc,
            ["entity_name"] = licence?.EntityName ?? person.LicenceName,
            ["entity_type"] = licence?.EntityType ?? person.UnitType,
            ["operator_name"] = licence?.OperatorName ?? person.Name,
            ["operator_id_number"] = licence?.OperatorIdNumber ?? person.IdNumber,
            ["registration_date"] = (licence?.RegistrationDate ?? new DateOnly(2024, 1, 2)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["address"] = licence?.Address ?? person.ResidenceAddress,
            ["status"] = licence?.Status ?? "存续",
        };
    }
}
