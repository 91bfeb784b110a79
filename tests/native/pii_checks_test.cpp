// Check-digit algorithms against published examples, and what each rejects.
#include "sdk/pii/checks.h"

#include <gtest/gtest.h>

#include <string>

namespace sealdesk::pii::detail {
namespace {

TEST(PiiChecks, LuhnAcceptsIsoExampleAndRejectsEveryOtherCheckDigit) {
  EXPECT_TRUE(luhn_valid("79927398713"));  // ISO/IEC 7812-1 Annex B worked example
  for (char c = '0'; c <= '9'; ++c) {
    if (c != '3') {
      EXPECT_FALSE(luhn_valid(std::string("7992739871") + c)) << c;
    }
  }
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("4111-1111"));
}

TEST(PiiChecks, ResidentIdUsesMod11_2WithX) {
  // GB 11643-1999 Annex A example.
  EXPECT_TRUE(cn_id18_valid("11010519491231002X"));
  EXPECT_FALSE(cn_id18_valid("110105194912310021"));  // wrong check character
  EXPECT_FALSE(cn_id18_valid("11010519491231002x"));  // callers upper-case first
  EXPECT_TRUE(iso7064_mod11_2_valid("11010519491231002X"));
}

TEST(PiiChecks, ResidentIdNeedsProvinceAndRealBirthDate) {
  // Same body with the check character recomputed, but province 20 does not exist.
  EXPECT_FALSE(cn_id18_valid("200105194912310023"));
  // 1949-02-30 is not a date, even with a matching check character.
  std::string body = "11010519490230002";
  for (char c : std::string("0123456789X")) EXPECT_FALSE(cn_id18_valid(body + c));
  EXPECT_TRUE(valid_date(2000, 2, 29));
  EXPECT_FALSE(valid_date(1900, 2, 29));
  EXPECT_FALSE(valid_date(2023, 13, 1));
}

TEST(PiiChecks, LegacyFifteenDigitIdNeedsProvinceAndDate) {
  EXPECT_TRUE(cn_id15_valid("110105491231002"));
  EXPECT_FALSE(cn_id15_valid("110105491331002"));  // month 13
  EXPECT_FALSE(cn_id15_valid("990105491231002"));  // province 99
  EXPECT_FALSE(cn_id15_valid("110005491231002"));  // prefecture 00
}

TEST(PiiChecks, UsccChecksBothOrganisationCodeAndOwnCheckCharacter) {
  EXPECT_TRUE(uscc_valid("91350100M000100Y43"));  // the example of GB 32100-2015
  EXPECT_FALSE(uscc_valid("91350100M000100Y44"));  // GB 32100 check character
  EXPECT_FALSE(uscc_valid("91350100M000100Y53"));  // GB 11714 organisation-code check
  EXPECT_FALSE(uscc_valid("91350100M000100I43"));  // I is not in the alphabet
  EXPECT_FALSE(uscc_valid("92990100M000100Y43"));  // province 99
}

TEST(PiiChecks, IbanMod97AndCountryLength) {
  EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));  // ISO 13616 example
  EXPECT_TRUE(iban_valid("DE89370400440532013000"));
  EXPECT_FALSE(iban_valid("GB83WEST12345698765432"));
  EXPECT_FALSE(iban_valid("DE8937040044053201300"));   // one character short for DE
  EXPECT_FALSE(iban_valid("ZZ89370400440532013000"));  // no such country
  EXPECT_TRUE(iban_mod97_valid("GB82WEST12345698765432"));
}

TEST(PiiChecks, CardNeedsKnownPrefixLengthAndLuhn) {
  EXPECT_TRUE(bank_card_valid("4111111111111111"));        // Visa
  EXPECT_TRUE(bank_card_valid("5555555555554444"));        // Mastercard
  EXPECT_TRUE(bank_card_valid("2221000000000009"));        // Mastercard 2-series
  EXPECT_TRUE(bank_card_valid("378282246310005"));         // Amex, 15 digits
  EXPECT_TRUE(bank_card_valid("6200000000000005"));        // UnionPay
  EXPECT_TRUE(bank_card_valid("3530111333300000"));        // JCB
  EXPECT_FALSE(bank_card_valid("4111111111111112"));       // Luhn
  EXPECT_FALSE(bank_card_valid("1234567812345670"));       // Luhn-valid, no network starts with 1
  EXPECT_FALSE(bank_card_valid("378282246310005000"));     // Amex is 15 digits only
}

TEST(PiiChecks, MobilePrefixesFollowTheNumberingPlan) {
  EXPECT_TRUE(cn_mobile_valid("13800138000"));
  EXPECT_TRUE(cn_mobile_valid("19912345678"));
  EXPECT_TRUE(cn_mobile_valid("16612345678"));
  EXPECT_FALSE(cn_mobile_valid("12345678901"));  // 12x is not mobile
  EXPECT_FALSE(cn_mobile_valid("15412345678"));  // 154 is not allocated
  EXPECT_FALSE(cn_mobile_valid("1380013800"));   // 10 digits
}

TEST(PiiChecks, SsnRejectsInvalidAreasGroupsAndSerials) {
  EXPECT_TRUE(us_ssn_valid("536225461"));
  EXPECT_FALSE(us_ssn_valid("000225461"));
  EXPECT_FALSE(us_ssn_valid("666225461"));
  EXPECT_FALSE(us_ssn_valid("912225461"));
  EXPECT_FALSE(us_ssn_valid("536005461"));
  EXPECT_FALSE(us_ssn_valid("536220000"));
  EXPECT_FALSE(us_ssn_valid("078051120"));  // the Woolworth wallet card number
}

TEST(PiiChecks, CountryCodesAreReadGreedilyFromTheAssignedList) {
  int lo = 0;
  int hi = 0;
  EXPECT_EQ(e164_country_code("14155552671", lo, hi), 1);
  EXPECT_EQ(lo, 11);
  EXPECT_EQ(e164_country_code("442079460958", lo, hi), 2);
  EXPECT_EQ(e164_country_code("85291234567", lo, hi), 3);
  EXPECT_EQ(lo, 11);
  EXPECT_EQ(e164_country_code("28123456", lo, hi), 0);  // zone 28x is unassigned
  EXPECT_EQ(e164_country_code("8", lo, hi), 0);
}

TEST(PiiChecks, NoCountryAllowsNumbersShorterThanEightDigits) {
  // The scanner skips number chains under eight characters before asking (scanner.cpp,
  // number_chain): a country with a shorter minimum would be missed there, so it fails here.
  for (int prefix = 0; prefix < 1000; ++prefix) {
    const std::string digits = std::to_string(1000 + prefix).substr(1) + "12345678";
    int lo = 0;
    int hi = 0;
    if (e164_country_code(digits, lo, hi) > 0) {
      EXPECT_GE(lo, 8) << digits;
    }
  }
}

}  // namespace
}  // namespace sealdesk::pii::detail
