// Friendly wrappers over wasm/crypto_bindings.cpp.
export function bindCrypto(m, heap) {
  const PK = m.SEALED_BOX_PUBLIC_KEY_BYTES;
  const SK = m.SEALED_BOX_SECRET_KEY_BYTES;
  const OVERHEAD = m.SEALED_BOX_OVERHEAD_BYTES;
  return {
    sealedBox: {
      /** @returns {{ publicKey: Uint8Array, secretKey: Uint8Array }} */
      keypair() {
        return heap.with([PK, SK], (pk, sk) => {
          heap.check(m._sealedBoxKeypair(pk, sk));
          return { publicKey: heap.copyOut(pk, PK), secretKey: heap.copyOut(sk, SK) };
        });
      },
      seal(message, publicKey) {
        const outLen = message.byteLength + OVERHEAD;
        return heap.with([outLen, message, publicKey], (out, msg, pk) => {
          heap.check(m._sealedBoxSeal(out, outLen, msg, message.byteLength, pk));
          return heap.copyOut(out, outLen);
        });
      },
      open(sealed, publicKey, secretKey) {
        const outLen = Math.max(sealed.byteLength - OVERHEAD, 0);
        return heap.with([outLen, sealed, publicKey, secretKey], (out, c, pk, sk) => {
          heap.check(m._sealedBoxOpen(out, outLen, c, sealed.byteLength, pk, sk));
          return heap.copyOut(out, outLen);
        });
      },
    },
  };
}
