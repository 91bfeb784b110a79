#include "sdk/crypto/library.h"

#include <sodium.h>

namespace sealdesk::crypto {

Status ensure_ready() {
  // sodium_init() returns 0 on first success, 1 when already initialised, -1 on failure.
  return sodium_init() < 0 ? Status::crypto_unavailable : Status::ok;
}

const char* sodium_version() { return sodium_version_string(); }

void wipe(void* p, size_t len) {
  if (p != nullptr && len > 0) sodium_memzero(p, len);
}

}  // namespace sealdesk::crypto
