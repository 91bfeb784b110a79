// sdk/crypto bindings. Raw functions: heap offsets + lengths in, >= 0 or -Status out.
#include "sdk/crypto/library.h"
#include "sdk/crypto/sealed_box.h"
#include "wasm/common.h"

namespace sealdesk::wasm {
namespace {

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

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_crypto) {
  emscripten::constant("SEALED_BOX_PUBLIC_KEY_BYTES", crypto::kSealedBoxPublicKeyBytes);
  emscripten::constant("SEALED_BOX_SECRET_KEY_BYTES", crypto::kSealedBoxSecretKeyBytes);
  emscripten::constant("SEALED_BOX_OVERHEAD_BYTES", crypto::kSealedBoxOverheadBytes);
  emscripten::function("_sealedBoxKeypair", &sealed_box_keypair);
  emscripten::function("_sealedBoxSeal", &sealed_box_seal);
  emscripten::function("_sealedBoxOpen", &sealed_box_open);
}

}  // namespace sealdesk::wasm
