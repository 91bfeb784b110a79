#include "sdk/crypto/local_vault.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "sdk/crypto/library.h"
#include "sdk/crypto/secret_bytes.h"

namespace sealdesk::crypto {

struct LocalVault::Entry {
  std::string purpose;
  int64_t delete_at_ms = 0;
  SecretBytes<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> key;
};

namespace {

constexpr std::string_view kLabel = "SealDesk/1 vault";
constexpr uint8_t kStateVersion = 1;
constexpr size_t kMaxPurposeBytes = 64;

std::vector<uint8_t> associated_data(std::string_view purpose, std::span<const uint8_t> record_id) {
  std::vector<uint8_t> ad(kLabel.begin(), kLabel.end());
  ad.push_back(static_cast<uint8_t>(purpose.size()));
  ad.insert(ad.end(), purpose.begin(), purpose.end());
  ad.insert(ad.end(), record_id.begin(), record_id.end());
  return ad;
}

Status check_names(std::string_view purpose, std::span<const uint8_t> record_id) {
  if (purpose.empty() || purpose.size() > kMaxPurposeBytes) return Status::invalid_argument;
  if (record_id.size() > kVaultMaxRecordIdBytes) return Status::invalid_argument;
  return Status::ok;
}

void put_u64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

LocalVault::LocalVault() = default;
LocalVault::LocalVault(LocalVault&&) noexcept = default;
LocalVault& LocalVault::operator=(LocalVault&&) noexcept = default;
LocalVault::~LocalVault() = default;

LocalVault::Entry* LocalVault::find(std::string_view purpose, int64_t now) {
  expire(now);
  for (auto& e : entries_) {
    if (e->purpose == purpose) return e.get();
  }
  return nullptr;
}

Status LocalVault::open_purpose(std::string_view purpose, int64_t delete_at_ms, int64_t now) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (check_names(purpose, {}) != Status::ok) return Status::invalid_argument;
  if (delete_at_ms <= now) return Status::invalid_argument;  // nothing may be kept: do not keep it
  if (find(purpose, now) != nullptr) return Status::ok;
  auto entry = std::make_unique<Entry>();
  entry->purpose = std::string(purpose);
  entry->delete_at_ms = delete_at_ms;
  crypto_aead_xchacha20poly1305_ietf_keygen(entry->key.data());
  entries_.push_back(std::move(entry));
  return Status::ok;
}

Result<size_t> LocalVault::seal(std::string_view purpose, std::span<const uint8_t> record_id, std::span<const uint8_t> plaintext,
                                std::span<uint8_t> out, int64_t now) {
  if (check_names(purpose, record_id) != Status::ok) return Error{Status::invalid_argument, "purpose or record id too long"};
  if (out.size() < sealed_bytes(plaintext.size())) return Error{Status::buffer_too_small, "vault output buffer too small"};
  Entry* e = find(purpose, now);
  if (e == nullptr) return Error{Status::not_found, "no vault key for purpose '" + std::string(purpose) + "'"};
  const auto ad = associated_data(purpose, record_id);
  randombytes_buf(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written, plaintext.data(),
                                             plaintext.size(), ad.data(), ad.size(), nullptr, out.data(), e->key.data());
  return static_cast<size_t>(written) + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
}

Result<size_t> LocalVault::open(std::string_view purpose, std::span<const uint8_t> record_id, std::span<const uint8_t> sealed,
                                std::span<uint8_t> out, int64_t now) {
  if (check_names(purpose, record_id) != Status::ok) return Error{Status::invalid_argument, "purpose or record id too long"};
  if (sealed.size() < kVaultOverheadBytes) return Error{Status::truncated, "vault record too short"};
  if (out.size() < sealed.size() - kVaultOverheadBytes) return Error{Status::buffer_too_small, "vault output buffer too small"};
  Entry* e = find(purpose, now);
  if (e == nullptr) return Error{Status::not_found, "no vault key for purpose '" + std::string(purpose) + "': retention ended or consent revoked"};
  const auto ad = associated_data(purpose, record_id);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &written, nullptr, sealed.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, ad.data(), ad.size(),
                                                 sealed.data(), e->key.data()) != 0) {
    return Error{Status::auth_failed, "vault record altered or not of this purpose and id"};
  }
  return static_cast<size_t>(written);
}

std::vector<std::string> LocalVault::expire(int64_t now) {
  std::vector<std::string> gone;
  std::erase_if(entries_, [&](const std::unique_ptr<Entry>& e) {
    if (e->delete_at_ms > now) return false;
    gone.push_back(e->purpose);
    return true;  // the Entry's SecretBytes wipes the key
  });
  return gone;
}

void LocalVault::forget(std::string_view purpose) {
  std::erase_if(entries_, [&](const std::unique_ptr<Entry>& e) { return e->purpose == purpose; });
}

std::vector<VaultPurpose> LocalVault::purposes() const {
  std::vector<VaultPurpose> out;
  for (const auto& e : entries_) out.push_back({e->purpose, e->delete_at_ms});
  return out;
}

int64_t LocalVault::next_deadline() const {
  int64_t next = 0;
  for (const auto& e : entries_) {
    if (next == 0 || e->delete_at_ms < next) next = e->delete_at_ms;
  }
  return next;
}

// version | count | per entry: purpose length | purpose | deadline (i64 BE) | key (32)
std::vector<uint8_t> LocalVault::export_state() const {
  std::vector<uint8_t> out{kStateVersion, static_cast<uint8_t>(entries_.size())};
  for (const auto& e : entries_) {
    out.push_back(static_cast<uint8_t>(e->purpose.size()));
    out.insert(out.end(), e->purpose.begin(), e->purpose.end());
    put_u64(out, static_cast<uint64_t>(e->delete_at_ms));
    out.insert(out.end(), e->key.data(), e->key.data() + e->key.size());
  }
  return out;
}

Result<LocalVault> LocalVault::restore(std::span<const uint8_t> state, int64_t now) {
  if (Status s = ensure_ready(); s != Status::ok) return Error{s, "libsodium unavailable"};
  if (state.size() < 2 || state[0] != kStateVersion) return Error{Status::malformed, "not a vault state"};
  LocalVault vault;
  size_t at = 2;
  for (size_t i = 0; i < state[1]; ++i) {
    if (at >= state.size()) return Error{Status::malformed, "vault state truncated"};
    const size_t len = state[at++];
    if (len == 0 || len > kMaxPurposeBytes || at + len + 8 + 32 > state.size()) return Error{Status::malformed, "vault state truncated"};
    auto entry = std::make_unique<Entry>();
    entry->purpose.assign(reinterpret_cast<const char*>(state.data() + at), len);
    at += len;
    uint64_t deadline = 0;
    for (int b = 0; b < 8; ++b) deadline = (deadline << 8) | state[at++];
    entry->delete_at_ms = static_cast<int64_t>(deadline);
    entry->key.assign(std::span<const uint8_t, 32>(state.data() + at, 32));
    at += 32;
    vault.entries_.push_back(std::move(entry));
  }
  if (at != state.size()) return Error{Status::malformed, "trailing bytes after the vault state"};
  vault.expire(now);
  return vault;
}

}  // namespace sealdesk::crypto
