// sdk/desk bindings: the relay payload, attachment parts and plaintext, record bodies, the send
// path and the inboxes. Raw functions take heap offsets + lengths and return >= 0 or -Status; kinds and
// body types cross by name. js/core/desk.js wraps them.
#include <string>
#include <vector>

#include "sdk/desk/chat_send.h"
#include "sdk/desk/inbox.h"
#include "sdk/desk/left_message.h"
#include "sdk/desk/payload.h"
#include "sdk/desk/record_body.h"
#include "sdk/desk/reveal_key.h"
#include "sdk/crypto/library.h"
#include "wasm/common.h"
#include "wasm/consent_handle.h"
#include "wasm/pii_handle.h"

namespace sealdesk::wasm {
namespace {

using desk::AttachmentMeta;
using desk::PartAssembler;
using desk::PayloadKind;
using emscripten::val;

// { kind, offset, length, id, index, count } of a payload at the heap offset, or null.
val decode_payload(HeapPtr payload, size_t len) {
  auto decoded = desk::decode_payload(heap_view(payload, len));
  if (!decoded.ok()) {
    to_int(decoded.error());
    return val::null();
  }
  val out = val::object();
  out.set("kind", std::string(desk::payload_kind_name(decoded.value().kind)));
  out.set("offset", static_cast<uint32_t>(decoded.value().bytes.data() - reinterpret_cast<const uint8_t*>(payload)));
  out.set("length", static_cast<uint32_t>(decoded.value().bytes.size()));
  if (decoded.value().kind == PayloadKind::part) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (uint8_t b : decoded.value().attachment) {
      id.push_back(kHex[b >> 4]);
      id.push_back(kHex[b & 15]);
    }
    out.set("id", id);
    out.set("index", decoded.value().index);
    out.set("count", decoded.value().count);
  }
  return out;
}

bool kind_of(const std::string& name, PayloadKind& kind) {
  for (PayloadKind k : {PayloadKind::handshake, PayloadKind::record, PayloadKind::part, PayloadKind::live_audio}) {
    if (name == desk::payload_kind_name(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

int32_t encode_payload(const std::string& kind_name, HeapPtr bytes, size_t len, HeapPtr out, size_t out_len) {
  PayloadKind kind{};
  if (!kind_of(kind_name, kind)) return fail(Status::invalid_argument, "unknown payload kind");
  return to_int(desk::encode_payload(kind, heap_view(bytes, len), heap_span(out, out_len)));
}

int32_t part_count(size_t sealed_len) { return to_int(desk::part_count(sealed_len)); }

// One part of the sealed attachment; id: 8 random bytes at the heap offset.
int32_t encode_part(HeapPtr id, int32_t index, HeapPtr sealed, size_t sealed_len, HeapPtr out, size_t out_len) {
  if (index < 0 || index > 0xFFFF) return fail(Status::invalid_argument, "part index out of range");
  desk::AttachmentId attachment{};
  const auto source = heap_view(id, attachment.size());
  std::copy(source.begin(), source.end(), attachment.begin());
  return to_int(desk::encode_part(attachment, static_cast<uint16_t>(index), heap_view(sealed, sealed_len), heap_span(out, out_len)));
}

PartAssembler* create_assembler(int32_t max_pending, double max_buffered, double expiry_ms) {
  if (max_pending < 1 || max_buffered < 1 || expiry_ms < 1) {
    fail(Status::invalid_argument, "assembler limits must be positive");
    return nullptr;
  }
  return new PartAssembler(PartAssembler::Limits{static_cast<size_t>(max_pending), static_cast<size_t>(max_buffered),
                                                 static_cast<uint64_t>(expiry_ms)});
}

// 1 when the part completed its attachment (then take()), 0 when more parts are due, -Status.
int32_t assembler_add(PartAssembler& assembler, HeapPtr payload, size_t len, double now_ms) {
  auto decoded = desk::decode_payload(heap_view(payload, len));
  if (!decoded.ok()) return to_int(decoded.error());
  auto added = assembler.add(decoded.value(), static_cast<uint64_t>(now_ms));
  if (!added.ok()) return to_int(added.error());
  return added.value() ? 1 : 0;
}

val assembler_take(PartAssembler& assembler) { return output_view(assembler.take()); }
int32_t assembler_expire(PartAssembler& assembler, double now_ms) { return static_cast<int32_t>(assembler.expire(static_cast<uint64_t>(now_ms))); }
int32_t assembler_pending(const PartAssembler& assembler) { return static_cast<int32_t>(assembler.pending()); }
double assembler_buffered(const PartAssembler& assembler) { return static_cast<double>(assembler.buffered_bytes()); }

AttachmentMeta meta_of(const val& meta) {
  AttachmentMeta out;
  out.id = meta["id"].as<std::string>();
  out.kind = meta["kind"].as<std::string>();
  out.mime = meta["mime"].as<std::string>();
  out.duration_ms = meta["durationMs"].as<double>();
  out.at_ms = meta["at"].as<double>();
  return out;
}

// meta: { id, kind, mime, durationMs, at } (the JS wrapper fills every field).
val encode_attachment(val meta, HeapPtr file, size_t file_len) {
  const AttachmentMeta m = meta_of(meta);
  std::vector<uint8_t> out(desk::attachment_plaintext_bytes(m, file_len));
  auto n = desk::encode_attachment(m, heap_view(file, file_len), out);
  if (!n.ok()) {
    to_int(n.error());
    return val::null();
  }
  return output_view(std::move(out));  // the JS wrapper copies and wipes it
}

// { meta, offset, length } of the file inside the plaintext, or null.
val decode_attachment(HeapPtr plaintext, size_t len, double now_ms) {
  auto decoded = desk::decode_attachment(heap_view(plaintext, len), now_ms);
  if (!decoded.ok()) {
    to_int(decoded.error());
    return val::null();
  }
  const auto& m = decoded.value().meta;
  val meta = val::object();
  meta.set("id", m.id);
  meta.set("kind", m.kind);
  meta.set("mime", m.mime);
  meta.set("durationMs", m.duration_ms);
  meta.set("at", m.at_ms);
  val out = val::object();
  out.set("meta", meta);
  out.set("offset", static_cast<uint32_t>(decoded.value().file.data() - reinterpret_cast<const uint8_t*>(plaintext)));
  out.set("length", static_cast<uint32_t>(decoded.value().file.size()));
  return out;
}

// The checked body as UTF-8 JSON, or null.
val encode_body(const std::string& json_text, double consent_seq) {
  if (!(consent_seq >= 0)) {
    fail(Status::invalid_argument, "consent sequence must be a count");
    return val::null();
  }
  auto body = desk::encode_body(json_text, static_cast<uint64_t>(consent_seq));
  if (!body.ok()) {
    to_int(body.error());
    return val::null();
  }
  return val(body.value());
}

// { type, purpose, json, revealGranted } of an opened record (sdk/desk/inbox.h), or null with the
// error kept.
val inbound_view(Status status, desk::InboundRecord& in, const std::string& why) {
  if (status != Status::ok) {
    fail(status, why);
    return val::null();
  }
  val out = val::object();
  out.set("type", std::string(desk::body_type_name(in.type)));
  out.set("purpose", in.purpose);
  out.set("json", in.json);
  out.set("revealGranted", in.reveal_granted);
  out.set("privacyMode", in.privacy_mode);
  crypto::wipe(in.json.data(), in.json.size());
  return out;
}

val inbox_receive(desk::AgentInbox& inbox, session::Session& session, HeapPtr sealed, size_t len, double now_ms) {
  desk::InboundRecord in;
  std::string why;
  const Status s = inbox.receive(session, heap_view(sealed, len), now_ms, in, &why);
  return inbound_view(s, in, why);
}

val inbox_receive_left(desk::AgentInbox& inbox, session::Session& session, const crypto::IdentityKey& desk_identity,
                       const std::string& relay_session, HeapPtr sealed, size_t len, double now_ms) {
  desk::InboundRecord in;
  std::string why;
  const Status s = inbox.receive_left(session, desk_identity, relay_session, heap_view(sealed, len), now_ms, in, &why);
  return inbound_view(s, in, why);
}

val inbox_stopped(const desk::AgentInbox& inbox) {
  val out = val::array();
  for (const std::string& p : inbox.stopped()) out.call<void>("push", p);
  return out;
}

bool inbox_closed(const desk::AgentInbox& inbox, const session::Session& session) { return inbox.closed(session); }

val customer_receive(session::Session& session, HeapPtr sealed, size_t len, double now_ms) {
  desk::InboundRecord in;
  std::string why;
  const Status s = desk::customer_receive(session, heap_view(sealed, len), now_ms, in, &why);
  return inbound_view(s, in, why);
}

desk::RevealKey* create_reveal_key() { return handle_or_null(desk::RevealKey::generate()); }

int32_t reveal_public_key(const desk::RevealKey& key, HeapPtr out) {
  std::copy(key.public_key().begin(), key.public_key().end(), heap_span(out, key.public_key().size()).begin());
  return static_cast<int32_t>(key.public_key().size());
}

// { type, text } of a token, or null. The core's copy of the original is wiped here.
val reveal_open(const desk::RevealKey& key, const std::string& token) {
  auto opened = key.open(token);
  if (!opened.ok()) {
    to_int(opened.error());
    return val::null();
  }
  val out = val::object();
  out.set("type", opened.value().type);
  out.set("text", opened.value().text);
  crypto::wipe(opened.value().text.data(), opened.value().text.size());
  return out;
}

// { payload, text, findings } of what the customer's side just masked and sealed.
val masked_view(const PiiMaskerHandle& handle, const std::vector<uint8_t>& payload) {
  val findings = val::array();
  for (const pii::Finding& f : handle.result.findings) {
    val one = val::object();
    one.set("type", std::string(f.type));
    one.set("start", f.start_utf16);
    one.set("end", f.end_utf16);
    one.set("style", std::string(pii::style_name(f.style)));
    one.set("maskedStart", f.masked_start_utf16);
    one.set("maskedEnd", f.masked_end_utf16);
    findings.call<void>("push", one);
  }
  val out = val::object();
  out.set("text", handle.result.text);
  out.set("findings", findings);
  out.set("payload", val(emscripten::typed_memory_view(payload.size(), payload.data())).call<val>("slice"));
  return out;
}

// The customer's send path in one call (sdk/desk/chat_send.h): { payload, text, findings } or null
// with the error kept. masker: the PiiMaskerHandle's heap offset; text: UTF-8 at the heap offset.
// reveal_key: the agent's reveal key (32 bytes at the heap offset) or reveal_len 0 for none.
val seal_chat(const ConsentHandle& engine, HeapPtr masker, session::Session& session, HeapPtr text, size_t text_len,
              const std::string& id, double now_ms, double consent_seq, HeapPtr reveal_key, size_t reveal_len) {
  if (!(now_ms >= 0) || !(consent_seq >= 0)) {
    fail(Status::invalid_argument, "time and consent sequence must be counts");
    return val::null();
  }
  auto& handle = *reinterpret_cast<PiiMaskerHandle*>(masker);
  std::vector<uint8_t> payload;
  std::string why;
  const Status s = desk::seal_chat_message(engine.engine(), handle.masker, session,
                                           {reinterpret_cast<const char*>(text), text_len}, id,
                                           static_cast<int64_t>(now_ms), static_cast<uint64_t>(consent_seq), handle.result,
                                           payload, &why, reveal_len ? heap_view(reveal_key, reveal_len) : std::span<const uint8_t>());
  if (s != Status::ok) {
    handle.wipe();
    fail(s, why);
    return val::null();
  }
  val out = masked_view(handle, payload);
  handle.wipe();
  return out;
}

// A message left while no agent accepted (sdk/desk/left_message.h): { payload, text, findings }
// or null. desk_key: the pinned agent desk key (32 bytes) at the heap offset; text and contact UTF-8.
val seal_left(const ConsentHandle& engine, HeapPtr masker, const crypto::IdentityKey& customer, HeapPtr desk_key,
              const std::string& relay_session, HeapPtr text, size_t text_len, HeapPtr contact, size_t contact_len,
              const std::string& id, double now_ms) {
  if (!(now_ms >= 0)) {
    fail(Status::invalid_argument, "time must be a count");
    return val::null();
  }
  auto& handle = *reinterpret_cast<PiiMaskerHandle*>(masker);
  std::vector<uint8_t> payload;
  std::string why;
  const Status s = desk::seal_left_message(engine.engine(), handle.masker, customer, heap_view(desk_key, crypto::kIdentityPublicKeyBytes),
                                           relay_session, {reinterpret_cast<const char*>(text), text_len},
                                           {reinterpret_cast<const char*>(contact), contact_len}, id,
                                           static_cast<int64_t>(now_ms), handle.result, payload, &why);
  if (s != Status::ok) {
    handle.wipe();
    fail(s, why);
    return val::null();
  }
  val out = masked_view(handle, payload);
  handle.wipe();
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_desk) {
  using emscripten::allow_raw_pointers;
  emscripten::constant("DESK_PART_BYTES", desk::kPartBytes);
  emscripten::constant("DESK_PART_HEADER_BYTES", desk::kPartHeaderBytes);
  emscripten::constant("DESK_MAX_ATTACHMENT_BYTES", desk::kMaxAttachmentBytes);
  emscripten::constant("DESK_MAX_TEXT_UNITS", desk::kMaxTextUnits);
  emscripten::function("_deskDecodePayload", &decode_payload);
  emscripten::function("_deskEncodePayload", &encode_payload);
  emscripten::function("_deskPartCount", &part_count);
  emscripten::function("_deskEncodePart", &encode_part);
  emscripten::function("_deskEncodeAttachment", &encode_attachment);
  emscripten::function("_deskDecodeAttachment", &decode_attachment);
  emscripten::function("_deskCustomerReceive", &customer_receive);
  emscripten::function("_deskSealChat", &seal_chat, allow_raw_pointers());
  emscripten::function("_deskSealLeft", &seal_left, allow_raw_pointers());
  emscripten::function("_deskEncodeBody", &encode_body);
  emscripten::class_<PartAssembler>("PartAssembler")
      .class_function("_create", &create_assembler, allow_raw_pointers())
      .function("_add", &assembler_add)
      .function("_take", &assembler_take)
      .function("expire", &assembler_expire)
      .function("pending", &assembler_pending)
      .function("bufferedBytes", &assembler_buffered)
      .function("clear", &PartAssembler::clear);
  emscripten::class_<desk::RevealKey>("RevealKey")
      .class_function("_generate", &create_reveal_key, allow_raw_pointers())
      .function("_publicKey", &reveal_public_key)
      .function("_open", &reveal_open)
      .function("wipe", &desk::RevealKey::wipe)
      .function("wiped", &desk::RevealKey::wiped);
  emscripten::class_<desk::AgentInbox>("AgentInbox")
      .constructor<>()
      .function("_receive", &inbox_receive)
      .function("_receiveLeft", &inbox_receive_left)
      .function("stopped", &inbox_stopped)
      .function("closed", &inbox_closed)
      .function("privacyMode", &desk::AgentInbox::privacy_mode)
      .function("end", &desk::AgentInbox::end);
}

}  // namespace sealdesk::wasm
