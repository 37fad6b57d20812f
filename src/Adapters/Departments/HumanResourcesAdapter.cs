using System.Globalization;
using Departments.Hr.V1;
using Google.Rpc;
using Grpc.Core;
using OneThing.Adapters.Internal;

namespace OneThing.Adapters;

/// <summary>
/// Carries the HR items to the HR system over its gRPC API: the employment and entrepreneurship
/// certificate (就业创业证申领, <c>hr.employment-certificate</c>) and Luoyang's one-time startup subsidy
/// (创业补贴申领, <c>hr.startup-subsidy</c>) through EmploymentService, and every other HR item
/// (employment and unemployment registration, startup grants and subsidies, loans, training, guidance,
/// difficulty recognition, Jiangsu's job-seeking subsidy) through the platform's generic matter
/// declaration interface (事项申报, MatterService), one matter code per item.
/// </summary>
/// <remarks>
/// The HR system refuses with gRPC status codes carrying a <c>google.rpc.ErrorInfo</c>, whose reason
/// and metadata the adapter maps; a correction it asks for (HR_CORRECTION_REQUIRED) comes back as
/// <see cref="ItemOutcome.Returned"/> naming the form field to fix. Every call is idempotent on
/// <c>request_no</c>, which carries <see cref="ItemSubmission.IdempotencyKey"/>. A matter under review
/// is <see cref="ItemOutcome.Accepted"/> with the platform's review stage.
/// </remarks>
public sealed class HumanResourcesAdapter : IDepartmentAdapter
{
    private const string CorrectionRequired = "HR_CORRECTION_REQUIRED";

    // The platform's refusals at submission and the reasons the citizen reads.
    private static readonly Dictionary<string, OutcomeReason> MatterRefusals = new(StringComparer.Ordinal)
    {
        ["HR_UNIT_TYPE_NOT_ELIGIBLE"] = Reasons.MatterUnitTypeNotEligible,
        ["HR_LEGAL_ENTITY_NOT_FOUND"] = Reasons.LegalEntityNotFound,
        ["HR_SUBSIDY_NOT_FIRST_BUSINESS"] = Reasons.StartupGrantNotFirst,
        ["HR_OUTSIDE_LABOUR_AGE"] = Reasons.OutsideLabourAge,
        ["HR_NO_EMPLOYMENT_CERTIFICATE"] = Reasons.NoEmploymentCertificate,
        ["HR_SUBSIDY_CATEGORY_NOT_ELIGIBLE"] = Reasons.StartupSubsidyCategoryNotEligible,
        ["HR_STILL_EMPLOYED"] = Reasons.StillEmployedForRegistration,
        ["HR_STUDENT_CATEGORY_NOT_ELIGIBLE"] = Reasons.StudentCategoryNotEligible,
        ["HR_NO_JIANGSU_CARD"] = Reasons.NoJiangsuCard,
    };

    private readonly DepartmentExchange exchange;
    private readonly EmploymentService.EmploymentServiceClient client;
    private readonly MatterService.MatterServiceClient matters;

    internal HumanResourcesAdapter(
        DepartmentExchange exchange, EmploymentService.EmploymentServiceClient client, MatterService.MatterServiceClient matters)
    {
        this.exchange = exchange;
        this.client = client;
        this.matters = matters;
    }

    /// <inheritdoc />
    public Department Department => Department.HumanResources;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; } = CatalogItems.Of(Department.HumanResources);

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Outcomes.EnsureCarried(ItemCodes, submission.ItemCode, Department);
        if (HumanResourcesMatters.Find(submission.ItemCode) is { } matter)
        {
            return SubmitMatter(submission, matter, cancellationToken);
        }

        return submission.ItemCode == CatalogItems.StartupSubsidy
            ? SubmitSubsidy(submission, cancellationToken)
            : SubmitCertificate(submission, cancellationToken);
    }

    /// <summary>
    /// For a matter, reads it with GetMatter by its receipt number. For the subsidy, reads the claim
    /// with GetSubsidyClaim. The certificate is issued at once, so its "state" is its first answer:
    /// the adapter applies again with the same request number, which the HR system replays without
    /// issuing a second certificate.
    /// </summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);

        if (HumanResourcesMatters.Find(query.ItemCode) is { } matter)
        {
            var read = new GetMatterRequest { ReceiptNo = query.CaseNumber ?? string.Empty };
            return exchange.GetStatusAsync(
                query,
                async token =>
                {
                    try
                    {
                        return MapReceipt(matter, await matters.GetMatterAsync(read, cancellationToken: token));
                    }
                    catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
                    {
                        throw exchange.Protocol($"has no matter with receipt number '{query.CaseNumber}'.", exception);
                    }
                },
                cancellationToken);
        }

        if (query.ItemCode == CatalogItems.StartupSubsidy)
        {
            var request = new GetSubsidyClaimRequest { ClaimNo = query.CaseNumber ?? string.Empty };
            return exchange.GetStatusAsync(
                query,
                async token =>
                {
                    try
                    {
                        return MapClaim(await client.GetSubsidyClaimAsync(request, cancellationToken: token));
                    }
                    catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
                    {
                        throw exchange.Protocol($"has no subsidy claim '{query.CaseNumber}'.", exception);
                    }
                },
                cancellationToken);
        }

        // Only the request number identifies the first application; the replay answers from it.
        var replay = new ApplyEmploymentCertificateRequest { RequestNo = query.IdempotencyKey };
        return exchange.GetStatusAsync(
            query,
            async token =>
            {
                try
                {
                    return MapCertificate(await client.ApplyEmploymentCertificateAsync(replay, cancellationToken: token));
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.InvalidArgument)
                {
                    throw exchange.Protocol(
                        $"did not replay certificate application '{query.IdempotencyKey}' from its request number alone " +
                        $"({FailureDescriptions.Describe(exception)}); submit the item again with the same idempotency key.",
                        exception);
                }
                catch (RpcException exception) when (IsRefusal(exception))
                {
                    return MapRefusal(exception);
                }
            },
            cancellationToken);
    }

    private Task<ItemOutcome> SubmitCertificate(ItemSubmission submission, CancellationToken cancellationToken)
    {
        var applicant = submission.Applicant;
        var request = new ApplyEmploymentCertificateRequest
        {
            RequestNo = submission.IdempotencyKey,
            IdNo = applicant.IdNumber,
            Name = applicant.Name,
            SexCode = applicant.Sex,
            Ethnicity = applicant.Ethnicity,
            Mobile = applicant.Mobile,
            Residence = applicant.ResidenceAddress,
        };

        // The certificate is for a person running a business; the licence is there when the theme verified one.
        if (submission.Upstream.TryGetValue(CatalogItems.LicenceVerification, out var licence))
        {
            request.Business = Business(submission, licence);
        }

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                try
                {
                    return MapCertificate(await client.ApplyEmploymentCertificateAsync(request, cancellationToken: token));
                }
                catch (RpcException exception) when (IsRefusal(exception))
                {
                    return MapRefusal(exception);
                }
            },
            cancellationToken);
    }

    private Task<ItemOutcome> SubmitSubsidy(ItemSubmission submission, CancellationToken cancellationToken)
    {
        var category = submission.Field(FormFields.SubsidyCategory) switch
        {
            "recent-graduate" => SubsidyCategory.RecentGraduate,
            "employment-difficulty" => SubsidyCategory.EmploymentDifficulty,
            "returning-migrant-worker" => SubsidyCategory.ReturningMigrantWorker,
            "veteran" => SubsidyCategory.Veteran,
            _ => SubsidyCategory.Unspecified,
        };

        if (category == SubsidyCategory.Unspecified)
        {
            return exchange.AnswerWithoutCallingAsync(submission, Outcomes.Returned(null, Reasons.SubsidyCategoryInvalid));
        }

        var licence = Outcomes.RequireLicence(submission);
        var request = new ApplyStartupSubsidyRequest
        {
            RequestNo = submission.IdempotencyKey,
            IdNo = submission.Applicant.IdNumber,
            Name = submission.Applicant.Name,
            Category = category,
            Business = Business(submission, licence),
            BankName = submission.Field(FormFields.PaymentBankName) ?? string.Empty,
            AccountNo = submission.Field(FormFields.PaymentAccountNumber) ?? string.Empty,
        };

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                try
                {
                    return MapClaim(await client.ApplyStartupSubsidyAsync(request, cancellationToken: token));
                }
                catch (RpcException exception) when (IsRefusal(exception))
                {
                    return MapRefusal(exception);
                }
            },
            cancellationToken);
    }

    private Task<ItemOutcome> SubmitMatter(ItemSubmission submission, MatterItem matter, CancellationToken cancellationToken)
    {
        var applicant = submission.Applicant;
        var request = new SubmitMatterRequest
        {
            RequestNo = submission.IdempotencyKey,
            MatterCode = matter.MatterCode,
            IdNo = applicant.IdNumber,
            Name = applicant.Name,
            SexCode = applicant.Sex,
            Mobile = applicant.Mobile,
        };

        // Every missing field is told at once, so the citizen fixes the form in one go.
        var missing = new List<OutcomeReason>();
        foreach (var param in matter.Params)
        {
            var value = submission.Field(param.FieldKey) ?? param.Fallback?.Invoke(submission);
            if (string.IsNullOrWhiteSpace(value))
            {
                if (param.Required)
                {
                    missing.Add(Reasons.FieldRequired(param.FieldKey, param.Label));
                }

                continue;
            }

            request.Params[param.Param] = param.Translate is { } translate ? translate(value) : value.Trim();
        }

        if (missing.Count > 0)
        {
            return exchange.AnswerWithoutCallingAsync(submission, new ItemOutcome.Returned(null, missing));
        }

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                try
                {
                    return MapReceipt(matter, await matters.SubmitMatterAsync(request, cancellationToken: token));
                }
                catch (RpcException exception) when (IsMatterRefusal(exception))
                {
                    return MapMatterRefusal(matter, exception);
                }
            },
            cancellationToken);
    }

    private ItemOutcome MapReceipt(MatterItem matter, MatterReceipt receipt)
    {
        if (string.IsNullOrEmpty(receipt.ReceiptNo))
        {
            throw exchange.Protocol($"answered matter {matter.MatterCode} in status {receipt.Status} without a receipt number.");
        }

        return receipt.Status switch
        {
            MatterStatus.Reviewing => new ItemOutcome.Accepted(receipt.ReceiptNo, Outcomes.NullIfEmpty(receipt.Stage)),
            MatterStatus.Received or MatterStatus.Approved => new ItemOutcome.Completed(
                receipt.ReceiptNo, MatterResult(matter, receipt), Outcomes.NullIfEmpty(receipt.Opinion)),
            MatterStatus.Refused => Outcomes.Rejected(
                receipt.ReceiptNo,
                receipt.Reason == "HR_DIFFICULTY_NOT_RECOGNISED"
                    ? Reasons.DifficultyNotRecognised(receipt.Opinion)
                    : MatterRefusals.TryGetValue(receipt.Reason, out var known)
                        ? known with { Message = Outcomes.NullIfEmpty(receipt.Opinion) ?? known.Message }
                        : Reasons.MatterRefused(receipt.Opinion)),
            _ => throw exchange.Protocol(
                $"answered matter '{receipt.ReceiptNo}' ({matter.MatterCode}) in status {receipt.Status}, which its contract does not provide for."),
        };
    }

    private Dictionary<string, string> MatterResult(MatterItem matter, MatterReceipt receipt)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in matter.ResultKeys)
        {
            if (!receipt.Results.TryGetValue(key, out var value) || value.Length == 0)
            {
                throw exchange.Protocol($"completed matter '{receipt.ReceiptNo}' ({matter.MatterCode}) without the result '{key}'.");
            }

            result[key] = value;
        }

        if (matter.ReceiptNoInResult)
        {
            result[ResultKeys.ReceiptNo] = receipt.ReceiptNo;
        }

        return result;
    }

    // Business answers of the matter interface; any other status is for the pipeline to judge. The
    // mapping runs in the catch block, not in the filter, so a protocol failure it throws is not swallowed.
    private static bool IsMatterRefusal(RpcException exception) =>
        exception.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument;

    /// <summary>
    /// Maps the platform's answers to a matter declaration that open no case: refusals, corrections
    /// (naming the form field to fix) and unreadable form values. Anything else breaks the contract.
    /// </summary>
    private ItemOutcome MapMatterRefusal(MatterItem matter, RpcException exception)
    {
        var info = exception.GetRpcStatus()?.GetDetail<ErrorInfo>();
        string? Metadata(string key) => info is not null && info.Metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        switch (exception.StatusCode, info?.Reason)
        {
            case (StatusCode.FailedPrecondition, CorrectionRequired) when Metadata("code") is { } code:
                var corrected = Metadata("param") is { } param ? matter.ParamNamed(param)?.FieldKey : null;
                return Outcomes.Returned(null, Reasons.MatterCorrection(code, Metadata("message") ?? exception.Status.Detail, corrected));
            case (StatusCode.FailedPrecondition, { } reason) when MatterRefusals.TryGetValue(reason, out var refusal):
                return Outcomes.Rejected(null, refusal);
            case (StatusCode.InvalidArgument, "HR_BAD_FIELD") when Metadata("field") is { } field && matter.ParamNamed(field) is { } bad:
                return Outcomes.Returned(null, Reasons.FieldInvalid(bad.FieldKey, bad.Label, exception.Status.Detail));
            case (StatusCode.InvalidArgument, "HR_BAD_FIELD"):
                throw exchange.Protocol(
                    $"refused field '{Metadata("field") ?? "(unnamed)"}' of matter {matter.MatterCode} as malformed (HR_BAD_FIELD: {PersonalData.Redact(exception.Status.Detail)}).",
                    exception);
            default:
                throw exchange.Protocol(
                    $"refused matter {matter.MatterCode} with {FailureDescriptions.Describe(exception)} and reason '{info?.Reason ?? "(no ErrorInfo)"}', which its contract does not provide for.",
                    exception);
        }
    }

    private static BusinessInfo Business(ItemSubmission submission, IReadOnlyDictionary<string, string> licence) => new()
    {
        Uscc = licence.Value(ResultKeys.Uscc) ?? submission.Field(FormFields.LicenceUscc) ?? string.Empty,
        Name = licence.Value(ResultKeys.EntityName) ?? submission.Field(FormFields.LicenceName) ?? string.Empty,
        RegistrationDate = licence.Value(ResultKeys.RegistrationDate) ?? string.Empty,
        EntityType = licence.Value(ResultKeys.EntityType) ?? string.Empty,
    };

    private ItemOutcome.Completed MapCertificate(ApplyEmploymentCertificateResponse response)
    {
        if (string.IsNullOrEmpty(response.CaseNo) || string.IsNullOrEmpty(response.CertNo))
        {
            throw exchange.Protocol("issued a certificate without a case number or certificate number.");
        }

        return new ItemOutcome.Completed(
            response.CaseNo,
            Outcomes.Result(
                (ResultKeys.CertificateNumber, response.CertNo),
                (ResultKeys.IssueDate, response.IssueDate),
                (ResultKeys.VerificationCode, response.VerificationCode)));
    }

    private ItemOutcome MapClaim(SubsidyClaim claim)
    {
        if (string.IsNullOrEmpty(claim.ClaimNo))
        {
            throw exchange.Protocol($"answered a subsidy claim in state {claim.Status} without a claim number.");
        }

        return claim.Status switch
        {
            ClaimStatus.Reviewing => new ItemOutcome.Accepted(claim.ClaimNo),
            ClaimStatus.Approved => new ItemOutcome.Completed(
                claim.ClaimNo,
                Outcomes.Result((ResultKeys.Amount, claim.Amount), (ResultKeys.ClaimNo, claim.ClaimNo)),
                Outcomes.NullIfEmpty(claim.ReviewOpinion)),
            ClaimStatus.Refused => Outcomes.Rejected(claim.ClaimNo, Reasons.SubsidyRefused(claim.ReviewOpinion)),
            _ => throw exchange.Protocol($"answered subsidy claim '{claim.ClaimNo}' in state {claim.Status}, which its contract does not provide for."),
        };
    }

    // Business answers of EmploymentService; any other status is for the pipeline to judge (mapped in
    // the catch block, not the filter, so a protocol failure the mapping throws is not swallowed).
    private static bool IsRefusal(RpcException exception) =>
        exception.StatusCode is StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.InvalidArgument;

    /// <summary>
    /// Maps the HR system's business refusals (FAILED_PRECONDITION, ALREADY_EXISTS, INVALID_ARGUMENT
    /// with an ErrorInfo reason). Anything else breaks the contract.
    /// </summary>
    private ItemOutcome MapRefusal(RpcException exception)
    {
        var info = exception.GetRpcStatus()?.GetDetail<ErrorInfo>();
        string? Metadata(string key) => info is not null && info.Metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        return (exception.StatusCode, info?.Reason) switch
        {
            (StatusCode.FailedPrecondition, "HR_NOT_YET_ELIGIBLE") => Deferred(Metadata("eligible_date")),
            (StatusCode.FailedPrecondition, "HR_CATEGORY_NOT_ELIGIBLE") => Outcomes.Rejected(null, Reasons.SubsidyCategoryNotEligible),
            (StatusCode.FailedPrecondition, "HR_NOT_FIRST_BUSINESS") => Outcomes.Rejected(null, Reasons.SubsidyNotFirstBusiness),
            (StatusCode.FailedPrecondition, "HR_UNIT_TYPE_NOT_ELIGIBLE") => Outcomes.Rejected(null, Reasons.UnitTypeNotEligible),
            // No case was opened: the held certificate's number stands as the case number.
            (StatusCode.AlreadyExists, "HR_CERTIFICATE_EXISTS") when Metadata("cert_no") is { } certificateNumber =>
                new ItemOutcome.Completed(
                    certificateNumber,
                    Outcomes.Result((ResultKeys.CertificateNumber, certificateNumber)),
                    Reasons.CertificateAlreadyHeldOpinion),
            (StatusCode.InvalidArgument, "HR_BAD_FIELD") => throw exchange.Protocol(
                $"refused field '{Metadata("field") ?? "(unnamed)"}' as malformed (HR_BAD_FIELD: {PersonalData.Redact(exception.Status.Detail)}).",
                exception),
            _ => throw exchange.Protocol(
                $"refused with {FailureDescriptions.Describe(exception)} and reason '{info?.Reason ?? "(no ErrorInfo)"}', which its contract does not provide for.",
                exception),
        };
    }

    private ItemOutcome.Deferred Deferred(string? eligibleDate)
    {
        if (!DateOnly.TryParseExact(eligibleDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var eligibleOn))
        {
            throw exchange.Protocol($"answered HR_NOT_YET_ELIGIBLE with eligible_date '{eligibleDate}', which is not yyyy-MM-dd.");
        }

        return new ItemOutcome.Deferred(null, eligibleOn, [Reasons.BusinessUnderOneYear]);
    }
}
