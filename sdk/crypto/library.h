// libsodium start-up, version, and wiping. Every crypto entry point calls ensure_ready() first,
// so callers never see an uninitialised library.
#pragma once

#include <cstddef>

#include "sdk/common/status.h"

namespace sealdesk::crypto {

// Initialises libsodium once (thread-safe, idempotent). crypto_unavailable if it cannot start.
Status ensure_ready();

// libsodium's version string, e.g. "1.0.18".
const char* sodium_version();

// Overwrites len bytes at p with zeros in a way the compiler cannot elide (sodium_memzero).
void wipe(void* p, size_t len);

}  // namespace sealdesk::crypto
