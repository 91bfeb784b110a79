# Shared by the README's two commands (tests/run, demo/run) and .ci/run.
# Installs what is missing (Debian packages, npm packages), builds every preset
# the command needs, and prints one line per stage with its wall time.
# Compiler output goes to build/logs/<stage>.log; it is shown only on failure.
set -euo pipefail

SEALDESK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SEALDESK_LOGS="$SEALDESK_ROOT/build/logs"
mkdir -p "$SEALDESK_LOGS"
export NODE_PATH=/usr/share/nodejs   # Debian's emcc finds acorn/terser here (the machine's node is not Debian's)

# stage NAME CMD...: run CMD with output in a log, print "[stage] NAME ... 12.3 s".
stage() {
  local name=$1; shift
  local log="$SEALDESK_LOGS/${name//[^A-Za-z0-9_.-]/_}.log"
  local t0; t0=$(date +%s.%N)
  printf '[stage] %-28s ' "$name"
  if "$@" >"$log" 2>&1; then
    printf 'ok    %6.1f s\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
  else
    local rc=$?
    printf 'FAIL  %6.1f s  (exit %d, log %s)\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$rc" "${log#"$SEALDESK_ROOT"/}"
    tail -n 60 "$log" | sed 's/^/    /'
    exit "$rc"
  fi
}

SEALDESK_APT_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config bc clang libclang-rt-14-dev
  # native libraries
  libsodium-dev libogg-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  # WebAssembly: Emscripten, and what `apt-get source` + autotools need for libsodium/Opus/libogg
  emscripten dpkg-dev autoconf automake libtool
  # browser tests and media tools
  nodejs chromium opus-tools espeak-ng gzip redis-server
  # the consent schema cross-check (tests/native/consent_policy_test.cpp)
  python3 python3-jsonschema
  # a CJK font, so zh-CN / zh-TW screenshots show Chinese and not boxes
  fonts-wqy-microhei
)

_apt_missing() {
  local p missing=()
  command -v npm >/dev/null || missing+=(npm)
  for p in "${SEALDESK_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[*]}"
}

_has_deb_src() { grep -rqs -e '^Types:.*deb-src' -e '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; }

_apt_install() {
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  # apt-get source needs a deb-src entry for bookworm.
  if ! _has_deb_src; then
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | $sudo tee /etc/apt/sources.list.d/sealdesk-deb-src.sources >/dev/null
  fi
  $sudo apt-get update -q
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $(_apt_missing)
}

install_system_packages() {
  if [ -n "$(_apt_missing)" ] || ! _has_deb_src; then
    stage "apt-get install" _apt_install
  else
    printf '[stage] %-28s cached\n' "apt-get install"
  fi
}

# install_npm_packages DIR...: `npm ci` in each folder (tests/, relay/) unless its lock is unchanged.
install_npm_packages() {
  local d
  for d in "$@"; do
    local dir="$SEALDESK_ROOT/$d" stamp="$SEALDESK_ROOT/$d/node_modules/.sealdesk-stamp"
    if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
      printf '[stage] %-28s cached\n' "npm ci $d"
      continue
    fi
    _npm() { cd "$1" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.sealdesk-stamp; }
    stage "npm ci $d" _npm "$dir"
  done
}

# Third-party libraries built from `apt-get source` (once; see wasm/third_party.sh):
# build_third_party wasm|native
build_third_party() {
  local target=$1 dir="$SEALDESK_ROOT/build/third_party/$1"
  stage "third-party libs ($target)" "$SEALDESK_ROOT/wasm/third_party.sh" "$target" "$dir"
}

# build_preset NAME: configure (once) and build one CMake preset.
build_preset() {
  local preset=$1
  _configure() { cd "$SEALDESK_ROOT" && cmake --preset "$preset"; }
  _build() { cd "$SEALDESK_ROOT" && cmake --build --preset "$preset"; }
  if [ ! -f "$SEALDESK_ROOT/build/$preset/CMakeCache.txt" ]; then
    stage "configure $preset" _configure
  fi
  stage "build $preset" _build
  if [ "$preset" = wasm ]; then cmake -DDIR="$SEALDESK_ROOT/js/dist" -P "$SEALDESK_ROOT/wasm/size_report.cmake"; fi
}
