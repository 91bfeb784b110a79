// sdk/crypto bindings. Raw functions: heap offsets + lengths in, >= 0 or -Status out.
// Handles (IdentityKey, MessageSender, MessageReceiver; frame sealers and openers as heap offsets)
// are owned by JS, which must delete them; their destructors wipe the keys they hold.
#include <emscripten/emscripten.h>

#include "sdk/crypto/frame_crypto.h"
#include "sdk/crypto/hkdf.h"
#include "sdk/crypto/identity.h"
#include "sdk/crypto/library.h"
#include "sdk/crypto/local_vault.h"
#include "sdk/crypto/message_ratchet.h"
#include "sdk/crypto/sealed_box.h"
#include "wasm/common.h"

namespace sealdesk::wasm {
namespace {

using crypto::FrameCodec;
using crypto::IdentityKey;
using crypto::LocalVault;
using crypto::MessageReceiver;
using crypto::MessageSender;

// JS numbers cannot carry 64 bits exactly: key ids cross as two 32-bit halves.
uint64_t key_id(uint32_t high, uint32_t low) { return (uint64_t{high} << 32) | low; }

// --- local vault (times cross as doubles: ms since the epoch fit in 53 bits) ---

LocalVault* vault_create() { return new LocalVault(); }
LocalVault* vault_restore(HeapPtr state, size_t state_len, double now) {
  return handle_or_null(LocalVault::restore(heap_view(state, state_len), static_cast<int64_t>(now)));
}
int32_t vault_open_purpose(LocalVault& v, const std::string& purpose, double delete_at, double now) {
  return to_int(v.open_purpose(purpose, static_cast<int64_t>(delete_at), static_cast<int64_t>(now)));
}
int32_t vault_seal(LocalVault& v, const std::string& purpose, HeapPtr id, size_t id_len, HeapPtr plaintext, size_t plaintext_len,
                   HeapPtr out, size_t out_len, double now) {
  return to_int(v.seal(purpose, heap_view(id, id_len), heap_view(plaintext, plaintext_len), heap_span(out, out_len), static_cast<int64_t>(now)));
}
int32_t vault_open(LocalVault& v, const std::string& purpose, HeapPtr id, size_t id_len, HeapPtr sealed, size_t sealed_len,
                   HeapPtr out, size_t out_len, double now) {
  return to_int(v.open(purpose, heap_view(id, id_len), heap_view(sealed, sealed_len), heap_span(out, out_len), static_cast<int64_t>(now)));
}
emscripten::val vault_expire(LocalVault& v, double now) {
  emscripten::val gone = emscripten::val::array();
  for (const auto& p : v.expire(static_cast<int64_t>(now))) gone.call<void>("push", p);
  return gone;
}
void vault_forget(LocalVault& v, const std::string& purpose) { v.forget(purpose); }
emscripten::val vault_purposes(const LocalVault& v) {
  emscripten::val list = emscripten::val::array();
  for (const auto& p : v.purposes()) {
    emscripten::val item = emscripten::val::object();
    item.set("purpose", p.purpose);
    item.set("deleteAt", static_cast<double>(p.delete_at_ms));
    list.call<void>("push", item);
  }
  return list;
}
double vault_next_deadline(const LocalVault& v) { return static_cast<double>(v.next_deadline()); }
emscripten::val vault_export_state(const LocalVault& v) { return output_view(v.export_state()); }
size_t vault_sealed_bytes(size_t plaintext_len) { return LocalVault::sealed_bytes(plaintext_len); }

// --- sealed box ---

int32_t sealed_box_keypair(HeapPtr public_key, HeapPtr secret_key) {
  return to_int(crypto::sealed_box_keypair(heap_fixed<uint8_t, crypto::kSealedBoxPublicKeyBytes>(public_key),
                                           heap_fixed<uint8_t, crypto::kSealedBoxSecretKeyBytes>(secret_key)));
}

int32_t sealed_box_seal(HeapPtr out, size_t out_len, HeapPtr message, size_t message_len, HeapPtr public_key) {
  return to_int(crypto::sealed_box_seal(heap_span(out, out_len), heap_view(message, message_len),
                                        heap_fixed<const uint8_t, crypto::kSealedBoxPublicKeyBytes>(public_key)));
}

int32_t sealed_box_open(HeapPtr out, size_t out_len, HeapPtr sealed, size_t sealed_len, HeapPtr public_key,
                        HeapPtr secret_key) {
  return to_int(crypto::sealed_box_open(heap_span(out, out_len), heap_view(sealed, sealed_len),
                                        heap_fixed<const uint8_t, crypto::kSealedBoxPublicKeyBytes>(public_key),
                                        heap_fixed<const uint8_t, crypto::kSealedBoxSecretKeyBytes>(secret_key)));
}

// --- identity ---

IdentityKey* identity_generate() { return handle_or_null(IdentityKey::generate()); }
IdentityKey* identity_from_seed(HeapPtr seed) {
  return handle_or_null(IdentityKey::from_seed(heap_view(seed, crypto::kIdentitySeedBytes)));
}
int32_t identity_public_key(const IdentityKey& key, HeapPtr out) {
  const auto& pk = key.public_key();
  std::copy(pk.begin(), pk.end(), heap_span(out, pk.size()).begin());
  return static_cast<int32_t>(pk.size());
}
int32_t identity_export_seed(const IdentityKey& key, HeapPtr out) {
  return to_int(key.export_seed(heap_fixed<uint8_t, crypto::kIdentitySeedBytes>(out)));
}
int32_t identity_sign(const IdentityKey& key, HeapPtr message, size_t message_len, HeapPtr out) {
  const crypto::Signature signature = key.sign(heap_view(message, message_len));
  std::copy(signature.begin(), signature.end(), heap_span(out, signature.size()).begin());
  return static_cast<int32_t>(signature.size());
}
int32_t verify_signature(HeapPtr signature, HeapPtr message, size_t message_len, HeapPtr public_key) {
  return to_int(crypto::verify_signature(heap_view(signature, crypto::kSignatureBytes), heap_view(message, message_len),
                                         heap_view(public_key, crypto::kIdentityPublicKeyBytes)));
}

// --- HKDF (RFC 5869): for test vectors and interop checks ---

int32_t hkdf_sha256(HeapPtr out, size_t out_len, HeapPtr salt, size_t salt_len, HeapPtr ikm, size_t ikm_len, HeapPtr info,
                    size_t info_len) {
  crypto::SecretBytes<crypto::kHkdfHashBytes> prk;
  if (Status s = crypto::hkdf_sha256_extract(prk.span(), heap_view(salt, salt_len), heap_view(ikm, ikm_len));
      s != Status::ok) {
    return to_int(s);
  }
  if (Status s = crypto::hkdf_sha256_expand(heap_span(out, out_len), prk.span(), {heap_view(info, info_len)});
      s != Status::ok) {
    return to_int(s);
  }
  return static_cast<int32_t>(out_len);
}

size_t sealed_frame_max_bytes(int32_t codec, size_t frame_len) {
  return crypto::sealed_frame_max_bytes(static_cast<FrameCodec>(codec), frame_len);
}

// --- message chains (standalone; for vectors) ---

crypto::ChainContext chain_context(HeapPtr session_id, uint32_t epoch, int32_t purpose, int32_t direction) {
  crypto::ChainContext context;
  const auto id = heap_view(session_id, crypto::kSessionIdBytes);
  std::copy(id.begin(), id.end(), context.session_id.begin());
  context.epoch = epoch;
  context.purpose = static_cast<uint8_t>(purpose);
  context.direction = direction == 0 ? crypto::Direction::customer_to_agent : crypto::Direction::agent_to_customer;
  return context;
}
MessageSender* message_sender_create(HeapPtr session_id, uint32_t epoch, int32_t purpose, int32_t direction,
                                     HeapPtr chain_key) {
  return new MessageSender(chain_context(session_id, epoch, purpose, direction),
                           heap_fixed<const uint8_t, crypto::kChainKeyBytes>(chain_key));
}
int32_t message_seal(MessageSender& sender, HeapPtr plaintext, size_t plaintext_len, HeapPtr out, size_t out_len) {
  return to_int(sender.seal(heap_view(plaintext, plaintext_len), heap_span(out, out_len)));
}
MessageReceiver* message_receiver_create(HeapPtr session_id, uint32_t epoch, int32_t purpose, int32_t direction,
                                         HeapPtr chain_key) {
  return new MessageReceiver(chain_context(session_id, epoch, purpose, direction),
                             heap_fixed<const uint8_t, crypto::kChainKeyBytes>(chain_key));
}
int32_t message_open(MessageReceiver& receiver, HeapPtr sealed, size_t sealed_len, HeapPtr out, size_t out_len) {
  return to_int(receiver.open(heap_view(sealed, sealed_len), heap_span(out, out_len)));
}

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_crypto) {
  using emscripten::allow_raw_pointers;
  emscripten::constant("SEALED_BOX_PUBLIC_KEY_BYTES", crypto::kSealedBoxPublicKeyBytes);
  emscripten::constant("SEALED_BOX_SECRET_KEY_BYTES", crypto::kSealedBoxSecretKeyBytes);
  emscripten::constant("SEALED_BOX_OVERHEAD_BYTES", crypto::kSealedBoxOverheadBytes);
  emscripten::function("_sealedBoxKeypair", &sealed_box_keypair);
  emscripten::function("_vaultSealedBytes", &vault_sealed_bytes);
  emscripten::class_<LocalVault>("LocalVault")
      .class_function("_create", &vault_create, allow_raw_pointers())
      .class_function("_restore", &vault_restore, allow_raw_pointers())
      .function("_openPurpose", &vault_open_purpose)
      .function("_seal", &vault_seal)
      .function("_open", &vault_open)
      .function("expire", &vault_expire)
      .function("forget", &vault_forget)
      .function("purposes", &vault_purposes)
      .function("nextDeadline", &vault_next_deadline)
      .function("_exportState", &vault_export_state);
  emscripten::function("_sealedBoxSeal", &sealed_box_seal);
  emscripten::function("_sealedBoxOpen", &sealed_box_open);

  emscripten::constant("IDENTITY_PUBLIC_KEY_BYTES", crypto::kIdentityPublicKeyBytes);
  emscripten::constant("IDENTITY_SEED_BYTES", crypto::kIdentitySeedBytes);
  emscripten::constant("SIGNATURE_BYTES", crypto::kSignatureBytes);
  emscripten::class_<IdentityKey>("IdentityKey")
      .class_function("_generate", &identity_generate, allow_raw_pointers())
      .class_function("_fromSeed", &identity_from_seed, allow_raw_pointers())
      .function("_publicKey", &identity_public_key)
      .function("_exportSeed", &identity_export_seed)
      .function("_sign", &identity_sign);
  emscripten::function("_verifySignature", &verify_signature);
  emscripten::function("_hkdfSha256", &hkdf_sha256);

  emscripten::constant("FRAME_CIPHER_SUITE", crypto::kFrameCipherSuite);
  emscripten::constant("MAX_FRAME_BYTES", crypto::kMaxFrameBytes);
  emscripten::function("_sealedFrameMaxBytes", &sealed_frame_max_bytes);

  emscripten::constant("SESSION_ID_BYTES", crypto::kSessionIdBytes);
  emscripten::constant("MAX_MESSAGE_BYTES", crypto::kMaxMessageBytes);
  emscripten::constant("MESSAGE_WINDOW", static_cast<uint32_t>(crypto::kMessageWindow));
  emscripten::class_<MessageSender>("MessageSender")
      .class_function("_create", &message_sender_create, allow_raw_pointers())
      .function("_seal", &message_seal);
  emscripten::class_<MessageReceiver>("MessageReceiver")
      .class_function("_create", &message_receiver_create, allow_raw_pointers())
      .function("_open", &message_open);
}

}  // namespace sealdesk::wasm

// --- frames (standalone sender keys; sessions hold their own): the media hot path ---
// Plain exported C functions rather than Embind classes (as for the PII masker): on a 100-byte
// frame Embind's method invoker cost more than sealing it. A sealer or opener is a heap offset
// JS owns; frameSealerDelete/frameOpenerDelete wipe its keys and free it.

using namespace sealdesk;
using namespace sealdesk::wasm;

namespace {

crypto::FrameSealer& sealer_at(HeapPtr ptr) { return *reinterpret_cast<crypto::FrameSealer*>(ptr); }
crypto::FrameOpener& opener_at(HeapPtr ptr) { return *reinterpret_cast<crypto::FrameOpener*>(ptr); }

}  // namespace

extern "C" {

// A record's sealed size for a plaintext of plaintext_len bytes (padding included): a raw call,
// since every message the session seals asks it.
EMSCRIPTEN_KEEPALIVE size_t sealedMessageBytes(size_t plaintext_len) { return crypto::sealed_message_bytes(plaintext_len); }

// A sender key for one track (base_key: 32 bytes): its heap offset, or 0 with the error kept.
EMSCRIPTEN_KEEPALIVE HeapPtr frameSealerCreate(uint32_t kid_high, uint32_t kid_low, HeapPtr base_key) {
  return reinterpret_cast<HeapPtr>(handle_or_null(
      crypto::FrameSealer::create(key_id(kid_high, kid_low), heap_fixed<const uint8_t, crypto::kFrameBaseKeyBytes>(base_key))));
}

EMSCRIPTEN_KEEPALIVE void frameSealerDelete(HeapPtr sealer) { delete &sealer_at(sealer); }

// Seals frame_len bytes at frame into out (out_len bytes; out may be frame itself): the sealed
// size, or -Status.
EMSCRIPTEN_KEEPALIVE int32_t frameSeal(HeapPtr sealer, int32_t codec, HeapPtr frame, size_t frame_len, HeapPtr out,
                                       size_t out_len) {
  return to_int(sealer_at(sealer).seal(static_cast<crypto::FrameCodec>(codec), heap_view(frame, frame_len), heap_span(out, out_len)));
}

EMSCRIPTEN_KEEPALIVE int32_t frameSealerRotate(HeapPtr sealer) { return to_int(sealer_at(sealer).rotate()); }

EMSCRIPTEN_KEEPALIVE HeapPtr frameOpenerCreate(uint32_t kid_high, uint32_t kid_low, HeapPtr base_key) {
  return reinterpret_cast<HeapPtr>(handle_or_null(
      crypto::FrameOpener::create(key_id(kid_high, kid_low), heap_fixed<const uint8_t, crypto::kFrameBaseKeyBytes>(base_key))));
}

EMSCRIPTEN_KEEPALIVE void frameOpenerDelete(HeapPtr opener) { delete &opener_at(opener); }

// Opens sealed_len bytes at sealed into out (out may be sealed itself): the frame's size, or
// -Status (out wiped).
EMSCRIPTEN_KEEPALIVE int32_t frameOpen(HeapPtr opener, int32_t codec, HeapPtr sealed, size_t sealed_len, HeapPtr out,
                                       size_t out_len) {
  return to_int(opener_at(opener).open(static_cast<crypto::FrameCodec>(codec), heap_view(sealed, sealed_len), heap_span(out, out_len)));
}

}  // extern "C"
