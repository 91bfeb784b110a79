// Key bytes with exactly one home. SecretBytes cannot be copied, so a key is never duplicated by
// accident (a temporary, a by-value parameter); moving it copies the bytes into the new home and
// wipes the old one, and the destructor wipes. Every key the core holds lives in one of these, so
// wiping a purpose or ending a session leaves no stray copy in memory (the WASM heap scan test).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "sdk/crypto/library.h"

namespace sealdesk::crypto {

template <size_t N>
class SecretBytes {
 public:
  SecretBytes() = default;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, N);
    other.clear();
  }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      std::memcpy(bytes_, other.bytes_, N);
      other.clear();
    }
    return *this;
  }
  ~SecretBytes() { clear(); }

  // Copies from a span of exactly N bytes (the caller wipes its source when it is a temporary).
  void assign(std::span<const uint8_t, N> source) { std::memcpy(bytes_, source.data(), N); }

  uint8_t* data() { return bytes_; }
  const uint8_t* data() const { return bytes_; }
  static constexpr size_t size() { return N; }
  std::span<uint8_t, N> span() { return std::span<uint8_t, N>(bytes_, N); }
  std::span<const uint8_t, N> span() const { return std::span<const uint8_t, N>(bytes_, N); }

  void clear() { wipe(bytes_, N); }

 private:
  uint8_t bytes_[N] = {};
};

}  // namespace sealdesk::crypto
