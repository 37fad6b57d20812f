using System.Globalization;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security;

namespace OneThing.Hub.Notifications;

/// <summary>
/// The electronic certificate a granted item issues, as its catalog entry says where the number,
/// verification code and issue date are in the department's result.
/// </summary>
public static class CertificateIssue
{
    /// <summary>The certificate <paramref name="change"/> issues, or null when it issues none.</summary>
    public static CertificateRecord? Of(JointApplication application, ThemeDefinition theme, ItemStateChange change)
    {
        if (change.ItemCode is null || change.State != ItemState.Succeeded || theme.FindItem(change.ItemCode)?.Certificate is not { } definition)
        {
            return null;
        }

        var item = application.Item(change.ItemCode);
        if (!item.Result.TryGetValue(definition.NumberKey, out var number) || number.Length == 0 ||
            !item.Result.TryGetValue(definition.VerificationCodeKey, out var code) || code.Length == 0)
        {
            return null;
        }

        return new CertificateRecord
        {
            ApplicationId = application.Id,
            ItemCode = item.ItemCode,
            Title = definition.Title,
            Number = number,
            VerificationCode = code,
            HolderName = PersonalDataMask.Name(application.Content.Applicant.Name),
            HolderIdNumber = PersonalDataMask.IdNumber(application.Content.Applicant.IdNumber),
            Issuer = item.DepartmentTitle,
            IssuedOn = item.Result.TryGetValue(definition.IssuedOnKey, out var issued) &&
                       DateOnly.TryParseExact(issued, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null,
            CreatedAt = change.At,
        };
    }
}
