// sdk/session bindings: the Session handle. Raw methods take heap offsets + lengths and return
// >= 0 (a size) or -Status. JS owns the handle: delete() ends the session and wipes its keys.
// Messages and frames, the hot path, are plain exported functions on the session's heap offset:
// integers in, an int out, no allocation.
#include <emscripten/emscripten.h>

#include <string>
#include <vector>

#include "sdk/session/session.h"
#include "wasm/common.h"

namespace sealdesk::wasm {
namespace {

using crypto::IdentityKey;
using session::OpenedRecord;
using session::Session;

Session* create_customer(HeapPtr session_id, HeapPtr pinned_agent_key) {
  return handle_or_null(Session::create_customer(heap_view(session_id, crypto::kSessionIdBytes),
                                                 heap_view(pinned_agent_key, crypto::kIdentityPublicKeyBytes)));
}

Session* create_agent(HeapPtr expected_customer_key, size_t key_len) {
  return handle_or_null(Session::create_agent(heap_view(expected_customer_key, key_len)));
}

int32_t write_message(const Result<std::vector<uint8_t>>& message, HeapPtr out, size_t out_len) {
  if (!message.ok()) return to_int(message.error());
  if (message.value().size() > out_len) return fail(Status::buffer_too_small, "handshake message needs a larger buffer");
  std::copy(message.value().begin(), message.value().end(), heap_span(out, out_len).begin());
  return static_cast<int32_t>(message.value().size());
}

// purposes: ids separated by commas (ids cannot contain one).
int32_t begin_handshake(Session& session, const std::string& purposes, HeapPtr out, size_t out_len) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start <= purposes.size()) {
    const size_t comma = purposes.find(',', start);
    ids.push_back(purposes.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return write_message(session.begin_handshake(ids), out, out_len);
}

int32_t handle_handshake(Session& session, HeapPtr message, size_t message_len, const IdentityKey& identity, HeapPtr out,
                         size_t out_len) {
  return write_message(session.handle_handshake(heap_view(message, message_len), identity), out, out_len);
}

std::string safety_code(const Session& session) { return session.safety_code(); }

emscripten::val purposes(const Session& session) {
  emscripten::val list = emscripten::val::array();
  for (const auto& id : session.purposes()) list.call<void>("push", id);
  return list;
}

int32_t peer_identity(const Session& session, HeapPtr out) {
  const auto& key = session.peer_identity();
  std::copy(key.begin(), key.end(), heap_span(out, key.size()).begin());
  return static_cast<int32_t>(key.size());
}

int32_t purpose_index(const Session& session, const std::string& purpose) {
  auto index = session.purpose_index(purpose);
  if (!index.ok()) return to_int(index.error());
  return index.value();
}

bool has_keys(const Session& session, const std::string& purpose) { return session.has_keys(purpose); }
uint32_t epoch(const Session& session) { return session.epoch(); }
bool established(const Session& session) { return session.established(); }
bool ended(const Session& session) { return session.ended(); }
int32_t role(const Session& session) { return static_cast<int32_t>(session.role()); }

// meta (3 × uint32): purpose index, counter low 32 bits, counter high 32 bits.
int32_t opened(const Result<OpenedRecord>& record, HeapPtr meta) {
  if (!record.ok()) return to_int(record.error());
  auto fields = heap_span<uint32_t>(meta, 3);
  fields[0] = record.value().purpose;
  fields[1] = static_cast<uint32_t>(record.value().counter);
  fields[2] = static_cast<uint32_t>(record.value().counter >> 32);
  return to_int(Result<size_t>(record.value().length));
}

// progress: a JS function (done, total), called after every 64 KiB chunk.
int32_t seal_attachment(Session& session, const std::string& purpose, HeapPtr plaintext, size_t plaintext_len, HeapPtr out,
                        size_t out_len, emscripten::val progress) {
  auto report = [&](uint64_t done, uint64_t total) {
    if (progress.isUndefined() || progress.isNull()) return;
    progress(static_cast<double>(done), static_cast<double>(total));
  };
  return to_int(session.seal_attachment(purpose, heap_view(plaintext, plaintext_len), heap_span(out, out_len), report));
}

int32_t open_attachment(Session& session, HeapPtr sealed, size_t sealed_len, HeapPtr out, size_t out_len, HeapPtr meta,
                        emscripten::val progress) {
  auto report = [&](uint64_t done, uint64_t total) {
    if (progress.isUndefined() || progress.isNull()) return;
    progress(static_cast<double>(done), static_cast<double>(total));
  };
  return opened(session.open_attachment(heap_view(sealed, sealed_len), heap_span(out, out_len), report), meta);
}

int32_t rotate_frame_key(Session& session, int32_t purpose, int32_t track) {
  if (purpose < 0 || purpose > 255 || track < 0 || track > 255) return fail(Status::invalid_argument, "purpose or track out of range");
  return to_int(session.rotate_frame_key(static_cast<uint8_t>(purpose), static_cast<uint8_t>(track)));
}

// call_id: 16 bytes; ids: 16 bytes (send key id, receive key id, u64 little-endian).
int32_t export_call_frame_keys(Session& session, const std::string& purpose, int32_t track, HeapPtr call_id, HeapPtr send_base,
                               HeapPtr receive_base, HeapPtr ids) {
  if (track < 0 || track > 255) return fail(Status::invalid_argument, "track out of range");
  auto exported = session.export_call_frame_keys(purpose, static_cast<uint8_t>(track),
                                                 heap_fixed<const uint8_t, Session::kCallIdBytes>(call_id),
                                                 heap_fixed<uint8_t, 32>(send_base), heap_fixed<uint8_t, 32>(receive_base));
  if (!exported.ok()) return to_int(exported.error());
  auto out = heap_span(ids, 16);
  for (size_t i = 0; i < 8; ++i) {
    out[i] = static_cast<uint8_t>(exported.value().send_key_id >> (8 * i));
    out[8 + i] = static_cast<uint8_t>(exported.value().receive_key_id >> (8 * i));
  }
  return 0;
}

int32_t wipe_purpose(Session& session, const std::string& purpose) { return to_int(session.wipe_purpose(purpose)); }
void end(Session& session) { session.end(); }
// The session's heap offset, for the raw hot-path calls below.
HeapPtr address(Session& session) { return reinterpret_cast<HeapPtr>(&session); }

size_t sealed_attachment_bytes(size_t plaintext_len) { return Session::sealed_attachment_bytes(plaintext_len); }

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_session) {
  using emscripten::allow_raw_pointers;
  emscripten::constant("SESSION_MAX_TRACKS", session::kMaxTracks);
  emscripten::constant("HANDSHAKE_MAX_BYTES", 1024);
  emscripten::function("_sealedAttachmentBytes", &sealed_attachment_bytes);
  emscripten::class_<Session>("Session")
      .class_function("_createCustomer", &create_customer, allow_raw_pointers())
      .class_function("_createAgent", &create_agent, allow_raw_pointers())
      .function("_beginHandshake", &begin_handshake)
      .function("_handleHandshake", &handle_handshake)
      .function("safetyCode", &safety_code)
      .function("purposes", &purposes)
      .function("_peerIdentity", &peer_identity)
      .function("_purposeIndex", &purpose_index)
      .function("hasKeys", &has_keys)
      .function("epoch", &epoch)
      .function("established", &established)
      .function("ended", &ended)
      .function("role", &role)
      .function("_sealAttachment", &seal_attachment)
      .function("_openAttachment", &open_attachment)
      .function("_rotateFrameKey", &rotate_frame_key)
      .function("_exportCallFrameKeys", &export_call_frame_keys)
      .function("_wipePurpose", &wipe_purpose)
      .function("end", &end)
      .function("_address", &address);
}

}  // namespace sealdesk::wasm

// --- the hot path: messages and frames ---
// Plain exported C functions taking the session's heap offset (from _address()) rather than
// Embind methods: for a chat message or a 100-byte frame, Embind's invoker and its string
// conversion cost about as much as the sealing.

using namespace sealdesk;
using namespace sealdesk::wasm;

namespace {
Session& session_at(HeapPtr ptr) { return *reinterpret_cast<Session*>(ptr); }
}  // namespace

extern "C" {

// Seals plaintext as the next record of purpose (UTF-8 name at purpose, purpose_len bytes) into
// out (Session::sealed_message_bytes(plaintext_len)): the sealed size, or -Status.
EMSCRIPTEN_KEEPALIVE int32_t sessionSealMessage(HeapPtr session, HeapPtr purpose, size_t purpose_len, HeapPtr plaintext,
                                                size_t plaintext_len, HeapPtr out, size_t out_len) {
  const std::string_view name(reinterpret_cast<const char*>(purpose), purpose_len);
  return to_int(session_at(session).seal_message(name, heap_view(plaintext, plaintext_len), heap_span(out, out_len)));
}

// Opens a record into out; meta (3 x uint32) receives its purpose index and 64-bit counter.
EMSCRIPTEN_KEEPALIVE int32_t sessionOpenMessage(HeapPtr session, HeapPtr sealed, size_t sealed_len, HeapPtr out,
                                                size_t out_len, HeapPtr meta) {
  return opened(session_at(session).open_message(heap_view(sealed, sealed_len), heap_span(out, out_len)), meta);
}

EMSCRIPTEN_KEEPALIVE int32_t sessionSealFrame(HeapPtr session, int32_t purpose, int32_t track, int32_t codec, HeapPtr frame,
                                              size_t frame_len, HeapPtr out, size_t out_len) {
  if (purpose < 0 || purpose > 255 || track < 0 || track > 255) return fail(Status::invalid_argument, "purpose or track out of range");
  return to_int(session_at(session).seal_frame(static_cast<uint8_t>(purpose), static_cast<uint8_t>(track),
                                               static_cast<crypto::FrameCodec>(codec), heap_view(frame, frame_len),
                                               heap_span(out, out_len)));
}

EMSCRIPTEN_KEEPALIVE int32_t sessionOpenFrame(HeapPtr session, int32_t codec, HeapPtr sealed, size_t sealed_len, HeapPtr out,
                                              size_t out_len) {
  auto frame = session_at(session).open_frame(static_cast<crypto::FrameCodec>(codec), heap_view(sealed, sealed_len),
                                              heap_span(out, out_len));
  if (!frame.ok()) return to_int(frame.error());
  return static_cast<int32_t>(frame.value().length);
}

}  // extern "C"
