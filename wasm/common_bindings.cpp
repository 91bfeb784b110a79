// Module-wide bindings: status names and messages, the last error's detail, library versions.
#include "wasm/common.h"

#include "sdk/crypto/library.h"
#include "sdk/media/voice_codec.h"

#include <utility>

namespace sealdesk::wasm {

Error& last_error() {
  static Error error{Status::ok, {}};
  return error;
}

emscripten::val output_view(std::vector<uint8_t>&& bytes) {
  static std::vector<uint8_t> output;
  output = std::move(bytes);
  return emscripten::val(emscripten::typed_memory_view(output.size(), output.data()));
}

namespace {

std::string status_name_of(int32_t code) { return status_name(static_cast<Status>(code)); }
std::string status_message_of(int32_t code) { return status_message(static_cast<Status>(code)); }
// {status, detail} of the last failure, then cleared.
emscripten::val take_last_error() {
  Error error = std::exchange(last_error(), Error{Status::ok, {}});
  emscripten::val v = emscripten::val::object();
  v.set("status", static_cast<int32_t>(error.status));
  v.set("detail", error.detail);
  return v;
}

emscripten::val versions() {
  emscripten::val v = emscripten::val::object();
  v.set("sealdesk", std::string(SEALDESK_VERSION));
  v.set("sodium", std::string(crypto::sodium_version()));
  v.set("opus", std::string(media::opus_version()));
  return v;
}

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_common) {
  emscripten::function("_statusName", &status_name_of);
  emscripten::function("_statusMessage", &status_message_of);
  emscripten::function("_takeLastError", &take_last_error);
  emscripten::function("versions", &versions);
  // Status values the JS layer branches on (the rest only become SealDeskError codes).
  emscripten::constant("STATUS_TOO_LARGE", static_cast<int32_t>(Status::too_large));
  emscripten::constant("STATUS_REPLAYED", static_cast<int32_t>(Status::replayed));
  emscripten::constant("STATUS_OUTSIDE_WINDOW", static_cast<int32_t>(Status::outside_window));
}

}  // namespace sealdesk::wasm
