// Shared by every wasm/<module>_bindings.cpp. Bindings only translate: heap offsets from JS
// become spans, Status/Result become ints, and the detail of the last error is kept for JS.
//
// Convention for raw functions (names start with an underscore, like CanvasKit's): arguments are
// offsets into the WASM heap plus explicit lengths; the int result is >= 0 on success (a size or
// a count) and -Status on failure. js/core/<module>.js wraps them into the friendly API.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sdk/common/status.h"

namespace sealdesk::wasm {

// An offset into the WASM heap as JS passes it (a byte index into HEAPU8).
using HeapPtr = uintptr_t;

template <class T = uint8_t>
std::span<T> heap_span(HeapPtr ptr, size_t count) {
  return {reinterpret_cast<T*>(ptr), count};
}

template <class T = uint8_t>
std::span<const T> heap_view(HeapPtr ptr, size_t count) {
  return {reinterpret_cast<const T*>(ptr), count};
}

template <class T, size_t N>
std::span<T, N> heap_fixed(HeapPtr ptr) {
  return std::span<T, N>(reinterpret_cast<T*>(ptr), N);
}

// The most recent failure (the module is single-threaded), read by JS through _takeLastError()
// right after a raw call returned < 0 or a factory returned null. Never holds secrets: sdk/
// details name fields, not values.
Error& last_error();

inline int32_t fail(Status status, std::string detail = {}) {
  last_error() = Error{status, std::move(detail)};
  return -static_cast<int32_t>(status);
}

inline int32_t to_int(Status status) { return status == Status::ok ? 0 : fail(status); }

inline int32_t to_int(const Error& error) { return fail(error.status, error.detail); }

template <class T>
int32_t to_int(const Result<T>& result) {
  if (!result.ok()) return to_int(result.error());
  if (static_cast<uint64_t>(result.value()) > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
    return fail(Status::too_large);
  }
  return static_cast<int32_t>(result.value());
}

// A factory's result as a handle JS owns (and must delete()), or null with the error kept for
// _takeLastError().
template <class T>
T* handle_or_null(Result<T>&& made) {
  if (!made.ok()) {
    to_int(made.error());
    return nullptr;
  }
  return new T(std::move(made).value());
}

// Bytes produced by the core (a file, an export) handed to JS as a view into the heap. The view
// is valid until the next call that produces output: JS copies it at once (view.slice()).
emscripten::val output_view(std::vector<uint8_t>&& bytes);

// The view for a Result, or null with the error kept for _takeLastError().
inline emscripten::val output_view(Result<std::vector<uint8_t>>&& result) {
  if (!result.ok()) {
    to_int(result.error());
    return emscripten::val::null();
  }
  return output_view(std::move(result).value());
}

}  // namespace sealdesk::wasm
