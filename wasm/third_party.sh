#!/usr/bin/env bash
# Builds third-party libraries from Debian's own source packages (`apt-get source`), once, into
# DIR/install. Nothing here is ever committed: DIR lives in build/.
#   wasm/third_party.sh wasm DIR     libsodium, Opus and libogg for WebAssembly (emcc)
#   wasm/third_party.sh native DIR   Opus only, for the native presets
# Opus is built fixed-point in both: its fixed-point code is bit-exact across compilers and
# CPUs, so a voice note encoded in the browser is byte-identical to one encoded natively (the
# float build differs in the last bits through each platform's libm).
set -euo pipefail
target=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
mkdir -p "$dir/src" "$dir/install"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
flags="-O3"
# Opus and libogg for wasm use bulk memory, as the core does (CMakeLists.txt). libsodium does
# not: its randombytes state is _Thread_local, which clang keeps as TLS once bulk memory is on,
# and wasm-ld refuses TLS without atomics (threads).
bulk_flags="$flags"
if [ "$target" = wasm ]; then bulk_flags="-O3 -mbulk-memory"; fi

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

opus_options=(-DOPUS_FIXED_POINT=ON -DOPUS_ENABLE_FLOAT_API=OFF -DOPUS_STACK_PROTECTOR=OFF)

if [ "$target" = native ]; then
  if ! built opus-fixed; then
    echo "== opus (native, fixed-point)"
    src=$(fetch opus)
    [ -f "$src/opus_buildtype.cmake" ] || : > "$src/opus_buildtype.cmake"
    cmake -S "$src" -B "$src/build-native" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="$flags" \
      "${opus_options[@]}" -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_INSTALL_PREFIX="$dir/install"
    cmake --build "$src/build-native"
    cmake --install "$src/build-native"
    mark opus-fixed
  fi
  echo "third-party native libraries ready in $dir/install"
  exit 0
fi

if ! built libsodium; then
  echo "== libsodium (wasm)"
  src=$(fetch libsodium)
  (cd "$src" && ./autogen.sh -s \
    && emconfigure ./configure --host=wasm32-unknown-emscripten --disable-asm --disable-ssp \
         --without-pthreads --disable-shared --prefix="$dir/install" CFLAGS="$flags" \
    && emmake make -j"$(nproc)" install)
  mark libsodium
fi

if ! built opus-fixed-int64-bulk; then
  echo "== opus (wasm, fixed-point)"
  src=$(fetch opus)
  # The 1.3.1 tarball's CMakeLists includes a file its tarball lacks; an empty one is enough.
  [ -f "$src/opus_buildtype.cmake" ] || : > "$src/opus_buildtype.cmake"
  # Opus picks exact 64-bit multiplies (OPUS_FAST_INT64) only when it sees __x86_64__/__LP64__
  # (celt/arch.h), and otherwise a 16x16 approximation that rounds differently. WebAssembly has
  # native 64-bit integers, so claim the macro for Opus' own sources (only celt/arch.h reads it;
  # the C library headers Opus includes do not). Same arithmetic as the native build, and faster.
  emcmake cmake -S "$src" -B "$src/build-wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="$bulk_flags -D__x86_64__=1" "${opus_options[@]}" -DCMAKE_INSTALL_PREFIX="$dir/install"
  cmake --build "$src/build-wasm"
  cmake --install "$src/build-wasm"
  mark opus-fixed-int64-bulk
fi

if ! built libogg-bulk; then
  echo "== libogg (wasm)"
  src=$(fetch libogg)
  # libogg's CMake type-size checks fail under emcmake; its autotools build works.
  (cd "$src" && emconfigure ./configure --host=wasm32 --disable-shared --prefix="$dir/install" CFLAGS="$bulk_flags" \
    && emmake make -j"$(nproc)" install)
  mark libogg-bulk
fi
echo "third-party wasm libraries ready in $dir/install"
