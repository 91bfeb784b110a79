#include "sdk/pii/checks.h"

#include <array>
#include <cstddef>

namespace sealdesk::pii::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
int digit(char c) { return c - '0'; }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

int number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + digit(c);
  return v;
}

bool starts_between(std::string_view digits, size_t prefix_len, int lo, int hi) {
  if (digits.size() < prefix_len) return false;
  const int v = number(digits.substr(0, prefix_len));
  return v >= lo && v <= hi;
}

// GB 32100-2015 alphabet: digits and upper-case letters without I, O, S, V, Z.
constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

constexpr std::array<int8_t, 256> make_uscc_values() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (size_t i = 0; i < kUsccAlphabet.size(); ++i) t[static_cast<uint8_t>(kUsccAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr std::array<int8_t, 256> kUsccValues = make_uscc_values();

int uscc_value(char c) { return kUsccValues[static_cast<uint8_t>(c)]; }

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digit(digits[i]);
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool iso7064_mod11_2_valid(std::string_view chars) {
  if (chars.size() < 2) return false;
  // Pure system MOD 11-2: P = sum over all characters of a_i * 2^(n-1-i) must be 1 mod 11,
  // with the check character X standing for 10.
  int sum = 0;
  for (size_t i = 0; i < chars.size(); ++i) {
    int v;
    if (is_digit(chars[i])) {
      v = digit(chars[i]);
    } else if (chars[i] == 'X' && i + 1 == chars.size()) {
      v = 10;
    } else {
      return false;
    }
    sum = (sum * 2 + v) % 11;
  }
  return sum == 1;
}

bool iban_mod97_valid(std::string_view chars) {
  if (chars.size() < 5) return false;
  int rem = 0;
  for (size_t k = 0; k < chars.size(); ++k) {
    const char c = chars[(k + 4) % chars.size()];
    if (is_digit(c)) {
      rem = (rem * 10 + digit(c)) % 97;
    } else if (is_upper(c)) {
      rem = (rem * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

bool valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDays[static_cast<size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

bool cn_province_valid(int code) {
  // GB/T 2260 province-level codes; 81/82/83 are used by residence permits of Hong Kong,
  // Macau and Taiwan residents.
  switch (code) {
    case 11: case 12: case 13: case 14: case 15:
    case 21: case 22: case 23:
    case 31: case 32: case 33: case 34: case 35: case 36: case 37:
    case 41: case 42: case 43: case 44: case 45: case 46:
    case 50: case 51: case 52: case 53: case 54:
    case 61: case 62: case 63: case 64: case 65:
    case 71: case 81: case 82: case 83:
      return true;
    default:
      return false;
  }
}

bool cn_id18_valid(std::string_view chars) {
  if (chars.size() != 18 || !all_digits(chars.substr(0, 17))) return false;
  if (!cn_province_valid(number(chars.substr(0, 2)))) return false;
  const int year = number(chars.substr(6, 4));
  if (year < 1900 || year > 2099) return false;
  if (!valid_date(year, number(chars.substr(10, 2)), number(chars.substr(12, 2)))) return false;
  return iso7064_mod11_2_valid(chars);
}

bool cn_id15_valid(std::string_view digits) {
  if (digits.size() != 15 || !all_digits(digits)) return false;
  if (!cn_province_valid(number(digits.substr(0, 2)))) return false;
  if (number(digits.substr(2, 2)) == 0 || number(digits.substr(4, 2)) == 0) return false;
  return valid_date(1900 + number(digits.substr(6, 2)), number(digits.substr(8, 2)), number(digits.substr(10, 2)));
}

bool uscc_valid(std::string_view chars) {
  if (chars.size() != 18) return false;
  // 1: registration authority (1-9, A, N, Y); 2: entity type; 3-8: division code (GB/T 2260).
  // The cheap structural checks come first: most 18-character tokens are order numbers.
  const char authority = chars[0];
  if (!((authority >= '1' && authority <= '9') || authority == 'A' || authority == 'N' || authority == 'Y')) return false;
  if (chars[1] == '0') return false;
  if (!all_digits(chars.substr(2, 6)) || !cn_province_valid(number(chars.substr(2, 2)))) return false;
  std::array<int, 18> v{};
  for (size_t i = 0; i < 18; ++i) {
    v[i] = uscc_value(chars[i]);
    if (v[i] < 0) return false;
  }
  // 9-17: organisation code (GB 11714-1997), weights 3 7 9 10 5 8 4 2, check 11 - sum mod 11
  // (10 -> X, 11 -> 0). Letters count A = 10 ... Z = 35.
  static constexpr std::array<int, 8> kOrgWeights{3, 7, 9, 10, 5, 8, 4, 2};
  int org_sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const char c = chars[8 + i];
    const int value = is_digit(c) ? digit(c) : c - 'A' + 10;
    org_sum += value * kOrgWeights[i];
  }
  const int org_check = 11 - org_sum % 11;
  const char org_expected = org_check == 10 ? 'X' : org_check == 11 ? '0' : static_cast<char>('0' + org_check);
  if (chars[16] != org_expected) return false;
  // 18: check character, weights 3^i mod 31, value 31 - sum mod 31 (31 -> 0).
  int sum = 0;
  int weight = 1;
  for (size_t i = 0; i < 17; ++i) {
    sum += v[i] * weight;
    weight = weight * 3 % 31;
  }
  const int check = (31 - sum % 31) % 31;
  return v[17] == check;
}

bool iban_valid(std::string_view chars) {
  struct Country {
    char code[3];
    int length;
  };
  // ISO 13616 registry (SWIFT), IBAN lengths per country.
  static constexpr Country kCountries[] = {
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
      {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
      {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
      {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
      {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
      {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
      {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
      {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
      {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
  };
  if (chars.size() < 15 || !is_upper(chars[0]) || !is_upper(chars[1]) || !is_digit(chars[2]) || !is_digit(chars[3])) {
    return false;
  }
  for (const Country& country : kCountries) {
    if (chars[0] == country.code[0] && chars[1] == country.code[1]) {
      return static_cast<int>(chars.size()) == country.length && iban_mod97_valid(chars);
    }
  }
  return false;
}

bool cn_mobile_valid(std::string_view digits) {
  if (digits.size() != 11 || !all_digits(digits) || digits[0] != '1') return false;
  const int second = digit(digits[1]);
  const int third = digit(digits[2]);
  switch (second) {
    case 3: case 8: case 9: return true;
    case 4: return third >= 5;                                       // 145-149
    case 5: return third != 4;                                       // 150-153, 155-159
    case 6: return third == 2 || (third >= 5 && third <= 7);         // 162, 165-167
    case 7: return third <= 8;                                       // 170-178
    default: return false;
  }
}

bool us_ssn_valid(std::string_view digits9) {
  if (digits9.size() != 9 || !all_digits(digits9)) return false;
  const int area = number(digits9.substr(0, 3));
  const int group = number(digits9.substr(3, 2));
  const int serial = number(digits9.substr(5, 4));
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  if (digits9 == "078051120" || digits9 == "123456789") return false;
  return true;
}

bool bank_card_valid(std::string_view d) {
  const size_t n = d.size();
  if (n < 13 || n > 19 || !all_digits(d)) return false;
  bool known = false;
  switch (d[0]) {
    case '4':  // Visa. 19-digit Visa numbers are rare; 19-digit order numbers starting with 4 are not.
      known = n == 13 || n == 16;
      break;
    case '5':
      known = (starts_between(d, 2, 51, 55) && n == 16) ||                  // Mastercard
              ((d[1] == '0' || starts_between(d, 2, 56, 58)) && n >= 16);   // Maestro
      break;
    case '2':
      known = (starts_between(d, 4, 2221, 2720) && n == 16) ||              // Mastercard 2-series
              (starts_between(d, 4, 2200, 2204) && n == 16);                // Mir
      break;
    case '3':
      known = ((d[1] == '4' || d[1] == '7') && n == 15) ||                 // Amex
              (starts_between(d, 4, 3528, 3589) && n >= 16) ||              // JCB
              ((starts_between(d, 3, 300, 305) || d.substr(0, 4) == "3095" || d[1] == '6' || d[1] == '8' ||
                d[1] == '9') && n >= 14);                                    // Diners
      break;
    case '6':
      known = (d[1] == '2' && n >= 16) ||                                   // UnionPay
              ((d.substr(0, 4) == "6011" || starts_between(d, 3, 644, 649) || d[1] == '5') && n >= 16);  // Discover
      break;
    case '8':
      known = starts_between(d, 4, 8100, 8171) && n >= 16;                  // UnionPay 81
      break;
    default:
      break;
  }
  return known && luhn_valid(d);
}

int e164_country_code(std::string_view digits, int& min_total, int& max_total) {
  min_total = 8;
  max_total = 15;
  if (digits.size() < 2 || !all_digits(digits.substr(0, 2))) return 0;
  struct Range {
    int code;
    int min_total;
    int max_total;
  };
  // Plausible total lengths for frequent countries; others use E.164's 8-15.
  static constexpr Range kLengths[] = {
      {1, 11, 11},   {7, 11, 11},   {33, 11, 11},  {34, 11, 11},  {39, 10, 13}, {44, 11, 12},
      {49, 10, 15},  {61, 11, 11},  {60, 10, 12},  {62, 10, 14},  {63, 12, 12}, {65, 10, 10},
      {66, 10, 11},  {81, 11, 12},  {82, 10, 12},  {84, 11, 12},  {86, 12, 13}, {91, 12, 12},
      {852, 11, 11}, {853, 11, 11}, {886, 11, 12},
  };
  int code = 0;
  int len = 0;
  const int d0 = digit(digits[0]);
  const int two = number(digits.substr(0, 2));
  if (d0 == 1 || d0 == 7) {
    code = d0;
    len = 1;
  } else {
    // Two-digit codes (ITU-T E.164 assigned list); any other two-digit prefix starts a three-digit code.
    switch (two) {
      case 20: case 27: case 30: case 31: case 32: case 33: case 34: case 36: case 39: case 40:
      case 41: case 43: case 44: case 45: case 46: case 47: case 48: case 49: case 51: case 52:
      case 53: case 54: case 55: case 56: case 57: case 58: case 60: case 61: case 62: case 63:
      case 64: case 65: case 66: case 81: case 82: case 84: case 86: case 90: case 91: case 92:
      case 93: case 94: case 95: case 98:
        code = two;
        len = 2;
        break;
      default:
        // Three-digit zones in use: 21x-29x (not 28x), 35x, 37x, 38x, 42x, 50x, 59x, 67x-69x,
        // 85x, 87x, 88x, 96x, 97x, 99x.
        switch (two) {
          case 21: case 22: case 23: case 24: case 25: case 26: case 29: case 35: case 37: case 38:
          case 42: case 50: case 59: case 67: case 68: case 69: case 85: case 87: case 88: case 96:
          case 97: case 99:
            if (digits.size() < 3 || !is_digit(digits[2])) return 0;
            code = number(digits.substr(0, 3));
            len = 3;
            break;
          default:
            return 0;
        }
    }
  }
  for (const Range& r : kLengths) {
    if (r.code == code) {
      min_total = r.min_total;
      max_total = r.max_total;
    }
  }
  return len;
}

}  // namespace sealdesk::pii::detail

namespace sealdesk::pii::detail {

bool hkid_valid(std::string_view chars) {
  if (chars.size() != 8 && chars.size() != 9) return false;
  const size_t letters = chars.size() - 7;
  int sum = letters == 1 ? 36 * 9 : 0;
  int weight = letters == 1 ? 8 : 9;
  for (size_t i = 0; i < chars.size(); ++i) {
    const char c = chars[i];
    int v;
    if (i < letters) {
      if (c < 'A' || c > 'Z') return false;
      v = c - 'A' + 10;
    } else if (i + 1 == chars.size() && c == 'A') {
      v = 10;
    } else if (c >= '0' && c <= '9') {
      v = c - '0';
    } else {
      return false;
    }
    sum += v * (i + 1 == chars.size() ? 1 : weight--);
  }
  return sum % 11 == 0;
}

bool tw_id_valid(std::string_view chars) {
  // A=10 ... Z=33 in the Ministry of the Interior's order (I=34, O=35 come last).
  static constexpr int kCodes[26] = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                     22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
  if (chars.size() != 10 || chars[0] < 'A' || chars[0] > 'Z') return false;
  const char second = chars[1];
  if (second != '1' && second != '2' && second != '8' && second != '9') return false;
  const int code = kCodes[chars[0] - 'A'];
  int sum = code / 10 + (code % 10) * 9;
  for (size_t i = 1; i < 10; ++i) {
    if (chars[i] < '0' || chars[i] > '9') return false;
    sum += (chars[i] - '0') * (i < 9 ? static_cast<int>(9 - i) : 1);
  }
  return sum % 10 == 0;
}

bool cn_service_number(std::string_view d) {
  if (d.size() == 5 && (d.starts_with("95") || d.starts_with("96") || d[0] == '1')) return true;
  if (d.size() == 6 && d.starts_with("955")) return true;
  if (d.starts_with("1069") || d.starts_with("10655") || d.starts_with("10657")) return true;
  if (d.size() == 10 && (d.starts_with("400") || d.starts_with("800"))) return true;
  return false;
}

bool hk_mo_local_valid(std::string_view d) {
  if (d.size() != 8) return false;
  for (char c : d) {
    if (c < '0' || c > '9') return false;
  }
  // Two years (2019 2020, 1999-2000) are no phone number.
  const bool years = (d.starts_with("19") || d.starts_with("20")) && (d[4] == '1' || d[4] == '2') &&
                     (d[5] == '9' || d[5] == '0');
  return !years && (d[0] == '2' || d[0] == '3' || d[0] == '5' || d[0] == '6' || d[0] == '7' || d[0] == '9');
}

size_t cn_area_code_length(std::string_view national) {
  if (national.size() < 3 || national[0] != '0') return 0;
  if (national[1] == '2' || (national[1] == '1' && national[2] == '0')) return 3;
  return national[1] >= '3' && national[1] <= '9' ? 4 : 0;
}

}  // namespace sealdesk::pii::detail
