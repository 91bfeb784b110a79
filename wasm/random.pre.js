// libsodium's Emscripten build draws every random byte through Module.getRandomValue() (one
// 32-bit value per byte). Serve those values from a pool refilled by crypto.getRandomValues (a
// CSPRNG in browsers, workers and Node >= 19) instead of one getRandomValues call per byte.
// The pool holds random values only until they are handed out; used slots are zeroed.
Module['getRandomValue'] = (function () {
  var pool = new Uint32Array(1024);
  var next = pool.length;
  return function () {
    if (next === pool.length) {
      globalThis.crypto.getRandomValues(pool);
      next = 0;
    }
    var value = pool[next];
    pool[next++] = 0;
    return value >>> 0;
  };
})();
