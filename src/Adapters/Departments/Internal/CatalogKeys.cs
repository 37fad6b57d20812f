namespace OneThing.Adapters.Internal;

/// <summary>The catalog item codes the adapters carry, and which department handles each.</summary>
internal static class CatalogItems
{
    public const string LicenceVerification = "market.licence-verification";
    public const string TaxpayerConfirmation = "tax.taxpayer-confirmation";
    public const string EmploymentCertificate = "hr.employment-certificate";
    public const string StartupSubsidy = "hr.startup-subsidy";
    public const string FlexiblePensionRegistration = "si.flexible-pension-registration";
    public const string CardApplication = "sscard.card-application";

    // Items declared through the HR platform's generic matter interface (事项申报), see HumanResourcesMatters.
    public const string EmploymentRegistration = "hr.employment-registration";
    public const string StartupGrant = "hr.startup-grant";
    public const string RentSubsidy = "hr.rent-subsidy";
    public const string StartupTraining = "hr.startup-training";
    public const string GuaranteedLoan = "hr.guaranteed-loan";
    public const string OneTimeStartupSubsidy = "hr.one-time-startup-subsidy";
    public const string OpeningGuidance = "hr.opening-guidance";
    public const string UnemploymentRegistration = "hr.unemployment-registration";
    public const string CareerGuidance = "hr.career-guidance";
    public const string PolicyConsultation = "hr.policy-consultation";
    public const string JobReferral = "hr.job-referral";
    public const string DifficultyRecognition = "hr.employment-difficulty-recognition";
    public const string JobSeekingSubsidy = "hr.job-seeking-subsidy";

    public const string UnemploymentBenefit = "si.unemployment-benefit";
    public const string PriceSubsidy = "si.price-subsidy";

    private static readonly string[] MarketRegulationItems = [LicenceVerification];
    private static readonly string[] TaxItems = [TaxpayerConfirmation];
    private static readonly string[] HumanResourcesItems =
    [
        EmploymentCertificate, StartupSubsidy,
        EmploymentRegistration, StartupGrant, RentSubsidy, StartupTraining, GuaranteedLoan, OneTimeStartupSubsidy,
        OpeningGuidance, UnemploymentRegistration, CareerGuidance, PolicyConsultation, JobReferral,
        DifficultyRecognition, JobSeekingSubsidy,
    ];

    private static readonly string[] SocialInsuranceItems = [FlexiblePensionRegistration, UnemploymentBenefit, PriceSubsidy];
    private static readonly string[] SocialSecurityCardItems = [CardApplication];

    /// <summary>Returns the item codes a department handles.</summary>
    public static IReadOnlyCollection<string> Of(Department department) => department switch
    {
        Department.MarketRegulation => MarketRegulationItems,
        Department.Tax => TaxItems,
        Department.HumanResources => HumanResourcesItems,
        Department.SocialInsurance => SocialInsuranceItems,
        Department.SocialSecurityCard => SocialSecurityCardItems,
        _ => throw new ArgumentOutOfRangeException(nameof(department), department, "unknown department"),
    };
}

/// <summary>The form field keys (ItemSubmission.Fields) the adapters read.</summary>
internal static class FormFields
{
    public const string LicenceName = "licence.name";
    public const string LicenceUscc = "licence.uscc";
    public const string SubsidyCategory = "subsidy.category";
    public const string PensionContributionBase = "pension.contribution_base";
    public const string PaymentBankName = "payment.bank_name";
    public const string PaymentAccountNumber = "payment.account_number";
    public const string DeliveryAddress = "delivery.address";
    public const string DeliveryRecipient = "delivery.recipient";
    public const string DeliveryMobile = "delivery.mobile";
    public const string CardPhotoReceiptNo = "card.photo_receipt_no";
    public const string CardPickup = "card.pickup";
    public const string CardBranchCode = "card.branch_code";

    // The items of the HR matter interface (issue 4).
    public const string EmploymentDivisionCode = "employment.division_code";
    public const string EmploymentAddress = "employment.address";
    public const string UnitName = "unit.name";
    public const string UnitUscc = "unit.uscc";
    public const string UnitType = "unit.type";
    public const string UnitRegistrationDate = "unit.registration_date";
    public const string RentPeriodStart = "rent.period_start";
    public const string RentPeriodEnd = "rent.period_end";
    public const string RentAmount = "rent.amount";
    public const string TrainingIntent = "training.intent";
    public const string LoanType = "loan.type";
    public const string LoanAmount = "loan.amount";
    public const string LoanBank = "loan.bank";
    public const string UnemploymentReason = "unemployment.reason";
    public const string DifficultyCategory = "difficulty.category";
    public const string StudentCategory = "student.category";
    public const string StudentSchool = "student.school";
    public const string StudentGraduationYear = "student.graduation_year";
    public const string StudentNumber = "student.number";
    public const string StudentEducation = "student.education";
}

/// <summary>The stable result keys (ItemOutcome.Completed.Result) the adapters produce and read.</summary>
internal static class ResultKeys
{
    // market.licence-verification
    public const string Uscc = "uscc";
    public const string EntityName = "entity_name";
    public const string EntityType = "entity_type";
    public const string OperatorName = "operator_name";
    public const string OperatorIdNumber = "operator_id_number";
    public const string RegistrationDate = "registration_date";
    public const string Address = "address";
    public const string Status = "status";
    public const string VerificationNo = "verification_no";

    // tax.taxpayer-confirmation
    public const string TaxpayerId = "taxpayer_id";
    public const string TaxAuthority = "tax_authority";
    public const string DocumentNo = "document_no";
    public const string ConfirmedAt = "confirmed_at";

    // hr.employment-certificate
    public const string CertificateNumber = "certificate_number";
    public const string IssueDate = "issue_date";
    public const string VerificationCode = "verification_code";

    // hr.startup-subsidy
    public const string Amount = "amount";
    public const string ClaimNo = "claim_no";

    // si.flexible-pension-registration
    public const string InsuranceNumber = "insurance_number";
    public const string MonthlyContribution = "monthly_contribution";
    public const string PersonalAccountPart = "personal_account_part";
    public const string StartMonth = "start_month";

    // sscard.card-application
    public const string CardNumber = "card_number";
    public const string BankAccount = "bank_account";

    // The HR matter items (hr.employment-registration ... hr.job-seeking-subsidy); amount as above.
    public const string RegistrationNo = "registration_no";
    public const string ReceiptNo = "receipt_no";
    public const string ClassNo = "class_no";
    public const string ApprovedAmount = "approved_amount";
    public const string AppointmentNo = "appointment_no";
    public const string RecognitionNo = "recognition_no";

    // si.unemployment-benefit
    public const string MonthlyAmount = "monthly_amount";
    public const string Months = "months";
    public const string BenefitNo = "benefit_no";

    // si.price-subsidy; amount as above.
    public const string SubsidyNo = "subsidy_no";
}
