#include "sdk/crypto/hkdf.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sealdesk::crypto {
namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::vector<uint8_t> range(uint8_t first, size_t count) {
  std::vector<uint8_t> out(count);
  for (size_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(first + i);
  return out;
}

struct Rfc5869Case {
  const char* name;
  std::vector<uint8_t> ikm, salt, info;
  size_t length;
  std::string prk, okm;
};

// RFC 5869 Appendix A.1-A.3 (the SHA-256 cases).
std::vector<Rfc5869Case> rfc5869_cases() {
  return {
      {"A.1 basic", std::vector<uint8_t>(22, 0x0b), range(0x00, 13), range(0xf0, 10), 42,
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"A.2 long inputs", range(0x00, 80), range(0x60, 80), range(0xb0, 80), 82,
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {"A.3 empty salt and info", std::vector<uint8_t>(22, 0x0b), {}, {}, 42,
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
}

TEST(Hkdf, Rfc5869TestVectors) {
  for (const auto& c : rfc5869_cases()) {
    SCOPED_TRACE(c.name);
    std::array<uint8_t, kHkdfHashBytes> prk{};
    ASSERT_EQ(hkdf_sha256_extract(prk, c.salt, c.ikm), Status::ok);
    EXPECT_EQ(std::vector<uint8_t>(prk.begin(), prk.end()), from_hex(c.prk));
    std::vector<uint8_t> okm(c.length);
    ASSERT_EQ(hkdf_sha256_expand(okm, prk, {c.info}), Status::ok);
    EXPECT_EQ(okm, from_hex(c.okm));
  }
}

TEST(Hkdf, InfoGivenInPiecesEqualsInfoInOnePiece) {
  const auto prk = range(1, 32);
  const auto info = range(0xb0, 80);
  std::vector<uint8_t> whole(64), pieces(64);
  ASSERT_EQ(hkdf_sha256_expand(whole, prk, {info}), Status::ok);
  ASSERT_EQ(hkdf_sha256_expand(pieces, prk, {std::span(info).first(7), std::span(info).subspan(7, 50), std::span(info).subspan(57)}),
            Status::ok);
  EXPECT_EQ(whole, pieces);
}

TEST(Hkdf, RejectsOutputLongerThan255Blocks) {
  const auto prk = range(1, 32);
  std::vector<uint8_t> too_long(kHkdfMaxOutputBytes + 1);
  EXPECT_EQ(hkdf_sha256_expand(too_long, prk, {}), Status::invalid_argument);
  std::vector<uint8_t> longest(kHkdfMaxOutputBytes);
  EXPECT_EQ(hkdf_sha256_expand(longest, prk, {}), Status::ok);
  std::vector<uint8_t> empty;
  EXPECT_EQ(hkdf_sha256_expand(empty, prk, {}), Status::invalid_argument);
}

}  // namespace
}  // namespace sealdesk::crypto
