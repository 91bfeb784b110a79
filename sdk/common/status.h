// Status codes of the SealDesk core, and Result<T> for functions that return a value or an error.
//
// The core never throws (it is built with -fno-exceptions). Every fallible function returns a
// Status or a Result. Values are stable: they cross into JavaScript as negative integers and
// become `SealDeskError.code` through status_name(), so never renumber one; add new codes at
// the end of their group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace sealdesk {

enum class Status : int32_t {
  ok = 0,

  // General (1xx)
  invalid_argument = 100,   // a size, range or value the function does not accept
  buffer_too_small = 101,   // the output buffer cannot hold the result
  too_large = 102,          // input over a documented maximum (message size, frame size)
  invalid_utf8 = 103,       // text that is not valid UTF-8
  out_of_memory = 104,
  internal = 105,           // a library call failed in a way the caller cannot fix
  not_found = 106,          // an id (session, key, rule) the core does not know

  // Cryptography (2xx)
  crypto_unavailable = 200,  // libsodium could not initialise
  auth_failed = 201,         // tampered or wrong-key ciphertext: nothing was opened
  replayed = 202,            // a counter that was already accepted
  outside_window = 203,      // a counter too far behind the newest accepted one
  unknown_key = 204,         // a key id with no key (never had one, rotated out, or wiped)
  key_mismatch = 205,        // a peer identity that differs from the pinned one
  malformed = 206,           // bytes that do not parse as the expected wire format
  unsupported_version = 207, // a wire format version this build does not speak
  handshake_failed = 208,    // handshake message out of order or failing verification
  key_wiped = 209,           // the key was wiped (consent revoked, session ended)
  truncated = 210,           // a stream that ended before its final chunk

  // Consent (3xx)
  policy_invalid_json = 300,  // the policy is not JSON
  policy_invalid = 301,       // the policy breaks its schema (detail names pointer and rule)
  unknown_purpose = 302,
  dependency_missing = 303,   // granting a purpose whose dependency is not granted
  dependency_cycle = 304,
  consent_required = 305,     // the capability's purpose is not granted
  consent_expired = 306,      // granted once, but older than its validity
  guardian_required = 307,    // a minor's decision without a guardian's confirmation
  ledger_tampered = 308,      // a receipt chain that does not verify
  signature_invalid = 309,
  purpose_required = 310,     // a required purpose cannot be denied while the session runs
  gpc_denied = 311,           // Global Privacy Control is on: this purpose stays denied
  separate_consent_required = 312,  // a sensitive or cross-border purpose bundled with others (PIPL Art. 29/39)
  training_not_opt_in = 313,        // policy: a trains_models purpose that is not sensitive, optional and GPC opt-out
  voiceprint_not_biometric = 314,   // policy: a derives_voiceprints purpose not declared sensitive biometric data
  processor_missing = 315,          // policy: an outputs_leave_desk purpose that names no processor

  // PII (4xx)
  rule_invalid = 400,         // a host-supplied masking rule that does not compile

  // Media (5xx), one-to-one with libopus' error codes
  codec_bad_arg = 500,
  codec_buffer_too_small = 501,
  codec_internal = 502,
  codec_invalid_packet = 503,
  codec_unimplemented = 504,
  codec_invalid_state = 505,
  codec_alloc_fail = 506,

  // Desk and transport (6xx): the conversation pipeline (sdk/desk) and the relay link
  session_not_ready = 600,  // no session keys yet (no agent, handshake running)
  cancelled = 601,          // the user stopped it (a call hung up while it started)
  consent_gap = 602,        // a record claims a consent update this side never received: fail closed
  relay_queue_full = 603,   // more messages not yet acknowledged by the relay than allowed
  relay_refused = 604,      // the relay refused this client for good (token, resume secret, protocol)
  relay_closed = 605,       // the relay link was closed
  expired = 606,            // buffered data (an attachment's parts) waited longer than allowed
};

// Stable upper-case name, e.g. "CONSENT_REQUIRED": the `code` of a SealDeskError.
const char* status_name(Status status);
// A short English sentence for logs and error messages.
const char* status_message(Status status);

// An error: its status plus a detail that names what was wrong (never secrets, never PII).
struct Error {
  Status status = Status::internal;
  std::string detail;
};

// A value or an Error. Cheap to move; check ok() before value().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose, like std::expected
  Result(Error error) : error_(std::move(error)) {}
  Result(Status status, std::string detail = {}) : error_{status, std::move(detail)} {}

  bool ok() const { return value_.has_value(); }
  Status status() const { return ok() ? Status::ok : error_.status; }
  const Error& error() const { return error_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Error error_;
};

}  // namespace sealdesk
