#!/usr/bin/env bash
# Builds libsodium, Opus and libogg for WebAssembly from Debian's own source packages
# (`apt-get source`), once, into DIR/install. Nothing here is ever committed: DIR lives in build/.
# Usage: wasm/third_party.sh DIR
set -euo pipefail
dir=$(mkdir -p "$1" && cd "$1" && pwd)
mkdir -p "$dir/src" "$dir/install"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
flags="-O3"

# One builder at a time (several build trees may share DIR).
exec 9>"$dir/.lock"
flock 9

fetch() { # fetch PACKAGE -> prints the unpacked source directory
  local pkg=$1
  local found; found=$(find "$dir/src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n 1)
  if [ -z "$found" ]; then
    (cd "$dir/src" && apt-get source -q "$pkg" >&2)
    found=$(find "$dir/src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | head -n 1)
  fi
  [ -n "$found" ] || { echo "apt-get source $pkg produced no source tree (is a deb-src entry configured?)" >&2; exit 1; }
  echo "$found"
}

built() { [ -f "$dir/install/.$1.done" ]; }
mark() { touch "$dir/install/.$1.done"; }

if ! built libsodium; then
  echo "== libsodium (wasm)"
  src=$(fetch libsodium)
  (cd "$src" && ./autogen.sh -s \
    && emconfigure ./configure --host=wasm32-unknown-emscripten --disable-asm --disable-ssp \
         --without-pthreads --disable-shared --prefix="$dir/install" CFLAGS="$flags" \
    && emmake make -j"$(nproc)" install)
  mark libsodium
fi

if ! built opus; then
  echo "== opus (wasm)"
  src=$(fetch opus)
  # The 1.3.1 tarball's CMakeLists includes a file its tarball lacks; an empty one is enough.
  [ -f "$src/opus_buildtype.cmake" ] || : > "$src/opus_buildtype.cmake"
  emcmake cmake -S "$src" -B "$src/build-wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="$flags" -DOPUS_STACK_PROTECTOR=OFF -DCMAKE_INSTALL_PREFIX="$dir/install"
  cmake --build "$src/build-wasm"
  cmake --install "$src/build-wasm"
  mark opus
fi

if ! built libogg; then
  echo "== libogg (wasm)"
  src=$(fetch libogg)
  # libogg's CMake type-size checks fail under emcmake; its autotools build works.
  (cd "$src" && emconfigure ./configure --host=wasm32 --disable-shared --prefix="$dir/install" CFLAGS="$flags" \
    && emmake make -j"$(nproc)" install)
  mark libogg
fi
echo "third-party wasm libraries ready in $dir/install"
