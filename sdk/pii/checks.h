// Check-digit algorithms and validity tables used to confirm a candidate before it is masked.
// Inputs are the candidate's significant characters: ASCII digits and upper-case letters, with
// separators already removed. Every function is total: any string gives true or false.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sealdesk::pii::detail {

// Luhn (ISO/IEC 7812-1 Annex B) over decimal digits.
bool luhn_valid(std::string_view digits);

// ISO 7064 MOD 11-2 over digits with a final check character 0-9 or X (GB 11643-1999).
bool iso7064_mod11_2_valid(std::string_view chars);

// ISO 7064 MOD 97-10 as IBAN uses it (ISO 13616-1): first four characters moved to the end,
// letters A-Z as 10-35, remainder 1.
bool iban_mod97_valid(std::string_view chars);

// Mainland resident ID (GB 11643-1999): province code, a real birth date (1900-2099),
// MOD 11-2 check character. 18 characters, the last may be 'X'.
bool cn_id18_valid(std::string_view chars);
// Legacy 15-digit ID: province code, prefecture and county codes not 00, real date 19YYMMDD.
bool cn_id15_valid(std::string_view digits);
// First two digits of a mainland administrative division code (GB/T 2260) in use.
bool cn_province_valid(int code);

// Unified Social Credit Code (GB 32100-2015): alphabet without I O S V Z, registration
// authority and type codes, a province code, the embedded organisation code's check
// (GB 11714-1997) and the code's own MOD 31 check character.
bool uscc_valid(std::string_view chars);

// IBAN: known country (ISO 13616 registry length) and MOD 97-10.
bool iban_valid(std::string_view chars);

// Mainland mobile: 11 digits with an allocated 3-digit network prefix (MIIT numbering plan).
bool cn_mobile_valid(std::string_view digits);

// US SSN area/group/serial (SSA): area not 000, 666 or 900-999; group not 00; serial not 0000;
// plus the two well-known voided numbers (078-05-1120, 123-45-6789).
bool us_ssn_valid(std::string_view digits9);

// Card number: a known network prefix for this length (Visa 13/16, Mastercard 16, Amex 15,
// UnionPay 16-19, JCB 16-19, Discover 16-19, Diners 14-19, Maestro 16-19, Mir 16) and Luhn.
bool bank_card_valid(std::string_view digits);

// E.164 (ITU-T E.164 / ITU-T E.164 assigned codes): the country code at the start of digits.
// Returns its length (1-3), 0 when no assigned code matches. min_total/max_total receive the
// plausible total digit counts (country code included) for numbers of that country.
int e164_country_code(std::string_view digits, int& min_total, int& max_total);

// A real Gregorian date.
bool valid_date(int year, int month, int day);

}  // namespace sealdesk::pii::detail

namespace sealdesk::pii::detail {

// Hong Kong identity card: one or two letters, six digits, then the check character (0-9 or A)
// with weights 9..2 (a one-letter prefix counts as a space, 36) summing to 0 mod 11.
// chars: the letters and digits without the parentheses, upper case ("A1234563").
bool hkid_valid(std::string_view chars);

// Taiwan national ID (and the 2021 resident certificate): a letter (A-Z, each a fixed 2-digit
// code), 1/2 (citizens) or 8/9 (residents), seven digits and a check digit; weights
// 1 9 8 7 6 5 4 3 2 1 1 over the 11 digits, sum 0 mod 10. Upper case ("A123456789").
bool tw_id_valid(std::string_view chars);

// Service numbers that are neither a person's phone nor a one-time code: 95xxx and 1xxxx
// five-digit short codes (95588, 10086, 12306), SMS gateway 1069..., 400/800 hotlines.
bool cn_service_number(std::string_view digits);

// Hong Kong / Macau subscriber number dialled locally: 8 digits starting 2 or 3 (fixed lines)
// or 5, 6, 7, 9 (mobiles) (OFCA numbering plan; Macau 28 fixed, 6 mobile), and not two years
// (20192020).
bool hk_mo_local_valid(std::string_view digits8);

// Mainland area code at the start of a national number with its trunk 0 (GB/T 2260 numbering):
// 3 digits for 010 and 02x, 4 for 03x-09x; 0 when national does not start with one.
size_t cn_area_code_length(std::string_view national);

}  // namespace sealdesk::pii::detail
