#include "sdk/consent/receipt.h"

#include <sodium.h>

#include <algorithm>

#include "sdk/consent/canonical.h"
#include "sdk/crypto/library.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;

constexpr char kPrincipalPrefix[] = "urn:sealdesk:principal:";

void append_be64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

// A UUID (RFC 9562 §5.8, version 8: custom) derived from the chain position, so the same
// decisions with the same key give byte-identical receipts natively and in WASM.
std::string receipt_id(std::span<const uint8_t> public_key, size_t sequence, std::string_view previous_hash,
                       int64_t timestamp_ms) {
  std::string input = "sealdesk-consent-receipt-id/1";
  input.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  append_be64(input, sequence);
  input.append(previous_hash);
  append_be64(input, static_cast<uint64_t>(timestamp_ms));
  Digest d = blake2b_256(input);
  d[6] = static_cast<uint8_t>((d[6] & 0x0F) | 0x80);  // version 8
  d[8] = static_cast<uint8_t>((d[8] & 0x3F) | 0x80);  // variant 10
  const std::string hex = to_hex(std::span(d).first(16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

json purpose_entry(const ReceiptPurpose& rp) {
  const Purpose& p = *rp.purpose;
  std::string third_party_names;
  for (const ThirdParty& tp : p.third_parties) third_party_names += (third_party_names.empty() ? "" : ", ") + tp.name;
  json cross_border = nullptr;
  if (p.cross_border) {
    cross_border = {{"countries", p.cross_border->countries},
                    {"recipient", p.cross_border->recipient},
                    {"safeguard", p.cross_border->safeguard}};
  }
  return {
      // Kantara CR v1.1
      {"purpose", rp.title},
      {"purposeCategory", json::array({p.category})},
      {"consentType", "EXPLICIT"},
      {"piiCategory", p.data_categories},
      {"primaryPurpose", p.required},
      {"termination", "revocable at any time from the privacy dashboard; asked again after " + p.validity},
      {"thirdPartyDisclosure", !p.third_parties.empty()},
      {"thirdPartyName", third_party_names},
      // SealDesk extensions
      {"purposeId", p.id},
      {"consentState", state_name(rp.state)},
      {"reason", reason_name(rp.reason)},
      {"purposeHash", rp.purpose_hash},
      {"legalBasis", p.legal_basis},
      {"retention", p.retention},
      {"validity", p.validity},
      {"sensitive", p.sensitive},
      {"crossBorderTransfer", cross_border},
      {"guardianConfirmed", rp.guardian_confirmed},
  };
}

Error tampered(size_t index, const std::string& what) {
  return Error{Status::ledger_tampered, "receipt " + std::to_string(index) + ": " + what};
}

}  // namespace

std::string LedgerEntry::to_json() const {
  return std::string(R"({"hash":")") + hash + R"(","receipt":)" + receipt_canonical + R"(,"signature":")" + signature +
         R"("})";
}

std::string principal_id(std::span<const uint8_t> public_key) {
  std::string input = "sealdesk-consent-principal/1";
  input.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  const Digest d = blake2b_256(input);
  return kPrincipalPrefix + to_hex(std::span(d).first(16));
}

Result<LedgerEntry> sign_receipt(const ReceiptDraft& draft, const crypto::IdentityKey& key, const LedgerEntry* previous,
                                 size_t sequence) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  const Policy& policy = *draft.policy;
  const auto& pk = key.public_key();

  json controller = {{"piiController", policy.controller.name},
                     {"contact", policy.controller.contact},
                     {"onBehalf", false},
                     {"dataProtectionOfficer", {{"name", policy.controller.dpo_name},
                                                {"contact", policy.controller.dpo_contact}}}};
  if (!policy.controller.email.empty()) controller["email"] = policy.controller.email;
  if (!policy.controller.phone.empty()) controller["phone"] = policy.controller.phone;
  if (!policy.controller.address.empty()) controller["address"] = policy.controller.address;
  if (!policy.controller.url.empty()) controller["piiControllerUrl"] = policy.controller.url;

  json purposes = json::array();
  bool sensitive = false;
  std::vector<std::string> spi_categories;
  for (const ReceiptPurpose& rp : draft.purposes) {
    purposes.push_back(purpose_entry(rp));
    if (rp.purpose->sensitive) {
      sensitive = true;
      for (const std::string& cat : rp.purpose->sensitive_categories) {
        if (std::find(spi_categories.begin(), spi_categories.end(), cat) == spi_categories.end()) {
          spi_categories.push_back(cat);
        }
      }
    }
  }

  const std::string previous_hash = previous ? previous->hash : std::string();
  json receipt = {
      // Kantara CR v1.1
      {"version", kReceiptVersion},
      {"jurisdiction", policy.jurisdiction},
      {"consentTimestamp", draft.timestamp_ms >= 0 ? draft.timestamp_ms / 1000 : 0},
      {"collectionMethod", draft.collection_method},
      {"consentReceiptID", receipt_id(pk, sequence, previous_hash, draft.timestamp_ms)},
      {"publicKey", base64url_encode(pk)},
      {"language", draft.language},
      {"piiPrincipalId", principal_id(pk)},
      {"piiControllers", json::array({controller})},
      {"policyUrl", policy.policy_url},
      {"services", json::array({{{"service", policy.service}, {"purposes", purposes}}})},
      {"sensitive", sensitive},
      {"spiCat", spi_categories},
      // SealDesk extensions
      {"consentTimestampMs", draft.timestamp_ms},
      {"action", draft.action},
      {"policyId", policy.id},
      {"policyVersion", policy.version},
      {"noticeHash", draft.notice_hash},
      {"noticeLocale", draft.language},
      {"globalPrivacyControl", draft.gpc},
      {"principalIsMinor", draft.minor},
      {"receiptSequence", sequence},
      {"previousReceiptHash", previous ? json(previous->hash) : json(nullptr)},
      {"canonicalization", "RFC8785"},
  };

  auto canonical = canonical_json(receipt);
  if (!canonical.ok()) return canonical.error();
  LedgerEntry entry;
  entry.receipt_canonical = std::move(canonical).value();
  const auto bytes = std::span(reinterpret_cast<const uint8_t*>(entry.receipt_canonical.data()),
                               entry.receipt_canonical.size());
  entry.hash = to_hex(blake2b_256(bytes));
  entry.signature = base64url_encode(key.sign(bytes));
  return entry;
}

Result<VerifiedLedger> verify_ledger_value(const json& ledger, std::optional<crypto::IdentityPublicKey> expected_key) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  if (!ledger.is_array()) return Error{Status::ledger_tampered, "ledger: must be an array"};
  if (ledger.size() > kMaxLedgerEntries) return Error{Status::too_large, "ledger: more than 100000 receipts"};
  VerifiedLedger out;
  std::optional<crypto::IdentityPublicKey> key = expected_key;
  for (size_t i = 0; i < ledger.size(); ++i) {
    const json& entry = ledger[i];
    if (!entry.is_object() || entry.size() != 3) return tampered(i, "must be an object {hash, receipt, signature}");
    const auto receipt = entry.find("receipt");
    const auto hash = entry.find("hash");
    const auto signature = entry.find("signature");
    if (receipt == entry.end() || !receipt->is_object() || hash == entry.end() || !hash->is_string() ||
        signature == entry.end() || !signature->is_string()) {
      return tampered(i, "must be an object {hash, receipt, signature}");
    }
    auto canonical = canonical_json(*receipt);
    if (!canonical.ok()) return tampered(i, canonical.error().detail);
    const std::string& bytes_text = canonical.value();
    const auto bytes = std::span(reinterpret_cast<const uint8_t*>(bytes_text.data()), bytes_text.size());

    // Signer: the receipt names its key; it must be the pinned one.
    const auto pk_field = receipt->find("publicKey");
    if (pk_field == receipt->end() || !pk_field->is_string()) return tampered(i, "publicKey is missing");
    const auto pk_bytes = base64url_decode(pk_field->get_ref<const std::string&>());
    if (!pk_bytes || pk_bytes->size() != crypto::kIdentityPublicKeyBytes) return tampered(i, "publicKey is malformed");
    crypto::IdentityPublicKey pk{};
    std::copy(pk_bytes->begin(), pk_bytes->end(), pk.begin());
    if (!key) key = pk;
    if (pk != *key) {
      return Error{Status::signature_invalid,
                   "receipt " + std::to_string(i) + ": signed by a different key than " +
                       (expected_key ? "this install's" : "the first receipt's")};
    }
    const auto sig = base64url_decode(signature->get_ref<const std::string&>());
    if (!sig || crypto::verify_signature(*sig, bytes, pk) != Status::ok) {
      return Error{Status::signature_invalid, "receipt " + std::to_string(i) + ": signature does not verify"};
    }
    const auto principal = receipt->find("piiPrincipalId");
    if (principal == receipt->end() || !principal->is_string() || principal->get_ref<const std::string&>() != principal_id(pk)) {
      return tampered(i, "piiPrincipalId does not belong to publicKey");
    }

    // Chain: hash, position and link to the previous receipt.
    const std::string digest = to_hex(blake2b_256(bytes));
    if (hash->get_ref<const std::string&>() != digest) return tampered(i, "hash does not match the receipt");
    const auto sequence = receipt->find("receiptSequence");
    if (sequence == receipt->end() || !sequence->is_number_unsigned() || sequence->get<uint64_t>() != i) {
      return tampered(i, "out of sequence: a receipt was dropped, inserted or reordered");
    }
    const auto previous = receipt->find("previousReceiptHash");
    const bool linked = previous != receipt->end() &&
                        (i == 0 ? previous->is_null()
                                : previous->is_string() && previous->get_ref<const std::string&>() == out.entries.back().hash);
    if (!linked) return tampered(i, "previousReceiptHash does not match the receipt before it");

    out.entries.push_back({bytes_text, digest, signature->get<std::string>()});
    out.receipts.push_back(*receipt);
  }
  if (key) out.public_key = *key;
  return out;
}

Result<size_t> verify_ledger(std::string_view ledger_json, std::span<const uint8_t> expected_public_key) {
  const json ledger = json::parse(ledger_json.begin(), ledger_json.end(), nullptr, /*allow_exceptions=*/false);
  if (ledger.is_discarded()) return Error{Status::malformed, "ledger is not valid JSON"};
  std::optional<crypto::IdentityPublicKey> expected;
  if (!expected_public_key.empty()) {
    if (expected_public_key.size() != crypto::kIdentityPublicKeyBytes) {
      return Error{Status::invalid_argument, "public key must be 32 bytes"};
    }
    expected.emplace();
    std::copy(expected_public_key.begin(), expected_public_key.end(), expected->begin());
  }
  auto verified = verify_ledger_value(ledger, expected);
  if (!verified.ok()) return verified.error();
  return verified.value().entries.size();
}

}  // namespace sealdesk::consent
