using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Customers;

/// <summary>
/// Finding customers by what a person types (<c>?q=</c>): digits look in phone numbers, anything else in names.
/// Shared by the JSON list and the owner app's customer list, so both find the same people.
/// </summary>
internal static class CustomerSearch
{
    public const int MaxLength = 200;

    public static async Task<IQueryable<Customer>> MatchingAsync(IQueryable<Customer> query, string? q, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return query;
        }

        var text = q.Trim();
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 3 && digits.Length == text.Count(c => !char.IsWhiteSpace(c) && c is not ('+' or '-' or '(' or ')' or '.')))
        {
            return query.Where(c => c.PhoneNumber.Contains(digits));
        }

        // Names are matched here, not with SQL lower(): SQLite's lower() folds only ASCII, so
        // "ÁNGELES" would never match "ángeles". A business has few enough customers for this.
        var names = await query.Where(c => c.DisplayName != null).Select(c => new { c.Id, c.DisplayName }).ToListAsync(ct);
        var ids = names.Where(n => n.DisplayName!.Contains(text, StringComparison.OrdinalIgnoreCase)).Select(n => n.Id).ToList();
        return query.Where(c => ids.Contains(c.Id));
    }
}
