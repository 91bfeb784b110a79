// Consent receipts and the hash-chained ledger.
//
// A receipt follows the Kantara Initiative Consent Receipt Specification v1.1 (version
// "KI-CR-v1.1.0": consentReceiptID, consentTimestamp in Unix seconds, collectionMethod,
// jurisdiction, policyUrl, piiPrincipalId, piiControllers, services[].purposes[] with
// purposeCategory, consentType, piiCategory, primaryPurpose, termination, thirdPartyDisclosure,
// thirdPartyName, sensitive, spiCat), extended with what makes it proof here: the purpose id,
// state, reason and hash of each purpose, the hash and locale of the notice shown, the policy id
// and version, the Global Privacy Control and minor flags, its sequence number and the hash of
// the previous receipt.
//
// A ledger entry is {"hash", "receipt", "signature"}:
//   receipt    the receipt object; its RFC 8785 canonical bytes (sdk/consent/canonical.h) are
//              what is signed and hashed
//   signature  Ed25519 (RFC 8032) over those bytes by the install's IdentityKey, base64url
//   hash       BLAKE2b-256 (RFC 7693) of those bytes, lower-case hex; the next receipt's
//              previousReceiptHash, so deleting or reordering receipts breaks the chain
// The receipt carries the signer's public key ("publicKey", base64url as a JWK "x") and a
// pseudonymous principal id derived from it, never PII.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/common/status.h"
#include "sdk/consent/policy.h"
#include "sdk/consent/state.h"
#include "sdk/crypto/identity.h"

namespace sealdesk::consent {

inline constexpr char kReceiptVersion[] = "KI-CR-v1.1.0";
inline constexpr size_t kMaxLedgerEntries = 100000;

struct ReceiptPurpose {
  const Purpose* purpose = nullptr;
  std::string title;  // in the notice locale
  PurposeState state = PurposeState::unset;
  Reason reason = Reason::none;
  std::string purpose_hash;  // hex BLAKE2b-256 of the purpose's terms and reference text
  bool guardian_confirmed = false;
};

struct ReceiptDraft {
  const Policy* policy = nullptr;
  std::string action;  // grant | deny | global_privacy_control | policy_upgrade | guardian_required | privacy_mode
  std::string collection_method;
  std::string language;     // the locale whose texts were shown
  std::string notice_hash;  // LocalizedTexts::notice_hash of those texts
  int64_t timestamp_ms = 0;
  bool gpc = false;
  bool minor = false;
  std::vector<ReceiptPurpose> purposes;
};

struct LedgerEntry {
  std::string receipt_canonical;  // the signed bytes
  std::string hash;               // hex BLAKE2b-256 of receipt_canonical
  std::string signature;          // base64url Ed25519 signature of receipt_canonical

  // {"hash":…,"receipt":…,"signature":…}: itself RFC 8785 canonical.
  std::string to_json() const;
};

// "urn:sealdesk:principal:" + hex of BLAKE2b-128 over a domain tag and the public key: stable per
// install, unlinkable to a person, and checkable against the receipt's publicKey.
std::string principal_id(std::span<const uint8_t> public_key);

// Builds, canonicalizes, hashes and signs the receipt that follows `previous` (nullptr: first).
Result<LedgerEntry> sign_receipt(const ReceiptDraft& draft, const crypto::IdentityKey& key, const LedgerEntry* previous,
                                 size_t sequence);

struct VerifiedLedger {
  std::vector<LedgerEntry> entries;
  std::vector<nlohmann::json> receipts;  // parsed, same order
  crypto::IdentityPublicKey public_key{};
};

// Checks every entry, oldest first: shape, signer key (the expected one, or else the first
// receipt's), Ed25519 signature, hash, sequence and chain. Errors:
//   signature_invalid  an edited receipt, or one signed by another key (swapped key)
//   ledger_tampered    a dropped, inserted or reordered receipt, a wrong hash, a bad shape
// A bare ledger cannot show that its newest receipts were cut off: compare the count with the
// receipts you hold (the store export carries a head for this).
Result<VerifiedLedger> verify_ledger_value(const nlohmann::json& ledger,
                                           std::optional<crypto::IdentityPublicKey> expected_key);

// The same over ledger JSON text (an array of entries). Returns the number of receipts.
// expected_public_key empty: trust the key of the first receipt (pin it on first contact).
Result<size_t> verify_ledger(std::string_view ledger_json, std::span<const uint8_t> expected_public_key = {});

}  // namespace sealdesk::consent
