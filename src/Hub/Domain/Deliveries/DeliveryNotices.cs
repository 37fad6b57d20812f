using System.Globalization;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Notifications;

namespace OneThing.Hub.Domain.Deliveries;

/// <summary>
/// What the applicant is told when the delivery moves on: ready (待寄递 / 待领取), shipped with the
/// tracking number, delivered, or collected. Each on SMS and in-app, under a key unique to the
/// delivery and the state, so a step told twice is sent once. No personal data in the texts. No I/O.
/// </summary>
public static class DeliveryNotices
{
    /// <summary>The prefix of every delivery notice's key: <c>delivery/{application id}/</c>.</summary>
    public static string KeyPrefix(string applicationId) => $"delivery/{applicationId}/";

    /// <summary>The notices of <paramref name="step"/>, a step of <paramref name="delivery"/>; empty for steps nobody needs to hear of.</summary>
    public static IReadOnlyList<PlannedNotification> Plan(ResultDelivery delivery, string themeTitle, DeliveryEvent step)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(step);
        var documents = delivery.Titles();
        (string Title, string Text)? said = step.State switch
        {
            DeliveryState.Ready when delivery.Method == DeliveryKind.Mail =>
                ("办理结果待寄递", $"您的「{themeTitle}」办理结果（{documents}）已备齐，将邮寄至您填写的收件地址，寄出后告知运单号。"),
            DeliveryState.Ready =>
                ("办理结果待领取", $"您的「{themeTitle}」办理结果（{documents}）已备齐，请携带本人有效身份证件到{delivery.PickupSite}领取；委托他人代领的，代领人须携带本人身份证件和您签署的授权委托书。"),
            DeliveryState.Shipped =>
                ("办理结果已寄出", $"您的「{themeTitle}」办理结果（{documents}）已交{delivery.Carrier}寄出，运单号{delivery.TrackingNumber}，请注意查收。"),
            DeliveryState.Delivered =>
                ("办理结果已签收", $"您的「{themeTitle}」办理结果（{documents}）已投递签收。如非本人签收，请联系办理窗口。"),
            DeliveryState.PickedUp =>
                ("办理结果已领取", $"您的「{themeTitle}」办理结果（{documents}）已于{step.At.ToOffset(ChinaTime.Offset).ToString("yyyy年M月d日HH:mm", CultureInfo.InvariantCulture)}在{delivery.PickupWindow}领取（{delivery.CollectorDescription()}）。如非您本人或您委托的人领取，请立即联系办理窗口。"),
            _ => null,
        };
        if (said is not { } notice)
        {
            return [];
        }

        var key = $"{KeyPrefix(delivery.ApplicationId)}{step.State.ToString().ToLowerInvariant()}";
        return
        [
            new PlannedNotification($"{key}/sms", NotificationChannel.Sms, NotificationKind.StateChange, delivery.ApplicationId, null, step.At, notice.Title, notice.Text, null, 0),
            new PlannedNotification($"{key}/in-app", NotificationChannel.InApp, NotificationKind.StateChange, delivery.ApplicationId, null, step.At, notice.Title, notice.Text, null, 0),
        ];
    }
}
