using System.Globalization;
using OneThing.Simulators;

namespace OneThing.Adapters.Conformance;

/// <summary>
/// The conformance cases of the five departments, as data: for each, which prepared person or form
/// makes the bundled simulator give each kind of answer, and what the adapter must map it to.
/// </summary>
/// <remarks>
/// Reason codes and result keys are the hub's (eng/notes/shared-context.md); an adapter written by a
/// department team must produce the same ones so that the hub and the citizen see the same thing
/// whichever adapter carried the item.
/// </remarks>
public static class DepartmentCaseCatalog
{
    private const string Licence = "market.licence-verification";
    private const string Taxpayer = "tax.taxpayer-confirmation";
    private const string Certificate = "hr.employment-certificate";
    private const string Subsidy = "hr.startup-subsidy";
    private const string Pension = "si.flexible-pension-registration";
    private const string Card = "sscard.card-application";

    /// <summary>The cases of <paramref name="department"/>.</summary>
    public static DepartmentCases For(Department department) => department switch
    {
        Department.MarketRegulation => MarketRegulation,
        Department.Tax => Tax,
        Department.HumanResources => HumanResources,
        Department.SocialInsurance => SocialInsurance,
        Department.SocialSecurityCard => SocialSecurityCard,
        _ => throw new ArgumentOutOfRangeException(nameof(department), department, "unknown department"),
    };

    /// <summary>Market regulation (REST/JSON): licence verification completes at once; it has no accepted state.</summary>
    public static DepartmentCases MarketRegulation { get; } = new(
        Department.MarketRegulation,
        [
            new("outcome.completed.licence-verified", "a registered licence is verified at once", context =>
            {
                var person = context.FreshPerson();
                return new(context.Submission(Licence, person, CaseContext.LicenceFields(person)), person, LicenceVerified(person));
            }),
            new("outcome.returned.licence-name-mismatch", "a mistyped licence name is returned for correction on licence.name", context =>
            {
                var person = context.FreshPerson();
                var fields = CaseContext.LicenceFields(person);
                fields["licence.name"] = person.LicenceName + "分店";
                return new(context.Submission(Licence, person, fields), person, new Expectation.Returned("LICENCE_NAME_MISMATCH", "licence.name"));
            }),
            new("outcome.rejected.licence-not-found", "a USCC no registry knows is refused on licence.uscc", context =>
            {
                var person = context.Scenarios.NoLicence;
                return new(
                    context.Submission(Licence, person, CaseContext.LicenceFields(person)),
                    person,
                    new Expectation.Rejected("LICENCE_NOT_FOUND", "licence.uscc"));
            }),
        ],
        context =>
        {
            var person = context.FreshPerson();
            return new(context.Submission(Licence, person, CaseContext.LicenceFields(person)), person, LicenceVerified(person));
        });

    /// <summary>Tax (gRPC, return codes): taxpayer confirmation completes at once.</summary>
    public static DepartmentCases Tax { get; } = new(
        Department.Tax,
        [
            new("outcome.completed.taxpayer-confirmed", "a registered business's taxpayer information is confirmed at once", TaxpayerConfirmed),
            new("outcome.returned.taxpayer-name-mismatch", "a taxpayer name that differs from the registration is returned on licence.name", context =>
            {
                var person = context.FreshPerson();
                var fields = CaseContext.LicenceFields(person);
                fields["licence.name"] = "另一个名称";
                return new(
                    context.Submission(Taxpayer, person, fields, CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Returned("TAXPAYER_NAME_MISMATCH", "licence.name"));
            }),
            new("outcome.rejected.taxpayer-not-registered", "a business the tax feed does not know is refused", context =>
            {
                var person = context.Scenarios.NoLicence;
                return new(
                    context.Submission(Taxpayer, person, CaseContext.LicenceFields(person), CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Rejected("TAXPAYER_NOT_REGISTERED", null));
            }),
        ],
        TaxpayerConfirmed);

    /// <summary>Human resources (gRPC, rich errors): the certificate completes at once; the subsidy is accepted, reviewed, deferred or refused.</summary>
    public static DepartmentCases HumanResources { get; } = new(
        Department.HumanResources,
        [
            new("outcome.completed.employment-certificate", "a 就业创业证 is issued at once", context =>
            {
                var person = context.FreshPerson();
                return new(
                    context.Submission(Certificate, person, CaseContext.LicenceFields(person), CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Completed(Keys("certificate_number", "issue_date", "verification_code")));
            }),
            new("outcome.accepted-then-completed.startup-subsidy", "a startup subsidy claim is accepted, reviewed, then approved (read by status)", SubsidyClaim),
            new("outcome.returned.subsidy-category-invalid", "a subsidy category the department does not know is returned on subsidy.category", context =>
            {
                var person = context.FreshPerson();
                var fields = SubsidyFields(person);
                fields["subsidy.category"] = "astronaut";
                return new(
                    context.Submission(Subsidy, person, fields, CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Returned("SUBSIDY_CATEGORY_INVALID", "subsidy.category"));
            }),
            new("outcome.rejected.subsidy-category-not-eligible", "a claim under a category the person is not in is refused on subsidy.category", context =>
            {
                var person = context.FreshPerson();
                var fields = SubsidyFields(person);
                fields["subsidy.category"] = person.SubsidyCategory == "veteran" ? "recent-graduate" : "veteran";
                return new(
                    context.Submission(Subsidy, person, fields, CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Rejected("SUBSIDY_CATEGORY_NOT_ELIGIBLE", "subsidy.category"));
            }),
            new("outcome.rejected.unit-type-not-eligible", "a claim for a 个体工商户(无雇工) is refused", context =>
            {
                var person = context.Scenarios.NoEmployeeUnit;
                return new(
                    context.Submission(Subsidy, person, SubsidyFields(person), CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Rejected("UNIT_TYPE_NOT_ELIGIBLE", null));
            }),
            new("outcome.deferred.business-under-one-year", "a claim before one year of operation is deferred to the anniversary", context =>
            {
                var person = context.Scenarios.RecentLicence;
                var registered = person.Licence?.RegistrationDate
                    ?? throw new InvalidOperationException("The recent-licence scenario person has no licence.");
                return new(
                    context.Submission(Subsidy, person, SubsidyFields(person), CaseContext.VerifiedLicence(person)),
                    person,
                    new Expectation.Deferred("BUSINESS_UNDER_ONE_YEAR", registered.AddYears(1)));
            }),
        ],
        SubsidyClaim);

    /// <summary>Social insurance (gRPC, integer codes): a pension registration is accepted, then insured.</summary>
    public static DepartmentCases SocialInsurance { get; } = new(
        Department.SocialInsurance,
        [
            new("outcome.accepted-then-completed.pension-registered", "a pension registration is accepted, then insured (read by status)", PensionRegistration),
            new("outcome.returned.contribution-base-out-of-range", "a contribution base below the province's range is returned on pension.contribution_base", context =>
            {
                var person = context.FreshPerson();
                return new(
                    context.Submission(Pension, person, PensionFields(person, "100.00")),
                    person,
                    new Expectation.Returned("CONTRIBUTION_BASE_OUT_OF_RANGE", "pension.contribution_base"));
            }),
            new("outcome.rejected.already-insured-by-employer", "a person insured through an employer is refused", context =>
            {
                var person = context.Scenarios.InsuredByEmployer;
                return new(
                    context.Submission(Pension, person, PensionFields(person, "4500.00")),
                    person,
                    new Expectation.Rejected("ALREADY_INSURED_BY_EMPLOYER", null));
            }),
        ],
        PensionRegistration);

    /// <summary>Social security card (gRPC, payment-gateway style): an application is accepted while the card is made.</summary>
    public static DepartmentCases SocialSecurityCard { get; } = new(
        Department.SocialSecurityCard,
        [
            new("outcome.accepted-then-completed.card-made", "a card application is accepted, then the card is made (read by status)", CardApplication),
            new("outcome.returned.photo-receipt-invalid", "a photo receipt number that is not the applicant's is returned on card.photo_receipt_no", context =>
            {
                var person = context.FreshPerson();
                var fields = CardFields(person);
                fields["card.photo_receipt_no"] = "000000000000";
                return new(
                    context.Submission(Card, person, fields),
                    person,
                    new Expectation.Returned("PHOTO_RECEIPT_INVALID", "card.photo_receipt_no"));
            }),
            new("outcome.rejected.card-already-held", "a person who already holds a card is refused", context =>
            {
                var person = context.Scenarios.ExistingCard;
                return new(context.Submission(Card, person, CardFields(person)), person, new Expectation.Rejected("CARD_ALREADY_HELD", null));
            }),
        ],
        CardApplication);

    private static Expectation LicenceVerified(SimulatedPerson person)
    {
        var licence = person.Licence ?? throw new InvalidOperationException("A bulk person always holds a registered licence.");
        return new Expectation.Completed(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["uscc"] = licence.Uscc,
            ["entity_name"] = licence.EntityName,
            ["entity_type"] = licence.EntityType,
            ["operator_name"] = licence.OperatorName,
            ["operator_id_number"] = licence.OperatorIdNumber,
            ["registration_date"] = licence.RegistrationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["address"] = licence.Address,
            ["status"] = licence.Status,
            ["verification_no"] = null,
        });
    }

    private static CaseInput TaxpayerConfirmed(CaseContext context)
    {
        var person = context.FreshPerson();
        var expected = Keys("tax_authority", "document_no", "confirmed_at");
        expected["taxpayer_id"] = person.LicenceUscc;
        return new(
            context.Submission(Taxpayer, person, CaseContext.LicenceFields(person), CaseContext.VerifiedLicence(person)),
            person,
            new Expectation.Completed(expected));
    }

    private static CaseInput SubsidyClaim(CaseContext context)
    {
        var person = context.FreshPerson();
        var expected = Keys("claim_no");
        expected["amount"] = "5000.00";
        return new(
            context.Submission(Subsidy, person, SubsidyFields(person), CaseContext.VerifiedLicence(person)),
            person,
            new Expectation.AcceptedThenCompleted(expected));
    }

    private static CaseInput PensionRegistration(CaseContext context)
    {
        var person = context.FreshPerson();
        var expected = Keys("insurance_number", "start_month");
        expected["monthly_contribution"] = "900.00";
        expected["personal_account_part"] = "360.00";
        return new(context.Submission(Pension, person, PensionFields(person, "4500.00")), person, new Expectation.AcceptedThenCompleted(expected));
    }

    private static CaseInput CardApplication(CaseContext context)
    {
        var person = context.FreshPerson();
        var expected = Keys("card_number");
        expected["bank_account"] = person.AccountNumber;
        return new(context.Submission(Card, person, CardFields(person)), person, new Expectation.AcceptedThenCompleted(expected));
    }

    private static Dictionary<string, string> SubsidyFields(SimulatedPerson person)
    {
        var fields = CaseContext.LicenceFields(person);
        fields["subsidy.category"] = person.SubsidyCategory ?? "recent-graduate";
        fields["payment.bank_name"] = person.BankName;
        fields["payment.account_number"] = person.AccountNumber;
        return fields;
    }

    private static Dictionary<string, string> PensionFields(SimulatedPerson person, string contributionBase)
    {
        var fields = CaseContext.LicenceFields(person);
        fields["pension.contribution_base"] = contributionBase;
        return fields;
    }

    private static Dictionary<string, string> CardFields(SimulatedPerson person) => new(StringComparer.Ordinal)
    {
        ["card.photo_receipt_no"] = person.PhotoReceiptNo,
        ["card.pickup"] = "post",
        ["payment.bank_name"] = person.BankName,
    };

    private static Dictionary<string, string?> Keys(params string[] keys) =>
        keys.ToDictionary(key => key, string? (_) => null, StringComparer.Ordinal);
}
