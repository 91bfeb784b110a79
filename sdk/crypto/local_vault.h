// What the widget keeps in the browser (the customer's transcript, received voice notes) is
// sealed under one key per consent purpose, and that key is forgotten when the purpose's
// retention ends or its consent is revoked: crypto-shredding. Whatever copy of the sealed records
// survives (a record delete that failed, a backup of the profile) is unreadable from then on.
//
// Records: XChaCha20-Poly1305 (RFC 8439 construction with the 192-bit nonce of
// draft-irtf-cfrg-xchacha), random nonce, associated data "SealDesk/1 vault" | purpose | record id,
// so a record cannot be moved to another purpose or id. Layout: nonce (24) | ciphertext | tag (16).
//
// The vault never reads a clock: every call that can expire takes `now` (ms since the epoch).
// export_state() is what the caller persists next to the records (the keys: persisting them is
// what lets a reload read the transcript; forgetting them is what deletes it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"

namespace sealdesk::crypto {

inline constexpr size_t kVaultOverheadBytes = 24 + 16;
inline constexpr size_t kVaultMaxRecordIdBytes = 64;

struct VaultPurpose {
  std::string purpose;
  int64_t delete_at_ms = 0;  // retention deadline
};

class LocalVault {
 public:
  LocalVault();
  LocalVault(LocalVault&&) noexcept;
  LocalVault& operator=(LocalVault&&) noexcept;
  LocalVault(const LocalVault&) = delete;
  LocalVault& operator=(const LocalVault&) = delete;
  ~LocalVault();  // wipes every key

  // Restores export_state() output. Keys already past their deadline at `now` are dropped.
  // malformed for anything else than what export_state() writes.
  static Result<LocalVault> restore(std::span<const uint8_t> state, int64_t now);

  // A key for purpose, deleted at delete_at_ms; an existing key keeps its earlier deadline.
  Status open_purpose(std::string_view purpose, int64_t delete_at_ms, int64_t now);

  static size_t sealed_bytes(size_t plaintext_len) { return plaintext_len + kVaultOverheadBytes; }
  // not_found when the purpose has no key (never opened, forgotten, or expired at `now`).
  Result<size_t> seal(std::string_view purpose, std::span<const uint8_t> record_id, std::span<const uint8_t> plaintext,
                      std::span<uint8_t> out, int64_t now);
  // auth_failed for altered records, another purpose's or id's, or a key that was replaced.
  Result<size_t> open(std::string_view purpose, std::span<const uint8_t> record_id, std::span<const uint8_t> sealed,
                      std::span<uint8_t> out, int64_t now);

  // Wipes the keys whose deadline passed; returns their purposes (the caller deletes the records).
  std::vector<std::string> expire(int64_t now);
  // Consent revoked or "delete now": wipes the purpose's key. No-op without one.
  void forget(std::string_view purpose);

  std::vector<VaultPurpose> purposes() const;
  // The earliest deadline, 0 when the vault is empty (for the caller's timer).
  int64_t next_deadline() const;
  // Serialized keys and deadlines. Secret: the caller stores it where the records are and
  // deletes it with them.
  std::vector<uint8_t> export_state() const;

 private:
  struct Entry;
  Entry* find(std::string_view purpose, int64_t now);
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace sealdesk::crypto
