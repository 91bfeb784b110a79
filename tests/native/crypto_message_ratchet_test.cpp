#include "sdk/crypto/message_ratchet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace sealdesk::crypto {
namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

ChainContext context(Direction direction = Direction::customer_to_agent, uint32_t epoch = 1, uint8_t purpose = 0) {
  ChainContext c;
  for (size_t i = 0; i < c.session_id.size(); ++i) c.session_id[i] = static_cast<uint8_t>(i);
  c.epoch = epoch;
  c.purpose = purpose;
  c.direction = direction;
  return c;
}

std::array<uint8_t, kChainKeyBytes> chain_key(uint8_t fill = 0x11) {
  std::array<uint8_t, kChainKeyBytes> key{};
  key.fill(fill);
  return key;
}

std::vector<uint8_t> seal(MessageSender& sender, const std::vector<uint8_t>& plaintext) {
  std::vector<uint8_t> out(sealed_message_bytes(plaintext.size()));
  auto sealed = sender.seal(plaintext, out);
  EXPECT_TRUE(sealed.ok()) << sealed.error().detail;
  out.resize(sealed.ok() ? sealed.value() : 0);
  return out;
}

Result<std::vector<uint8_t>> open(MessageReceiver& receiver, const std::vector<uint8_t>& sealed) {
  std::vector<uint8_t> out(sealed.size());
  auto opened = receiver.open(sealed, out);
  if (!opened.ok()) return opened.error();
  out.resize(opened.value());
  return out;
}

struct Pair {
  MessageSender sender{context(), chain_key()};
  MessageReceiver receiver{context(), chain_key()};
};

TEST(MessageRatchet, RoundTripKeepsTextAndAdvancesCounters) {
  Pair pair;
  for (const std::string& text : std::vector<std::string>{"", "hi", "我的订单号是 12345", std::string(5000, 'x')}) {
    auto opened = open(pair.receiver, seal(pair.sender, bytes(text)));
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    EXPECT_EQ(opened.value(), bytes(text));
  }
  EXPECT_EQ(pair.sender.next_counter(), 4u);
  EXPECT_EQ(pair.receiver.next_counter(), 4u);
}

TEST(MessageRatchet, SamePlaintextNeverSealsTheSame) {
  Pair pair;
  const auto a = seal(pair.sender, bytes("same"));
  const auto b = seal(pair.sender, bytes("same"));
  EXPECT_NE(a, b);
  EXPECT_NE(std::vector<uint8_t>(a.begin() + 24, a.begin() + 32), std::vector<uint8_t>(b.begin() + 24, b.begin() + 32));
}

TEST(MessageRatchet, PaddingHidesLengthWithinABucket) {
  EXPECT_EQ(padded_message_bytes(0), 128u);
  EXPECT_EQ(padded_message_bytes(127), 128u);
  EXPECT_EQ(padded_message_bytes(128), 256u);
  EXPECT_EQ(padded_message_bytes(1200), 2048u);
  EXPECT_EQ(padded_message_bytes(4095), 4096u);
  EXPECT_EQ(padded_message_bytes(4096), 4352u);  // Padmé above 4 KiB
  Pair pair;
  EXPECT_EQ(seal(pair.sender, bytes("ok")).size(), seal(pair.sender, std::vector<uint8_t>(120, 'a')).size());
  // Padmé's overhead stays under 12 % above the power-of-two buckets.
  for (size_t n = 4096; n <= kMaxMessageBytes; n += 997) {
    EXPECT_GE(padded_message_bytes(n), n + 1);
    EXPECT_LE(padded_message_bytes(n), (n + 1) * 112 / 100) << n;
  }
}

TEST(MessageRatchet, TooLargeIsRejected) {
  Pair pair;
  std::vector<uint8_t> big(kMaxMessageBytes + 1, 'a');
  std::vector<uint8_t> out(sealed_message_bytes(kMaxMessageBytes) + 64);
  EXPECT_EQ(pair.sender.seal(big, out).status(), Status::too_large);
  big.pop_back();
  auto opened = open(pair.receiver, seal(pair.sender, big));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value().size(), kMaxMessageBytes);
}

TEST(MessageRatchet, SmallOutputBufferIsRejectedWithoutUsingACounter) {
  Pair pair;
  std::vector<uint8_t> out(sealed_message_bytes(10) - 1);
  EXPECT_EQ(pair.sender.seal(bytes("0123456789"), out).status(), Status::buffer_too_small);
  EXPECT_EQ(pair.sender.next_counter(), 0u);
}

TEST(MessageRatchet, EverySingleBitFlipIsRejected) {
  Pair pair;
  const auto plaintext = bytes("card 4111 1111 1111 1111, please refund");
  const auto sealed = seal(pair.sender, plaintext);
  ASSERT_EQ(sealed.size(), kRecordHeaderBytes + 128 + kMessageTagBytes);
  std::vector<uint8_t> out(sealed.size());
  for (size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    auto flipped = sealed;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    std::fill(out.begin(), out.end(), 0);
    auto opened = pair.receiver.open(flipped, out);
    ASSERT_FALSE(opened.ok()) << "bit " << bit << " of " << (bit / 8 < kRecordHeaderBytes ? "header" : "body");
    EXPECT_TRUE(std::search(out.begin(), out.end(), plaintext.begin(), plaintext.end()) == out.end());
  }
  // None of the failures moved the chain: the genuine message still opens.
  auto opened = open(pair.receiver, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value(), plaintext);
  EXPECT_EQ(pair.receiver.skipped_keys_held(), 0u);
}

TEST(MessageRatchet, ReplayIsRejected) {
  Pair pair;
  const auto sealed = seal(pair.sender, bytes("once"));
  ASSERT_TRUE(open(pair.receiver, sealed).ok());
  auto again = open(pair.receiver, sealed);
  EXPECT_EQ(again.status(), Status::replayed);
  EXPECT_EQ(status_name(again.status()), std::string("REPLAYED"));
}

TEST(MessageRatchet, ReorderingWithinTheWindowIsAccepted) {
  Pair pair;
  std::vector<std::vector<uint8_t>> sealed;
  for (int i = 0; i < 50; ++i) sealed.push_back(seal(pair.sender, bytes("message " + std::to_string(i))));
  std::vector<int> order(50);
  for (int i = 0; i < 50; ++i) order[i] = i;
  std::mt19937 rng(5);  // seed printed by the assertion below on failure
  std::shuffle(order.begin(), order.end(), rng);
  for (int i : order) {
    auto opened = open(pair.receiver, sealed[i]);
    ASSERT_TRUE(opened.ok()) << "message " << i << " (seed 5): " << opened.error().detail;
    EXPECT_EQ(opened.value(), bytes("message " + std::to_string(i)));
  }
  EXPECT_EQ(pair.receiver.skipped_keys_held(), 0u);
  for (int i : order) EXPECT_EQ(open(pair.receiver, sealed[i]).status(), Status::replayed);
}

TEST(MessageRatchet, JumpOfMoreThanTheWindowIsOutsideWindow) {
  Pair pair;
  std::vector<std::vector<uint8_t>> sealed;
  for (uint64_t i = 0; i <= kMessageWindow + 1; ++i) sealed.push_back(seal(pair.sender, bytes("m")));
  auto too_far = open(pair.receiver, sealed[kMessageWindow + 1]);  // would skip 1001 keys
  EXPECT_EQ(too_far.status(), Status::outside_window);
  EXPECT_NE(too_far.error().detail.find("1000"), std::string::npos);
  EXPECT_TRUE(open(pair.receiver, sealed[kMessageWindow]).ok());  // skips exactly 1000
  EXPECT_EQ(pair.receiver.skipped_keys_held(), kMessageWindow);
  EXPECT_TRUE(open(pair.receiver, sealed[0]).ok());
}

TEST(MessageRatchet, MessageTooFarBehindIsOutsideWindowAndKeysStayBounded) {
  Pair pair;
  std::vector<std::vector<uint8_t>> sealed;
  for (int i = 0; i < 1900; ++i) sealed.push_back(seal(pair.sender, bytes(std::to_string(i))));
  ASSERT_TRUE(open(pair.receiver, sealed[1000]).ok());
  ASSERT_TRUE(open(pair.receiver, sealed[1899]).ok());
  EXPECT_LE(pair.receiver.skipped_keys_held(), kMessageWindow);
  EXPECT_EQ(open(pair.receiver, sealed[898]).status(), Status::outside_window);  // 1001 behind the newest
  auto edge = open(pair.receiver, sealed[899]);                                  // exactly 1000 behind
  ASSERT_TRUE(edge.ok()) << edge.error().detail;
  EXPECT_EQ(edge.value(), bytes("899"));
  EXPECT_EQ(open(pair.receiver, sealed[1000]).status(), Status::replayed);
}

TEST(MessageRatchet, ForgedCounterDoesNotMoveTheChain) {
  Pair pair;
  const auto sealed = seal(pair.sender, bytes("hello"));
  auto forged = sealed;
  forged[31] = 200;  // counter 200: the receiver derives 200 keys, the tag fails, all are dropped
  EXPECT_EQ(open(pair.receiver, forged).status(), Status::auth_failed);
  EXPECT_EQ(pair.receiver.skipped_keys_held(), 0u);
  EXPECT_EQ(pair.receiver.next_counter(), 0u);
  EXPECT_TRUE(open(pair.receiver, sealed).ok());
}

TEST(MessageRatchet, RecordForAnotherChainIsUnknownKey) {
  MessageSender sender(context(), chain_key());
  const auto sealed = seal(sender, bytes("hi"));
  MessageReceiver other_direction(context(Direction::agent_to_customer), chain_key());
  EXPECT_EQ(open(other_direction, sealed).status(), Status::unknown_key);
  MessageReceiver other_epoch(context(Direction::customer_to_agent, 2), chain_key());
  EXPECT_EQ(open(other_epoch, sealed).status(), Status::unknown_key);
  MessageReceiver other_purpose(context(Direction::customer_to_agent, 1, 3), chain_key());
  EXPECT_EQ(open(other_purpose, sealed).status(), Status::unknown_key);
  MessageReceiver wrong_key(context(), chain_key(0x22));
  EXPECT_EQ(open(wrong_key, sealed).status(), Status::auth_failed);
}

TEST(MessageRatchet, MalformedRecordsAreTypedErrors) {
  Pair pair;
  auto sealed = seal(pair.sender, bytes("hi"));
  EXPECT_EQ(open(pair.receiver, std::vector<uint8_t>(sealed.begin(), sealed.begin() + 31)).status(), Status::malformed);
  EXPECT_EQ(open(pair.receiver, std::vector<uint8_t>(sealed.begin(), sealed.begin() + 40)).status(), Status::malformed);
  auto v2 = sealed;
  v2[0] = 2;
  EXPECT_EQ(open(pair.receiver, v2).status(), Status::unsupported_version);
  auto attachment = sealed;
  attachment[1] = static_cast<uint8_t>(RecordType::attachment);
  EXPECT_EQ(open(pair.receiver, attachment).status(), Status::malformed);
  std::vector<uint8_t> small(10);
  EXPECT_EQ(pair.receiver.open(sealed, small).status(), Status::buffer_too_small);
  EXPECT_TRUE(open(pair.receiver, sealed).ok());
}

TEST(MessageRatchet, OpensInPlace) {
  Pair pair;
  auto sealed = seal(pair.sender, bytes("in place"));
  auto opened = pair.receiver.open(sealed, std::span(sealed).subspan(kRecordHeaderBytes));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string(sealed.begin() + kRecordHeaderBytes, sealed.begin() + kRecordHeaderBytes + opened.value()), "in place");
}

// A fixed vector, cross-checked with an independent implementation (Python: HMAC-SHA256 for the
// chain step, HChaCha20 + the `cryptography` package's ChaCha20-Poly1305 for XChaCha20-Poly1305).
// The node tests open the same bytes with the WASM build: native and WASM agree byte for byte.
TEST(MessageRatchet, KnownAnswerVector) {
  MessageSender sender(context(), chain_key());
  const auto sealed = seal(sender, bytes("hello agent"));
  static const char* kExpected =
      "0101000102030405060708090a0b0c0d0e0f0000000100000000000000000000"  // header: v1, message, session, epoch 1, ...
      "1fe6af4087a1841a686e593f3f19547712c08115a9de6aa738418d52af6f9bfe03c5d9d572f9109306d1ab50aef38975f53ad3d407e7f6474a"
      "82519319b8d66f48a3dac0597228bceff73326f5b58eb365c20619200b8daa1148bc7446b52a451d49e96356838e5b20734f09daa4ef99690f"
      "0ff377280f49923feb59267cfd1deab1e1a9e1a6ab4be7625a5f1f8f0f03";
  std::string hex;
  for (uint8_t b : sealed) {
    static const char* digits = "0123456789abcdef";
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  EXPECT_EQ(hex, kExpected);
}

}  // namespace
}  // namespace sealdesk::crypto
