using System.Globalization;
using Departments.Hr.V1;
using Google.Rpc;
using Grpc.Core;
using OneThing.Adapters.Internal;

namespace OneThing.Adapters;

/// <summary>
/// Applies for the employment and entrepreneurship certificate (就业创业证申领,
/// <c>hr.employment-certificate</c>) and the one-time startup subsidy (创业补贴申领,
/// <c>hr.startup-subsidy</c>) with the HR system over its gRPC API.
/// </summary>
/// <remarks>
/// The HR system refuses with gRPC status codes carrying a <c>google.rpc.ErrorInfo</c>, whose reason
/// and metadata the adapter maps. Both calls are idempotent on <c>request_no</c>, which carries
/// <see cref="ItemSubmission.IdempotencyKey"/>.
/// </remarks>
public sealed class HumanResourcesAdapter : IDepartmentAdapter
{
    private readonly DepartmentExchange exchange;
    private readonly EmploymentService.EmploymentServiceClient client;

    internal HumanResourcesAdapter(DepartmentExchange exchange, EmploymentService.EmploymentServiceClient client)
    {
        this.exchange = exchange;
        this.client = client;
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
        return submission.ItemCode == CatalogItems.StartupSubsidy
            ? SubmitSubsidy(submission, cancellationToken)
            : SubmitCertificate(submission, cancellationToken);
    }

    /// <summary>
    /// For the subsidy, reads the claim with GetSubsidyClaim. The certificate is issued at once, so
    /// its "state" is its first answer: the adapter applies again with the same request number, which
    /// the HR system replays without issuing a second certificate.
    /// </summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);

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
                catch (RpcException exception) when (MapRefusal(exception) is { } refusal)
                {
                    return refusal;
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
                catch (RpcException exception) when (MapRefusal(exception) is { } refusal)
                {
                    return refusal;
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
                catch (RpcException exception) when (MapRefusal(exception) is { } refusal)
                {
                    return refusal;
                }
            },
            cancellationToken);
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

    /// <summary>
    /// Maps the HR system's business refusals (FAILED_PRECONDITION, ALREADY_EXISTS, INVALID_ARGUMENT
    /// with an ErrorInfo reason); null for any other status, which the pipeline judges as technical.
    /// </summary>
    private ItemOutcome? MapRefusal(RpcException exception)
    {
        if (exception.StatusCode is not (StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.InvalidArgument))
        {
            return null;
        }

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
