#include "sdk/common/status.h"

namespace sealdesk {
namespace {

struct StatusText {
  const char* name;
  const char* message;
};

StatusText text_of(Status status) {
  switch (status) {
    case Status::ok: return {"OK", "success"};
    case Status::invalid_argument: return {"INVALID_ARGUMENT", "invalid argument"};
    case Status::buffer_too_small: return {"BUFFER_TOO_SMALL", "output buffer too small"};
    case Status::too_large: return {"TOO_LARGE", "input larger than the allowed maximum"};
    case Status::invalid_utf8: return {"INVALID_UTF8", "text is not valid UTF-8"};
    case Status::out_of_memory: return {"OUT_OF_MEMORY", "out of memory"};
    case Status::internal: return {"INTERNAL", "internal error"};
    case Status::not_found: return {"NOT_FOUND", "no such item"};
    case Status::crypto_unavailable: return {"CRYPTO_UNAVAILABLE", "the cryptographic library could not start"};
    case Status::auth_failed: return {"AUTH_FAILED", "authentication failed: data was tampered with or the key is wrong"};
    case Status::replayed: return {"REPLAYED", "this message or frame was already received"};
    case Status::outside_window: return {"OUTSIDE_WINDOW", "counter is outside the accepted window"};
    case Status::unknown_key: return {"UNKNOWN_KEY", "no key for this key id"};
    case Status::key_mismatch: return {"KEY_MISMATCH", "peer key does not match the pinned key"};
    case Status::malformed: return {"MALFORMED", "malformed data"};
    case Status::unsupported_version: return {"UNSUPPORTED_VERSION", "unsupported format version"};
    case Status::handshake_failed: return {"HANDSHAKE_FAILED", "handshake failed"};
    case Status::key_wiped: return {"KEY_WIPED", "the key was wiped"};
    case Status::truncated: return {"TRUNCATED", "stream ended before its final chunk"};
    case Status::policy_invalid_json: return {"POLICY_INVALID_JSON", "the consent policy is not valid JSON"};
    case Status::policy_invalid: return {"POLICY_INVALID", "the consent policy breaks its schema"};
    case Status::unknown_purpose: return {"UNKNOWN_PURPOSE", "unknown consent purpose"};
    case Status::dependency_missing: return {"DEPENDENCY_MISSING", "a purpose this one depends on is not granted"};
    case Status::dependency_cycle: return {"DEPENDENCY_CYCLE", "purposes depend on each other in a cycle"};
    case Status::consent_required: return {"CONSENT_REQUIRED", "consent for this purpose is required"};
    case Status::consent_expired: return {"CONSENT_EXPIRED", "consent for this purpose has expired"};
    case Status::guardian_required: return {"GUARDIAN_REQUIRED", "a guardian must confirm this decision"};
    case Status::ledger_tampered: return {"LEDGER_TAMPERED", "the consent ledger does not verify"};
    case Status::signature_invalid: return {"SIGNATURE_INVALID", "signature does not verify"};
    case Status::purpose_required: return {"PURPOSE_REQUIRED", "this purpose is required for the session"};
    case Status::gpc_denied: return {"GPC_DENIED", "Global Privacy Control is on: this purpose stays denied"};
    case Status::separate_consent_required: return {"SEPARATE_CONSENT_REQUIRED", "this purpose needs its own, separate consent"};
    case Status::training_not_opt_in:
      return {"TRAINING_NOT_OPT_IN", "a purpose that trains models must be sensitive, optional, opt-in and off under Global Privacy Control"};
    case Status::voiceprint_not_biometric:
      return {"VOICEPRINT_NOT_BIOMETRIC", "a purpose that derives voiceprints must be sensitive with the biometric category"};
    case Status::processor_missing:
      return {"PROCESSOR_MISSING", "a purpose whose outputs leave the desk must name its processor"};
    case Status::rule_invalid: return {"RULE_INVALID", "masking rule is invalid"};
    case Status::codec_bad_arg: return {"CODEC_BAD_ARG", "codec: invalid argument"};
    case Status::codec_buffer_too_small: return {"CODEC_BUFFER_TOO_SMALL", "codec: buffer too small"};
    case Status::codec_internal: return {"CODEC_INTERNAL", "codec: internal error"};
    case Status::codec_invalid_packet: return {"CODEC_INVALID_PACKET", "codec: corrupted packet"};
    case Status::codec_unimplemented: return {"CODEC_UNIMPLEMENTED", "codec: request not implemented"};
    case Status::codec_invalid_state: return {"CODEC_INVALID_STATE", "codec: invalid state"};
    case Status::codec_alloc_fail: return {"CODEC_ALLOC_FAIL", "codec: allocation failed"};
    case Status::session_not_ready: return {"SESSION_NOT_READY", "the session has no keys yet"};
    case Status::cancelled: return {"CANCELLED", "cancelled"};
    case Status::consent_gap: return {"CONSENT_GAP", "a consent update was lost on the way: the conversation stopped"};
    case Status::relay_queue_full: return {"RELAY_QUEUE_FULL", "too many messages not yet acknowledged by the relay"};
    case Status::relay_refused: return {"RELAY_REFUSED", "the relay refused the connection"};
    case Status::relay_closed: return {"RELAY_CLOSED", "the relay connection is closed"};
    case Status::expired: return {"EXPIRED", "buffered data waited too long and was dropped"};
  }
  return {"UNKNOWN_STATUS", "unknown status"};
}

}  // namespace

const char* status_name(Status status) { return text_of(status).name; }
const char* status_message(Status status) { return text_of(status).message; }

}  // namespace sealdesk
