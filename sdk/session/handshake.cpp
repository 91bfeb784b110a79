#include "sdk/session/handshake.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "sdk/crypto/hkdf.h"
#include "sdk/crypto/library.h"

namespace sealdesk::session {
namespace {

using crypto::label_bytes;
using crypto::SecretBytes;

static_assert(crypto_scalarmult_BYTES == 32 && crypto_scalarmult_SCALARBYTES == 32);

// Offsets shared by the three messages: version | type | session id | epoch.
constexpr size_t kPrefixBytes = 1 + 1 + crypto::kSessionIdBytes + 4;  // 22
constexpr size_t kKeyBytes = 32;
constexpr size_t kHelloFixedBytes = kPrefixBytes + kKeyBytes + 1;     // + purpose count
constexpr size_t kReplyBodyBytes = kPrefixBytes + kKeyBytes + kKeyBytes;  // e_A, ID_A
constexpr size_t kFinishBodyBytes = kPrefixBytes + kKeyBytes;             // ID_C
static_assert(kReplyBodyBytes + crypto::kSignatureBytes + 32 == kHandshakeReplyBytes);
static_assert(kFinishBodyBytes + crypto::kSignatureBytes + 32 == kHandshakeFinishBytes);

constexpr const char* kTranscriptLabel = "SealDesk/1 handshake";
constexpr const char* kAgentSignatureContext = "SealDesk/1 agent signature";
constexpr const char* kCustomerSignatureContext = "SealDesk/1 customer signature";

void write_prefix(std::vector<uint8_t>& out, HandshakeType type, const SessionId& session_id, uint32_t epoch) {
  out.push_back(kHandshakeVersion);
  out.push_back(static_cast<uint8_t>(type));
  out.insert(out.end(), session_id.begin(), session_id.end());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(epoch >> shift));
}

struct Prefix {
  HandshakeType type;
  SessionId session_id;
  uint32_t epoch;
};

Result<Prefix> read_prefix(std::span<const uint8_t> message) {
  auto type = handshake_message_type(message);
  if (!type.ok()) return type.error();
  if (message.size() < kPrefixBytes) return Error{Status::malformed, "handshake message too short"};
  Prefix prefix{type.value(), {}, 0};
  std::memcpy(prefix.session_id.data(), message.data() + 2, crypto::kSessionIdBytes);
  for (size_t i = 0; i < 4; ++i) prefix.epoch = (prefix.epoch << 8) | message[18 + i];
  return prefix;
}

// SHA-256(label || parts...): the transcript hash.
std::array<uint8_t, kTranscriptHashBytes> transcript_hash(std::initializer_list<std::span<const uint8_t>> parts) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  auto label = label_bytes(kTranscriptLabel);
  crypto_hash_sha256_update(&state, label.data(), label.size());
  for (const auto& part : parts) crypto_hash_sha256_update(&state, part.data(), part.size());
  std::array<uint8_t, kTranscriptHashBytes> hash{};
  crypto_hash_sha256_final(&state, hash.data());
  return hash;
}

// context || hash: what an identity signs, so an agent signature can never pass as a customer's.
std::vector<uint8_t> signed_content(const char* context, std::span<const uint8_t, kTranscriptHashBytes> hash) {
  auto label = label_bytes(context);
  std::vector<uint8_t> content(label.begin(), label.end());
  content.push_back(0);
  content.insert(content.end(), hash.begin(), hash.end());
  return content;
}

void hmac(std::span<uint8_t, 32> out, const SecretBytes<32>& key, std::span<const uint8_t> data) {
  crypto_auth_hmacsha256(out.data(), data.data(), data.size(), key.data());
}

bool hmac_matches(std::span<const uint8_t> tag, const SecretBytes<32>& key, std::span<const uint8_t> data) {
  return tag.size() == 32 && crypto_auth_hmacsha256_verify(tag.data(), data.data(), data.size(), key.data()) == 0;
}

// PRK and the two confirmation keys from the X25519 secret and the transcript hash after the reply.
Status derive_handshake_keys(const SecretBytes<32>& shared, std::span<const uint8_t, kTranscriptHashBytes> hash2,
                             SecretBytes<32>& prk, SecretBytes<32>& agent_mac_key, SecretBytes<32>& customer_mac_key) {
  if (Status s = crypto::hkdf_sha256_extract(prk.span(), hash2, shared.span()); s != Status::ok) return s;
  if (Status s = crypto::hkdf_sha256_expand(agent_mac_key.span(), prk.span(), {label_bytes("SealDesk/1 agent confirm")});
      s != Status::ok) {
    return s;
  }
  return crypto::hkdf_sha256_expand(customer_mac_key.span(), prk.span(), {label_bytes("SealDesk/1 customer confirm")});
}

Status derive_master(const SecretBytes<32>& prk, std::span<const uint8_t, kTranscriptHashBytes> hash3,
                     SecretBytes<32>& master) {
  return crypto::hkdf_sha256_expand(master.span(), prk.span(), {label_bytes("SealDesk/1 epoch master"), hash3});
}

// 15 decimal digits in three groups, each from 5 bytes of SHA-256("SealDesk/1 safety code" || TH3)
// reduced mod 100000 (Signal's safety number construction, shortened): ~49.8 bits.
std::string safety_code(std::span<const uint8_t, kTranscriptHashBytes> hash3) {
  uint8_t digest[32];
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  auto label = label_bytes("SealDesk/1 safety code");
  crypto_hash_sha256_update(&state, label.data(), label.size());
  crypto_hash_sha256_update(&state, hash3.data(), hash3.size());
  crypto_hash_sha256_final(&state, digest);
  std::string code;
  for (int group = 0; group < 3; ++group) {
    uint64_t v = 0;
    for (int i = 0; i < 5; ++i) v = (v << 8) | digest[group * 5 + i];
    char digits[8];
    std::snprintf(digits, sizeof digits, "%05u", static_cast<unsigned>(v % 100000));
    if (group > 0) code.push_back(' ');
    code += digits;
  }
  return code;
}

// X25519 (RFC 7748). libsodium refuses an all-zero result (a low-order peer key).
Status x25519(SecretBytes<32>& shared, const SecretBytes<32>& secret, std::span<const uint8_t> peer_public) {
  if (crypto_scalarmult(shared.data(), secret.data(), peer_public.data()) != 0) {
    return Status::handshake_failed;
  }
  return Status::ok;
}

bool valid_purpose_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

}  // namespace

Status validate_purposes(std::span<const std::string> purposes) {
  if (purposes.empty() || purposes.size() > kMaxPurposes) return Status::invalid_argument;
  for (size_t i = 0; i < purposes.size(); ++i) {
    const std::string& id = purposes[i];
    if (id.empty() || id.size() > kMaxPurposeIdBytes || !std::all_of(id.begin(), id.end(), valid_purpose_char)) {
      return Status::invalid_argument;
    }
    for (size_t j = 0; j < i; ++j) {
      if (purposes[j] == id) return Status::invalid_argument;
    }
  }
  return Status::ok;
}

Result<HandshakeType> handshake_message_type(std::span<const uint8_t> message) {
  if (message.size() < 2) return Error{Status::malformed, "handshake message too short"};
  if (message[0] != kHandshakeVersion) {
    return Error{Status::unsupported_version, "handshake version " + std::to_string(message[0]) + ", this build speaks 1"};
  }
  switch (message[1]) {
    case static_cast<uint8_t>(HandshakeType::hello): return HandshakeType::hello;
    case static_cast<uint8_t>(HandshakeType::reply): return HandshakeType::reply;
    case static_cast<uint8_t>(HandshakeType::finish): return HandshakeType::finish;
    default: return Error{Status::malformed, "unknown handshake message type"};
  }
}

// --- customer ------------------------------------------------------------------------------

Result<CustomerHandshake> CustomerHandshake::start(const SessionId& session_id, uint32_t epoch,
                                                   const crypto::IdentityPublicKey& pinned_agent_key,
                                                   std::span<const std::string> purposes, std::vector<uint8_t>& hello) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  if (epoch == 0) return Error{Status::invalid_argument, "epochs start at 1"};
  if (validate_purposes(purposes) != Status::ok) {
    return Error{Status::invalid_argument, "purposes: 1 to 16 distinct ids of 1 to 32 characters [a-z0-9_.-]"};
  }
  CustomerHandshake handshake;
  handshake.session_id_ = session_id;
  handshake.epoch_ = epoch;
  handshake.pinned_agent_key_ = pinned_agent_key;
  handshake.purposes_.assign(purposes.begin(), purposes.end());
  randombytes_buf(handshake.ephemeral_secret_.data(), handshake.ephemeral_secret_.size());
  uint8_t ephemeral_public[kKeyBytes];
  crypto_scalarmult_base(ephemeral_public, handshake.ephemeral_secret_.data());

  hello.clear();
  write_prefix(hello, HandshakeType::hello, session_id, epoch);
  hello.insert(hello.end(), ephemeral_public, ephemeral_public + kKeyBytes);
  hello.push_back(static_cast<uint8_t>(purposes.size()));
  for (const std::string& id : purposes) {
    hello.push_back(static_cast<uint8_t>(id.size()));
    hello.insert(hello.end(), id.begin(), id.end());
  }
  handshake.hello_ = hello;
  return handshake;
}

Result<EstablishedEpoch> CustomerHandshake::finish(std::span<const uint8_t> reply,
                                                   const crypto::IdentityKey& customer_identity,
                                                   std::vector<uint8_t>& finish_message) const {
  auto prefix = read_prefix(reply);
  if (!prefix.ok()) return prefix.error();
  if (prefix.value().type != HandshakeType::reply) return Error{Status::handshake_failed, "expected the agent's reply"};
  if (reply.size() != kHandshakeReplyBytes) return Error{Status::malformed, "handshake reply must be 182 bytes"};
  if (prefix.value().session_id != session_id_ || prefix.value().epoch != epoch_) {
    return Error{Status::handshake_failed, "reply for another session or epoch"};
  }
  const auto agent_ephemeral = reply.subspan(kPrefixBytes, kKeyBytes);
  const auto agent_identity = reply.subspan(kPrefixBytes + kKeyBytes, kKeyBytes);
  const auto agent_signature = reply.subspan(kReplyBodyBytes, crypto::kSignatureBytes);
  const auto agent_mac = reply.subspan(kReplyBodyBytes + crypto::kSignatureBytes, 32);
  // The pin comes first: a relay that swaps in its own key is refused whatever it signed.
  if (!std::equal(agent_identity.begin(), agent_identity.end(), pinned_agent_key_.begin())) {
    return Error{Status::key_mismatch, "the agent's identity key is not the pinned agent desk key"};
  }
  const auto hash2 = transcript_hash({hello_, reply.first(kReplyBodyBytes)});
  const auto agent_signed = signed_content(kAgentSignatureContext, hash2);
  if (crypto::verify_signature(agent_signature, agent_signed, agent_identity) != Status::ok) {
    return Error{Status::handshake_failed, "the agent's signature does not verify"};
  }
  SecretBytes<32> shared;
  if (x25519(shared, ephemeral_secret_, agent_ephemeral) != Status::ok) {
    return Error{Status::handshake_failed, "the agent's ephemeral key is invalid"};
  }
  SecretBytes<32> prk, agent_mac_key, customer_mac_key;
  if (Status s = derive_handshake_keys(shared, hash2, prk, agent_mac_key, customer_mac_key); s != Status::ok) return s;
  if (!hmac_matches(agent_mac, agent_mac_key, hash2)) {
    return Error{Status::handshake_failed, "the agent's key confirmation does not verify"};
  }

  finish_message.clear();
  write_prefix(finish_message, HandshakeType::finish, session_id_, epoch_);
  const auto& own_key = customer_identity.public_key();
  finish_message.insert(finish_message.end(), own_key.begin(), own_key.end());
  const auto hash3 = transcript_hash({hello_, reply, finish_message});
  const crypto::Signature signature = customer_identity.sign(signed_content(kCustomerSignatureContext, hash3));
  finish_message.insert(finish_message.end(), signature.begin(), signature.end());
  std::array<uint8_t, 32> mac{};
  hmac(mac, customer_mac_key, hash3);
  finish_message.insert(finish_message.end(), mac.begin(), mac.end());

  EstablishedEpoch established;
  established.session_id = session_id_;
  established.epoch = epoch_;
  established.purposes = purposes_;
  if (Status s = derive_master(prk, hash3, established.master); s != Status::ok) return s;
  established.transcript_hash = hash3;
  std::copy(agent_identity.begin(), agent_identity.end(), established.peer_identity.begin());
  established.safety_code = safety_code(hash3);
  return established;
}

// --- agent ---------------------------------------------------------------------------------

Result<AgentHandshake> AgentHandshake::accept(std::span<const uint8_t> hello, const crypto::IdentityKey& agent_identity,
                                              std::vector<uint8_t>& reply) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  auto prefix = read_prefix(hello);
  if (!prefix.ok()) return prefix.error();
  if (prefix.value().type != HandshakeType::hello) return Error{Status::handshake_failed, "expected a customer hello"};
  if (hello.size() < kHelloFixedBytes) return Error{Status::malformed, "handshake hello too short"};
  if (prefix.value().epoch == 0) return Error{Status::malformed, "epoch 0 in hello"};
  AgentHandshake handshake;
  handshake.session_id_ = prefix.value().session_id;
  handshake.epoch_ = prefix.value().epoch;
  const auto customer_ephemeral = hello.subspan(kPrefixBytes, kKeyBytes);
  const size_t count = hello[kHelloFixedBytes - 1];
  size_t pos = kHelloFixedBytes;
  for (size_t i = 0; i < count; ++i) {
    if (pos >= hello.size()) return Error{Status::malformed, "hello purpose list cut short"};
    const size_t len = hello[pos++];
    if (pos + len > hello.size()) return Error{Status::malformed, "hello purpose list cut short"};
    handshake.purposes_.emplace_back(reinterpret_cast<const char*>(hello.data() + pos), len);
    pos += len;
  }
  if (pos != hello.size()) return Error{Status::malformed, "bytes after the hello purpose list"};
  if (validate_purposes(handshake.purposes_) != Status::ok) return Error{Status::malformed, "invalid purpose list in hello"};

  SecretBytes<32> ephemeral_secret, shared;
  randombytes_buf(ephemeral_secret.data(), ephemeral_secret.size());
  uint8_t ephemeral_public[kKeyBytes];
  crypto_scalarmult_base(ephemeral_public, ephemeral_secret.data());
  if (x25519(shared, ephemeral_secret, customer_ephemeral) != Status::ok) {
    return Error{Status::handshake_failed, "the customer's ephemeral key is invalid"};
  }

  reply.clear();
  write_prefix(reply, HandshakeType::reply, handshake.session_id_, handshake.epoch_);
  reply.insert(reply.end(), ephemeral_public, ephemeral_public + kKeyBytes);
  const auto& own_key = agent_identity.public_key();
  reply.insert(reply.end(), own_key.begin(), own_key.end());
  const auto hash2 = transcript_hash({hello, reply});
  const crypto::Signature signature = agent_identity.sign(signed_content(kAgentSignatureContext, hash2));
  reply.insert(reply.end(), signature.begin(), signature.end());
  SecretBytes<32> agent_mac_key;
  if (Status s = derive_handshake_keys(shared, hash2, handshake.prk_, agent_mac_key, handshake.customer_mac_key_);
      s != Status::ok) {
    return s;
  }
  std::array<uint8_t, 32> mac{};
  hmac(mac, agent_mac_key, hash2);
  reply.insert(reply.end(), mac.begin(), mac.end());

  handshake.transcript_.assign(hello.begin(), hello.end());
  handshake.transcript_.insert(handshake.transcript_.end(), reply.begin(), reply.end());
  return handshake;
}

Result<EstablishedEpoch> AgentHandshake::finish(std::span<const uint8_t> finish_message) const {
  auto prefix = read_prefix(finish_message);
  if (!prefix.ok()) return prefix.error();
  if (prefix.value().type != HandshakeType::finish) return Error{Status::handshake_failed, "expected the customer's finish"};
  if (finish_message.size() != kHandshakeFinishBytes) return Error{Status::malformed, "handshake finish must be 150 bytes"};
  if (prefix.value().session_id != session_id_ || prefix.value().epoch != epoch_) {
    return Error{Status::handshake_failed, "finish for another session or epoch"};
  }
  const auto customer_identity = finish_message.subspan(kPrefixBytes, kKeyBytes);
  const auto customer_signature = finish_message.subspan(kFinishBodyBytes, crypto::kSignatureBytes);
  const auto customer_mac = finish_message.subspan(kFinishBodyBytes + crypto::kSignatureBytes, 32);
  const auto hash3 = transcript_hash({transcript_, finish_message.first(kFinishBodyBytes)});
  if (crypto::verify_signature(customer_signature, signed_content(kCustomerSignatureContext, hash3), customer_identity) !=
      Status::ok) {
    return Error{Status::handshake_failed, "the customer's signature does not verify"};
  }
  if (!hmac_matches(customer_mac, customer_mac_key_, hash3)) {
    return Error{Status::handshake_failed, "the customer's key confirmation does not verify"};
  }
  EstablishedEpoch established;
  established.session_id = session_id_;
  established.epoch = epoch_;
  established.purposes = purposes_;
  if (Status s = derive_master(prk_, hash3, established.master); s != Status::ok) return s;
  established.transcript_hash = hash3;
  std::copy(customer_identity.begin(), customer_identity.end(), established.peer_identity.begin());
  established.safety_code = safety_code(hash3);
  return established;
}

}  // namespace sealdesk::session
