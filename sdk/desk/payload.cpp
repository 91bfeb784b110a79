#include "sdk/desk/payload.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace sealdesk::desk {
namespace {

using nlohmann::json;

uint16_t read_u16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
void write_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void write_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}
uint32_t read_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

std::string meta_json(const AttachmentMeta& meta) {
  json doc = {{"id", meta.id}, {"kind", meta.kind}, {"mime", meta.mime}, {"durationMs", meta.duration_ms}, {"at", meta.at_ms}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A prefix of at most max_chars characters (code points) of valid UTF-8.
std::string clip(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<uint8_t>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars) return text.substr(0, i);
  }
  return text;
}

double finite_or(const json& value, double fallback) {
  if (!value.is_number()) return fallback;
  const double v = value.get<double>();
  return std::isfinite(v) ? v : fallback;
}

}  // namespace

const char* payload_kind_name(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::handshake: return "handshake";
    case PayloadKind::record: return "record";
    case PayloadKind::part: return "part";
    case PayloadKind::live_audio: return "liveAudio";
    case PayloadKind::left: return "left";
  }
  return "unknown";
}

Result<Payload> decode_payload(std::span<const uint8_t> payload) {
  if (payload.size() < 2 || payload[0] < 0x01 || payload[0] > 0x05) return Error{Status::malformed, "not a SealDesk payload"};
  Payload out;
  out.kind = static_cast<PayloadKind>(payload[0]);
  if (out.kind != PayloadKind::part) {
    out.bytes = payload.subspan(1);
    return out;
  }
  if (payload.size() <= kPartHeaderBytes) return Error{Status::malformed, "attachment part too short"};
  std::copy_n(payload.begin() + 1, kAttachmentIdBytes, out.attachment.begin());
  out.index = read_u16(payload.data() + 9);
  out.count = read_u16(payload.data() + 11);
  if (out.count == 0 || out.index >= out.count || out.count > kMaxParts) {
    return Error{Status::malformed, "attachment part numbering is invalid"};
  }
  out.bytes = payload.subspan(kPartHeaderBytes);
  if (out.bytes.size() > kPartBytes) return Error{Status::malformed, "attachment part larger than a part"};
  return out;
}

Result<size_t> encode_payload(PayloadKind kind, std::span<const uint8_t> bytes, std::span<uint8_t> out) {
  if (kind == PayloadKind::part) return Error{Status::invalid_argument, "parts are written by encode_part"};
  if (bytes.empty()) return Error{Status::invalid_argument, "an empty payload is not sent"};
  if (out.size() < 1 + bytes.size()) return Error{Status::buffer_too_small, "payload needs 1 + its bytes"};
  out[0] = static_cast<uint8_t>(kind);
  std::copy(bytes.begin(), bytes.end(), out.begin() + 1);
  return 1 + bytes.size();
}

Result<uint16_t> part_count(size_t sealed_len) {
  if (sealed_len > kMaxAttachmentBytes) {
    return Error{Status::too_large, "attachments are at most " + std::to_string(kMaxAttachmentBytes) + " bytes sealed"};
  }
  return static_cast<uint16_t>(std::max<size_t>(1, (sealed_len + kPartBytes - 1) / kPartBytes));
}

Result<size_t> encode_part(const AttachmentId& id, uint16_t index, std::span<const uint8_t> sealed, std::span<uint8_t> out) {
  auto count = part_count(sealed.size());
  if (!count.ok()) return count.error();
  if (index >= count.value()) return Error{Status::invalid_argument, "part index past the last part"};
  const auto share = sealed.subspan(size_t{index} * kPartBytes, std::min(kPartBytes, sealed.size() - size_t{index} * kPartBytes));
  if (out.size() < kPartHeaderBytes + share.size()) return Error{Status::buffer_too_small, "a part needs its header and share"};
  out[0] = static_cast<uint8_t>(PayloadKind::part);
  std::copy(id.begin(), id.end(), out.begin() + 1);
  write_u16(out.data() + 9, index);
  write_u16(out.data() + 11, count.value());
  std::copy(share.begin(), share.end(), out.begin() + kPartHeaderBytes);
  return kPartHeaderBytes + share.size();
}

// --- PartAssembler ---------------------------------------------------------------------------
// Parts are ciphertext (the whole opens only in Session::open_attachment), so buffers need no
// wiping; the bounds are what protects this side.

Result<bool> PartAssembler::add(const Payload& part, uint64_t now_ms) {
  if (part.kind != PayloadKind::part) return Error{Status::invalid_argument, "not an attachment part"};
  expire(now_ms);
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.id == part.attachment; });
  if (it == pending_.end()) {
    if (part.index != 0) return Error{Status::malformed, "attachment part out of order"};
    if (pending_.size() >= limits_.max_pending) {
      return Error{Status::outside_window, "too many attachments arriving at once: this one was dropped"};
    }
    pending_.push_back(Pending{part.attachment, part.count, 0, now_ms, {}});
    it = pending_.end() - 1;
  }
  const auto index = static_cast<size_t>(it - pending_.begin());
  if (part.count != it->count || part.index != it->next) {
    drop(index);
    return Error{Status::malformed, "attachment part out of order"};
  }
  if (part.index + 1 < part.count && part.bytes.size() != kPartBytes) {
    drop(index);
    return Error{Status::malformed, "only the last part of an attachment may be short"};
  }
  const size_t total = buffered_bytes() + part.bytes.size();
  if (total > limits_.max_buffered || it->bytes.size() + part.bytes.size() > kMaxAttachmentBytes) {
    drop(index);
    return Error{Status::too_large, "attachment parts over the buffer limit: dropped"};
  }
  it->bytes.insert(it->bytes.end(), part.bytes.begin(), part.bytes.end());
  it->last_ms = now_ms;
  if (++it->next < it->count) return false;
  complete_ = std::move(it->bytes);
  pending_.erase(it);
  return true;
}

std::vector<uint8_t> PartAssembler::take() { return std::exchange(complete_, {}); }

size_t PartAssembler::expire(uint64_t now_ms) {
  size_t dropped = 0;
  for (size_t i = pending_.size(); i-- > 0;) {
    if (now_ms > pending_[i].last_ms && now_ms - pending_[i].last_ms > limits_.expiry_ms) {
      drop(i);
      ++dropped;
    }
  }
  return dropped;
}

size_t PartAssembler::buffered_bytes() const {
  size_t total = complete_.size();
  for (const auto& p : pending_) total += p.bytes.size();
  return total;
}

void PartAssembler::drop(size_t index) { pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index)); }

void PartAssembler::clear() {
  pending_.clear();
  complete_.clear();
}

// --- attachment plaintext --------------------------------------------------------------------

size_t attachment_plaintext_bytes(const AttachmentMeta& meta, size_t file_len) { return 4 + meta_json(meta).size() + file_len; }

Result<size_t> encode_attachment(const AttachmentMeta& meta, std::span<const uint8_t> file, std::span<uint8_t> out) {
  if (meta.id.empty() || meta.id.size() > 64 || meta.kind.empty() || meta.kind.size() > 32 || meta.mime.size() > 100) {
    return Error{Status::invalid_argument, "attachment meta needs an id (<= 64), a kind (<= 32) and a mime type (<= 100)"};
  }
  const std::string text = meta_json(meta);
  if (text.size() > kMaxAttachmentMetaBytes) return Error{Status::too_large, "attachment meta too large"};
  const size_t needed = 4 + text.size() + file.size();
  if (out.size() < needed) return Error{Status::buffer_too_small, "attachment needs " + std::to_string(needed) + " bytes"};
  write_u32(out.data(), static_cast<uint32_t>(text.size()));
  std::copy(text.begin(), text.end(), out.begin() + 4);
  std::copy(file.begin(), file.end(), out.begin() + 4 + static_cast<std::ptrdiff_t>(text.size()));
  return needed;
}

Result<DecodedAttachment> decode_attachment(std::span<const uint8_t> plaintext, double now_ms) {
  if (plaintext.size() < 4) return Error{Status::malformed, "attachment too short"};
  const uint32_t length = read_u32(plaintext.data());
  if (length > kMaxAttachmentMetaBytes || size_t{4} + length > plaintext.size()) {
    return Error{Status::malformed, "attachment meta is malformed"};
  }
  const auto meta_bytes = plaintext.subspan(4, length);
  const json doc = json::parse(meta_bytes.begin(), meta_bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error{Status::malformed, "attachment meta is not UTF-8 JSON"};
  if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string() || !doc.contains("kind") || !doc["kind"].is_string()) {
    return Error{Status::malformed, "attachment meta lacks an id or a kind"};
  }
  DecodedAttachment out;
  out.meta.id = doc["id"].get<std::string>();
  if (out.meta.id.empty() || out.meta.id.size() > 64) return Error{Status::malformed, "attachment id is malformed"};
  out.meta.kind = clip(doc["kind"].get<std::string>(), 32);
  out.meta.mime = doc.contains("mime") && doc["mime"].is_string() ? clip(doc["mime"].get<std::string>(), 100)
                                                                  : std::string("application/octet-stream");
  out.meta.duration_ms = doc.contains("durationMs") ? std::max(0.0, finite_or(doc["durationMs"], 0)) : 0;
  out.meta.at_ms = doc.contains("at") ? finite_or(doc["at"], now_ms) : now_ms;
  out.file = plaintext.subspan(4 + length);
  return out;
}

}  // namespace sealdesk::desk
