using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>How connecting a WhatsApp number ended: connected, a field is wrong, the number is another business's, or Meta said no.</summary>
internal enum WhatsAppConnectResult { Connected, Invalid, TakenByAnotherBusiness, Refused }

internal sealed record WhatsAppConnectOutcome(WhatsAppConnectResult Result, Validation Validation, string? Detail = null);

/// <summary>
/// Connecting the business's WhatsApp Cloud API number, manually (phone number id and token) or with an Embedded Signup
/// code that is exchanged for a token and subscribed to our webhooks. The API's <c>connect-whatsapp</c> and the owner
/// app's channels screen both come here; nothing is stored unless every step worked.
/// </summary>
internal sealed class WhatsAppConnect(
    KaribuDb db, TenantContext tenant, IDataProtectionProvider protection, WhatsAppGraphClient graph, ChannelDirectory directory)
{
    public async Task<WhatsAppConnectOutcome> ConnectAsync(ConnectWhatsAppRequest request, string actor, CancellationToken ct)
    {
        var v = new Validation();
        var phoneNumberId = v.Text("phone_number_id", request.PhoneNumberId, required: true, max: 64);
        if (phoneNumberId is not null && !phoneNumberId.All(char.IsAsciiDigit))
        {
            v.Add("phone_number_id", "Must be the numeric phone number id from WhatsApp Manager.");
        }

        var wabaId = v.Text("waba_id", request.WabaId, required: request.Code is not null, max: 64);
        var display = v.Text("display_phone_number", request.DisplayPhoneNumber, required: false, max: 32);
        // Checked before the one-time signup code is spent on a number that cannot be connected here.
        if (phoneNumberId is not null && await db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
                .AnyAsync(c => c.Kind == ChannelKind.Whatsapp && c.ExternalId == phoneNumberId && c.OrganizationId != tenant.OrganizationId, ct))
        {
            return new(WhatsAppConnectResult.TakenByAnotherBusiness, v, "This WhatsApp number is already connected to another business.");
        }

        string? token;
        if (request.Code is not null)
        {
            if (request.AccessToken is not null)
            {
                v.Add("code", "Send either an Embedded Signup code or an access_token, not both.");
            }

            var code = v.Text("code", request.Code, required: true, max: 2000);
            if (!v.IsValid)
            {
                return new(WhatsAppConnectResult.Invalid, v);
            }

            var exchanged = await graph.ExchangeCodeAsync(code!, ct);
            if (exchanged.Error is not null)
            {
                return new(WhatsAppConnectResult.Refused, v, $"WhatsApp did not accept the signup code: {exchanged.Error}");
            }

            token = exchanged.AccessToken;
            var subscribed = await graph.SubscribeAppAsync(wabaId!, token!, ct);
            if (subscribed is not null)
            {
                return new(WhatsAppConnectResult.Refused, v,
                    $"WhatsApp accepted the signup code, but subscribing to the account's webhooks failed: {subscribed}. The number was not connected; run Embedded Signup again.");
            }
        }
        else
        {
            token = v.Text("access_token", request.AccessToken, required: true, max: 2000);
            if (!v.IsValid)
            {
                return new(WhatsAppConnectResult.Invalid, v);
            }
        }

        var account = await db.ChannelAccounts.FirstOrDefaultAsync(c => c.Kind == ChannelKind.Whatsapp && c.ExternalId == phoneNumberId, ct);
        if (account is null)
        {
            account = new ChannelAccount { Kind = ChannelKind.Whatsapp, ExternalId = phoneNumberId! };
            db.ChannelAccounts.Add(account);
        }

        // One active WhatsApp number per business: connecting a new one retires the old.
        await foreach (var other in db.ChannelAccounts.Where(c => c.Kind == ChannelKind.Whatsapp && c.ExternalId != phoneNumberId).AsAsyncEnumerable().WithCancellation(ct))
        {
            other.IsActive = false;
        }

        account.WabaId = wabaId;
        account.DisplayPhoneNumber = display;
        account.EncryptedSecret = WhatsAppTokens.Protector(protection).Protect(token!);
        account.IsActive = true;
        db.Audit(actor, "whatsapp.connected", "channel_account", account.Id, $"{{\"phone_number_id\":\"{phoneNumberId}\"}}");
        await db.SaveChangesAsync(ct);
        directory.Forget();
        return new(WhatsAppConnectResult.Connected, v);
    }
}
