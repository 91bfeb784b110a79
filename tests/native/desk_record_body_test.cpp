#include "sdk/desk/record_body.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace sealdesk::desk {
namespace {

using nlohmann::json;

Result<RecordBody> decode(const std::string& text, double now = 5) {
  return decode_body(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), now);
}

TEST(DeskRecordBody, TextIsCheckedAndFindingsOutOfRangeDropped) {
  auto body = decode(R"({"t":"text","id":"m1","text":"call 138****0000","cs":2,"findings":[)"
                     R"({"type":"phone","style":"partial","maskedStart":5,"maskedEnd":16,"reveal":"[sealed:phone:AbC-_9]"},)"
                     R"({"type":"phone","maskedStart":5,"maskedEnd":99},{"type":"x","maskedStart":-1,"maskedEnd":2},)"
                     R"({"type":"email","maskedStart":0,"maskedEnd":1,"reveal":"<img src=x>"}]})");
  ASSERT_TRUE(body.ok()) << body.error().detail;
  EXPECT_EQ(body.value().type, BodyType::text);
  EXPECT_EQ(body.value().consent_seq, 2u);
  const json out = json::parse(body.value().json);
  EXPECT_EQ(out["at"], 5);  // missing time: the receiver's
  ASSERT_EQ(out["findings"].size(), 2u);
  EXPECT_EQ(out["findings"][0]["reveal"], "[sealed:phone:AbC-_9]");
  EXPECT_FALSE(out["findings"][1].contains("reveal"));  // not a sealed token: dropped
}

TEST(DeskRecordBody, MalformedBodiesGetTypedErrors) {
  for (const char* bad : {"", "not json", "[]", "{}", R"({"t":"shout"})", R"({"t":"text","id":"a"})",
                          R"({"t":"text","text":"hi"})", R"({"t":"text","id":"","text":"hi"})", R"({"t":"consent"})",
                          R"({"t":"consent","summary":{"purposes":{"chat":1}}})", R"({"t":"signal","m":"x"})",
                          R"({"t":"reveal-key","key":"short"})", R"({"t":"typing","cs":-1})", R"({"t":"typing","cs":1.5})"}) {
    EXPECT_EQ(decode(bad).status(), Status::malformed) << bad;
  }
  EXPECT_EQ(decode("{\"t\":\"text\",\"id\":\"a\",\"text\":\"\xFF\"}").status(), Status::malformed);  // invalid UTF-8
  std::string big = R"({"t":"text","id":"a","text":")" + std::string(16 * 1024 + 1, 'a') + "\"}";
  EXPECT_EQ(decode(big).status(), Status::too_large);
  // 16 Ki UTF-16 units is the limit, whatever the script: 16384 CJK characters pass (48 KiB UTF-8).
  std::string cjk;
  for (int i = 0; i < 16 * 1024; ++i) cjk += "\xE4\xBD\xA0";
  EXPECT_TRUE(decode(R"({"t":"text","id":"a","text":")" + cjk + "\"}").ok());
  EXPECT_EQ(decode(std::string(kMaxBodyBytes + 1, ' ')).status(), Status::too_large);
}

TEST(DeskRecordBody, EncodeStampsTheConsentSequence) {
  auto body = encode_body(R"({"t":"typing","cs":99})", 3);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(json::parse(body.value())["cs"], 3);  // the caller's count, not the body's
  EXPECT_FALSE(json::parse(encode_body(R"({"t":"typing"})", 0).value()).contains("cs"));
  EXPECT_EQ(encode_body(R"({"t":"nope"})", 1).status(), Status::invalid_argument);
  EXPECT_EQ(encode_body("{", 1).status(), Status::invalid_argument);
}

// The relay drops the customer's revoke (update 2): the next record names update 2, and the gate
// closes for the rest of the epoch, whatever comes after.
TEST(DeskConsentGate, ADroppedUpdateClosesTheGate) {
  ConsentGate gate;
  EXPECT_EQ(gate.admit(BodyType::text, 0), Status::ok);  // before the first update
  EXPECT_EQ(gate.admit(BodyType::consent, 1), Status::ok);
  EXPECT_EQ(gate.admit(BodyType::text, 1), Status::ok);
  EXPECT_EQ(gate.admit(BodyType::text, 0), Status::ok);  // sent before update 1, delivered after it
  EXPECT_EQ(gate.admit(BodyType::text, 2), Status::consent_gap);
  EXPECT_TRUE(gate.closed());
  EXPECT_EQ(gate.admit(BodyType::consent, 2), Status::consent_gap);  // too late: stays closed
  EXPECT_EQ(gate.admit(BodyType::text, 1), Status::consent_gap);
  gate.reset();
  EXPECT_FALSE(gate.closed());
  EXPECT_EQ(gate.admit(BodyType::consent, 1), Status::ok);
}

TEST(DeskConsentGate, AnUpdateThatSkipsOneAlsoCloses) {
  ConsentGate gate;
  ASSERT_EQ(gate.admit(BodyType::consent, 1), Status::ok);
  EXPECT_EQ(gate.admit(BodyType::consent, 1), Status::replayed);
  EXPECT_FALSE(gate.closed());
  EXPECT_EQ(gate.admit(BodyType::consent, 3), Status::consent_gap);
  EXPECT_TRUE(gate.closed());
}

}  // namespace
}  // namespace sealdesk::desk
