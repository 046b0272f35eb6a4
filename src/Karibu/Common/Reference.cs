namespace Karibu.Common;

/// <summary>The codes Karibu accepts for countries, currencies and languages.</summary>
internal static class Reference
{
    public static readonly string[] Locales = ["es-MX", "en-KE", "sw-KE", "en"];

    // ISO 3166-1 alpha-2, officially assigned codes.
    public static readonly HashSet<string> Countries = new(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
         "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
         "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
         "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
         "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
         "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
         "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW").Split(' '),
        StringComparer.Ordinal);

    // ISO 4217 active currency codes.
    public static readonly HashSet<string> Currencies = new(
        ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF " +
         "CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG " +
         "HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA " +
         "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD " +
         "RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX " +
         "USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG").Split(' '),
        StringComparer.Ordinal);

    public static string? Country(string field, string? value, bool required, Validation v)
    {
        if (value is null)
        {
            if (required)
            {
                v.Add(field, "Is required: an ISO 3166 two-letter country code such as MX or KE.");
            }

            return null;
        }

        var code = value.Trim().ToUpperInvariant();
        if (!Countries.Contains(code))
        {
            v.Add(field, $"'{value}' is not an ISO 3166 two-letter country code (for example MX or KE).");
            return null;
        }

        return code;
    }

    public static string? Currency(string field, string? value, bool required, Validation v)
    {
        if (value is null)
        {
            if (required)
            {
                v.Add(field, "Is required: an ISO 4217 currency code such as MXN or KES.");
            }

            return null;
        }

        var code = value.Trim().ToUpperInvariant();
        if (!Currencies.Contains(code))
        {
            v.Add(field, $"'{value}' is not an ISO 4217 currency code (for example MXN or KES).");
            return null;
        }

        return code;
    }

    public static string? Locale(string field, string? value, bool required, Validation v)
    {
        if (value is null)
        {
            if (required)
            {
                v.Add(field, $"Is required. One of: {string.Join(", ", Locales)}.");
            }

            return null;
        }

        var match = Locales.FirstOrDefault(l => string.Equals(l, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            v.Add(field, $"'{value}' is not a supported locale. One of: {string.Join(", ", Locales)}.");
        }

        return match;
    }

    public static string? TimeZone(string field, string? value, bool required, Validation v)
    {
        if (value is null)
        {
            if (required)
            {
                v.Add(field, "Is required: an IANA time zone id such as America/Mexico_City or Africa/Nairobi.");
            }

            return null;
        }

        var zone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(value.Trim());
        if (zone is null)
        {
            v.Add(field, $"'{value}' is not an IANA time zone id (for example America/Mexico_City or Africa/Nairobi).");
        }

        return zone?.Id;
    }
}
