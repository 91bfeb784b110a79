#include "sdk/crypto/message_ratchet.h"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "sdk/crypto/aead.h"
#include "sdk/crypto/library.h"

namespace sealdesk::crypto {
namespace {

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kMessageKeyBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kMessageTagBytes);

constexpr size_t kSmallestBucket = 128;
constexpr size_t kLargestPowerOfTwoBucket = 4096;

void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
uint32_t get_u32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | p[i];
  return v;
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// KDF_CK from the Double Ratchet spec §5.2: message key = HMAC(ck, 0x01), next ck = HMAC(ck, 0x02).
void chain_step(SecretBytes<kChainKeyBytes>& chain_key, SecretBytes<kMessageKeyBytes>& message_key) {
  static const uint8_t kMessageConstant = 0x01;
  static const uint8_t kChainConstant = 0x02;
  // Both HMACs share the keyed inner and outer states (RFC 2104): hashed once, copied twice.
  crypto_auth_hmacsha256_state keyed;
  crypto_auth_hmacsha256_init(&keyed, chain_key.data(), kChainKeyBytes);
  crypto_auth_hmacsha256_state state = keyed;
  crypto_auth_hmacsha256_update(&state, &kMessageConstant, 1);
  crypto_auth_hmacsha256_final(&state, message_key.data());
  SecretBytes<kChainKeyBytes> next;
  state = keyed;
  crypto_auth_hmacsha256_update(&state, &kChainConstant, 1);
  crypto_auth_hmacsha256_final(&state, next.data());
  wipe(&keyed, sizeof keyed);
  wipe(&state, sizeof state);
  chain_key = std::move(next);
}

bool regions_overlap(const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len) {
  const auto a0 = reinterpret_cast<uintptr_t>(a);
  const auto b0 = reinterpret_cast<uintptr_t>(b);
  return a_len > 0 && b_len > 0 && a0 < b0 + b_len && b0 < a0 + a_len;
}

}  // namespace

void encode_record_header(const RecordHeader& header, std::span<uint8_t, kRecordHeaderBytes> out) {
  out[0] = kRecordVersion;
  out[1] = static_cast<uint8_t>(header.type);
  std::memcpy(out.data() + 2, header.session_id.data(), kSessionIdBytes);
  put_u32(out.data() + 18, header.epoch);
  out[22] = header.purpose;
  out[23] = static_cast<uint8_t>(header.direction);
  put_u64(out.data() + 24, header.counter);
}

Result<RecordHeader> parse_record_header(std::span<const uint8_t> record) {
  if (record.size() < kRecordHeaderBytes) return Error{Status::malformed, "record shorter than its 32-byte header"};
  if (record[0] != kRecordVersion) {
    return Error{Status::unsupported_version, "record version " + std::to_string(record[0]) + ", this build speaks 1"};
  }
  if (record[1] != static_cast<uint8_t>(RecordType::message) && record[1] != static_cast<uint8_t>(RecordType::attachment)) {
    return Error{Status::malformed, "unknown record type " + std::to_string(record[1])};
  }
  if (record[23] > 1) return Error{Status::malformed, "unknown record direction"};
  RecordHeader header;
  header.type = static_cast<RecordType>(record[1]);
  std::memcpy(header.session_id.data(), record.data() + 2, kSessionIdBytes);
  header.epoch = get_u32(record.data() + 18);
  header.purpose = record[22];
  header.direction = static_cast<Direction>(record[23]);
  header.counter = get_u64(record.data() + 24);
  return header;
}

size_t padded_message_bytes(size_t plaintext_len) {
  const size_t marked = plaintext_len + 1;
  if (marked <= kSmallestBucket) return kSmallestBucket;
  if (marked <= kLargestPowerOfTwoBucket) return std::bit_ceil(marked);
  // Padmé: keep the top S bits of the exponent's worth of mantissa, round the rest up.
  const unsigned exponent = static_cast<unsigned>(std::bit_width(marked) - 1);    // floor(log2 L)
  const unsigned exponent_bits = static_cast<unsigned>(std::bit_width(exponent));  // floor(log2 E) + 1
  const unsigned dropped_bits = exponent - exponent_bits;
  const size_t mask = (size_t{1} << dropped_bits) - 1;
  return (marked + mask) & ~mask;
}

size_t sealed_message_bytes(size_t plaintext_len) {
  return kRecordHeaderBytes + padded_message_bytes(plaintext_len) + kMessageTagBytes;
}

void record_nonce(std::span<const uint8_t, kRecordHeaderBytes> header, std::span<uint8_t, 24> nonce) {
  std::fill(nonce.begin(), nonce.end(), uint8_t{0});
  std::memcpy(nonce.data(), header.data() + 18, kRecordHeaderBytes - 18);
}

// --- sending ---------------------------------------------------------------

MessageSender::MessageSender(const ChainContext& context, std::span<const uint8_t, kChainKeyBytes> chain_key)
    : context_(context) {
  chain_key_.assign(chain_key);
}

Status MessageSender::next_record(RecordType type, std::span<uint8_t, kRecordHeaderBytes> header,
                                  SecretBytes<kMessageKeyBytes>& key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (next_counter_ == UINT64_MAX) return Status::too_large;  // 2^64 records: unreachable, but never wrap
  RecordHeader fields{type, context_.session_id, context_.epoch, context_.purpose, context_.direction, next_counter_};
  encode_record_header(fields, header);
  chain_step(chain_key_, key);
  ++next_counter_;  // consumed even if the caller fails later: a counter is never reused
  return Status::ok;
}

Result<size_t> MessageSender::seal(std::span<const uint8_t> plaintext, std::span<uint8_t> out) {
  if (plaintext.size() > kMaxMessageBytes) {
    return Error{Status::too_large, "message of " + std::to_string(plaintext.size()) + " bytes; the maximum is 65536"};
  }
  const size_t padded = padded_message_bytes(plaintext.size());
  const size_t sealed = kRecordHeaderBytes + padded + kMessageTagBytes;
  if (out.size() < sealed) return Error{Status::buffer_too_small, "sealed message needs " + std::to_string(sealed) + " bytes"};
  if (regions_overlap(plaintext.data(), plaintext.size(), out.data(), sealed)) {
    return Error{Status::invalid_argument, "plaintext and output overlap"};
  }
  SecretBytes<kMessageKeyBytes> key;
  auto header = out.first<kRecordHeaderBytes>();
  if (Status s = next_record(RecordType::message, header, key); s != Status::ok) return s;

  uint8_t* body = out.data() + kRecordHeaderBytes;
  if (!plaintext.empty()) std::memcpy(body, plaintext.data(), plaintext.size());
  body[plaintext.size()] = 0x80;
  std::memset(body + plaintext.size() + 1, 0, padded - plaintext.size() - 1);

  uint8_t nonce[24];
  record_nonce(header, std::span<uint8_t, 24>(nonce));
  xchacha20poly1305_seal(body, body, padded, header, nonce, key.data(), body + padded);
  return sealed;
}

// --- receiving -------------------------------------------------------------

MessageReceiver::MessageReceiver(const ChainContext& context, std::span<const uint8_t, kChainKeyBytes> chain_key)
    : context_(context) {
  chain_key_.assign(chain_key);
}

Status MessageReceiver::check_header(const RecordHeader& header) const {
  if (header.session_id != context_.session_id || header.epoch != context_.epoch ||
      header.purpose != context_.purpose || header.direction != context_.direction) {
    return Status::unknown_key;
  }
  return Status::ok;
}

void MessageReceiver::evict_old_skipped_keys() {
  if (next_counter_ <= kMessageWindow + 1) return;
  const uint64_t oldest_kept = next_counter_ - 1 - kMessageWindow;
  for (size_t i = 0; i < skipped_.size();) {
    if (skipped_[i].counter < oldest_kept) {
      if (i + 1 != skipped_.size()) skipped_[i] = std::move(skipped_.back());
      skipped_.pop_back();  // the destructor wipes the key
    } else {
      ++i;
    }
  }
}

Status MessageReceiver::open_record(const RecordHeader& header,
                                    FunctionRef<Status(std::span<const uint8_t, kMessageKeyBytes>)> use) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (Status s = check_header(header); s != Status::ok) return s;
  const uint64_t counter = header.counter;

  if (counter >= next_counter_) {
    if (counter - next_counter_ > kMessageWindow) return Status::outside_window;
    const size_t mark = skipped_.size();
    if (counter > next_counter_ && skipped_.capacity() < 2 * kMessageWindow + 1) {
      skipped_.reserve(2 * kMessageWindow + 1);  // once: keys never move between homes afterwards
    }
    SecretBytes<kChainKeyBytes> chain;
    chain.assign(chain_key_.span());
    for (uint64_t c = next_counter_; c < counter; ++c) {
      SkippedKey& skipped = skipped_.emplace_back();
      skipped.counter = c;
      chain_step(chain, skipped.key);
    }
    SecretBytes<kMessageKeyBytes> key;
    chain_step(chain, key);
    if (Status s = use(key.span()); s != Status::ok) {
      skipped_.resize(mark);  // roll back: a forged header must not move the chain
      return s;
    }
    chain_key_ = std::move(chain);
    next_counter_ = counter + 1;
    evict_old_skipped_keys();
    return Status::ok;
  }

  if (next_counter_ - 1 - counter > kMessageWindow) return Status::outside_window;
  auto held = std::find_if(skipped_.begin(), skipped_.end(), [&](const SkippedKey& k) { return k.counter == counter; });
  if (held == skipped_.end()) return Status::replayed;
  if (Status s = use(held->key.span()); s != Status::ok) return s;
  if (held + 1 != skipped_.end()) *held = std::move(skipped_.back());
  skipped_.pop_back();
  return Status::ok;
}

Result<size_t> MessageReceiver::open(std::span<const uint8_t> sealed, std::span<uint8_t> out) {
  auto parsed = parse_record_header(sealed);
  if (!parsed.ok()) return parsed.error();
  const RecordHeader& header = parsed.value();
  if (header.type != RecordType::message) return Error{Status::malformed, "record is not a message"};
  if (sealed.size() < kRecordHeaderBytes + 1 + kMessageTagBytes) return Error{Status::malformed, "message too short"};
  const size_t padded = sealed.size() - kRecordHeaderBytes - kMessageTagBytes;
  if (padded > padded_message_bytes(kMaxMessageBytes)) return Error{Status::too_large, "sealed message over the maximum"};
  if (out.size() < padded) return Error{Status::buffer_too_small, "output needs " + std::to_string(padded) + " bytes"};
  const uint8_t* ciphertext = sealed.data() + kRecordHeaderBytes;
  const bool in_place = out.data() == ciphertext;
  if (!in_place && regions_overlap(sealed.data(), sealed.size(), out.data(), padded)) {
    return Error{Status::invalid_argument, "output overlaps the sealed message"};
  }
  auto header_bytes = sealed.first<kRecordHeaderBytes>();
  uint8_t nonce[24];
  record_nonce(header_bytes, std::span<uint8_t, 24>(nonce));

  size_t plaintext_len = 0;
  auto try_key = [&](std::span<const uint8_t, kMessageKeyBytes> key) -> Status {
    if (!xchacha20poly1305_open(out.data(), ciphertext, padded, header_bytes, nonce, key.data(), ciphertext + padded)) {
      return Status::auth_failed;
    }
    // Strip ISO/IEC 7816-4 padding: the last non-zero byte must be the 0x80 marker.
    size_t end = padded;
    while (end > 0 && out[end - 1] == 0) --end;
    if (end == 0 || out[end - 1] != 0x80) {
      wipe(out.data(), padded);
      return Status::malformed;
    }
    plaintext_len = end - 1;
    return Status::ok;
  };
  Status s = open_record(header, try_key);
  if (s == Status::ok) return plaintext_len;
  switch (s) {
    case Status::unknown_key: return Error{s, "message is not for this chain (session, epoch, purpose or direction)"};
    case Status::replayed: return Error{s, "message counter " + std::to_string(header.counter) + " was already opened"};
    case Status::outside_window:
      return Error{s, "message counter " + std::to_string(header.counter) + " is outside the window of 1000"};
    case Status::auth_failed: return Error{s, "message does not authenticate"};
    case Status::malformed: return Error{s, "message padding is invalid"};
    default: return s;
  }
}

}  // namespace sealdesk::crypto
