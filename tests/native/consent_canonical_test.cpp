#include "sdk/consent/canonical.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

namespace sealdesk::consent {
namespace {

using nlohmann::json;

std::string canon(const std::string& text) {
  auto r = canonical_json(json::parse(text, nullptr, false));
  EXPECT_TRUE(r.ok()) << r.error().detail;
  return r.ok() ? r.value() : std::string();
}

TEST(CanonicalJson, SortsMembersAndDropsWhitespace) {
  EXPECT_EQ(canon(R"({ "b": [1, 2, {"z": null, "a": true}], "a": "x" })"), R"({"a":"x","b":[1,2,{"a":true,"z":null}]})");
}

TEST(CanonicalJson, SortsMemberNamesByUtf16CodeUnits) {
  // RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB01 (FB01) in UTF-16,
  // although its UTF-8 bytes (F0...) sort after EF... .
  EXPECT_EQ(canon("{\"\xEF\xAC\x81\":1,\"\xF0\x9F\x98\x80\":2}"), "{\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\x81\":1}");
}

TEST(CanonicalJson, EscapesLikeJsonStringify) {
  // RFC 8785 §3.2.2.2: short escapes, \u00xx (lower case) for other controls, the rest literal.
  EXPECT_EQ(canon(R"(["\"\\\b\f\n\r\t", "\u0001\u001f", "\u007f/é中"])"),
            "[\"\\\"\\\\\\b\\f\\n\\r\\t\",\"\\u0001\\u001f\",\"\x7f/\xC3\xA9\xE4\xB8\xAD\"]");
}

TEST(CanonicalJson, IntegersOnlyWithinTheSafeRange) {
  EXPECT_EQ(canon("[0, -1, 9007199254740991, -9007199254740991]"), "[0,-1,9007199254740991,-9007199254740991]");
  EXPECT_EQ(canonical_json(json::parse("9007199254740992", nullptr, false)).status(), Status::malformed);
  EXPECT_EQ(canonical_json(json::parse("-9007199254740992", nullptr, false)).status(), Status::malformed);
  EXPECT_EQ(canonical_json(json::parse("[1.5]", nullptr, false)).status(), Status::malformed);
  EXPECT_EQ(canonical_json(json::parse("1e3", nullptr, false)).status(), Status::malformed);
}

TEST(CanonicalJson, RejectsInvalidUtf8BuiltInCode) {
  EXPECT_EQ(canonical_json(json(std::string("\xC0\xAF"))).status(), Status::malformed);
  json bad_key = json::object();
  bad_key[std::string("\xFF")] = 1;
  EXPECT_EQ(canonical_json(bad_key).status(), Status::malformed);
}

TEST(Utf8, RejectsOverlongSurrogatesAndOutOfRange) {
  EXPECT_TRUE(is_valid_utf8("plain \xE4\xB8\xAD\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE4\xB8"));          // truncated
  EXPECT_EQ(utf8_length("a\xE4\xB8\xAD\xF0\x9F\x98\x80"), 3u);
}

TEST(Encodings, HexAndBase64UrlRoundTripWithOneSpellingPerValue) {
  const std::vector<uint8_t> bytes = {0x00, 0xfb, 0xff, 0x10};
  EXPECT_EQ(to_hex(bytes), "00fbff10");
  EXPECT_EQ(from_hex("00fbff10"), bytes);
  EXPECT_FALSE(from_hex("00FBFF10"));
  EXPECT_FALSE(from_hex("0"));
  EXPECT_EQ(base64url_encode(bytes), "APv_EA");  // RFC 4648 §5 alphabet, no padding
  EXPECT_EQ(base64url_decode("APv_EA"), bytes);
  EXPECT_FALSE(base64url_decode("APv_EA=="));
  EXPECT_FALSE(base64url_decode("APv/EA"));
  EXPECT_FALSE(base64url_decode("APv_EB"));  // non-zero padding bits: a second spelling
}

TEST(Blake2b, MatchesRfc7693Abc) {
  // BLAKE2b-256("abc"), as published for RFC 7693 implementations (libsodium generichash).
  EXPECT_EQ(to_hex(blake2b_256(std::string_view("abc"))),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

}  // namespace
}  // namespace sealdesk::consent
