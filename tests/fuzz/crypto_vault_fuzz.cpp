// libFuzzer: the local vault reads what the browser stored (IndexedDB can be edited by anyone
// with the profile). Whatever the bytes, restore() and open() must return a typed error or, for
// a genuine record, its plaintext; never crash, never read out of bounds. Also checks that any
// input sealed opens to itself and that a record sealed under one id never opens under another.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "sdk/crypto/local_vault.h"

using namespace sealdesk;
using namespace sealdesk::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr int64_t kNow = 1'800'000'000'000;
  const std::span<const uint8_t> input(data, size);

  // Untrusted state.
  auto restored = LocalVault::restore(input, kNow);
  if (restored.ok()) {
    std::vector<uint8_t> out(size + 1);
    for (const auto& p : restored.value().purposes()) (void)restored.value().open(p.purpose, {}, input, out, kNow);
    (void)restored.value().export_state();
  }

  // Untrusted records against a genuine vault.
  LocalVault vault;
  if (vault.open_purpose("chat", kNow + 1000, kNow) != Status::ok) abort();
  std::vector<uint8_t> out(size + 1);
  auto opened = vault.open("chat", input.first(std::min<size_t>(size, 8)), input, out, kNow);
  if (opened.ok()) abort();  // a forgery: nothing here was sealed by this vault's key

  // Round trip, and id binding.
  std::vector<uint8_t> sealed(LocalVault::sealed_bytes(size));
  const uint8_t id[] = {'m', '1'};
  auto n = vault.seal("chat", id, input, sealed, kNow);
  if (!n.ok()) abort();
  auto back = vault.open("chat", id, std::span(sealed.data(), n.value()), out, kNow);
  if (!back.ok() || back.value() != size || (size && std::memcmp(out.data(), data, size) != 0)) abort();
  const uint8_t other[] = {'m', '2'};
  if (vault.open("chat", other, std::span(sealed.data(), n.value()), out, kNow).ok()) abort();
  return 0;
}
