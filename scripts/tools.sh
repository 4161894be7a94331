# Installs what the build and the tests need, when it is missing, and puts it on PATH.
# Sourced by scripts/serve.sh and scripts/test.sh; every step is skipped when already done.
# Installs: the wasm32-unknown-unknown target, rustfmt and clippy (rustup), trunk 0.21.14 and
# wasm-bindgen-cli at the Cargo.lock version (cargo install), wasm-opt (npm binaryen@132 in
# tools/), and for the tests Debian's chromium + chromium-driver, libcoap3-bin and tshark, the npm
# packages of tests/e2e/, and aiocoap + cbor2 (pip, in a venv under target/) for the LwM2M
# interop test.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The third-party LwM2M client of crates/cli/tests/lwm2m_interop.rs: aiocoap's CoAP, and cbor2
# for its SenML CBOR, so that no byte of what the server decodes is encoded by our code.
AIOCOAP_PINS="aiocoap==0.4.17 cbor2==6.3.0"
AIOCOAP_VENV="$ROOT/target/venv-interop"
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else return 1; fi
}

need_rust() {
  command -v cargo >/dev/null || die "cargo is not on PATH: install the Rust toolchain from rustup.rs first"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing the wasm32-unknown-unknown target (rustup)"
    rustup target add wasm32-unknown-unknown
  fi
  for c in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
      say "installing $c (rustup)"
      rustup component add "$c"
    fi
  done
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

need_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (cargo install, a few minutes once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local v
  v="$(wasm_bindgen_version)"
  [ -n "$v" ] || die "no wasm-bindgen in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $v" ]; then
    say "installing wasm-bindgen-cli $v, the version in Cargo.lock (cargo install, a few minutes once)"
    cargo install wasm-bindgen-cli --version "=$v" --locked || cargo install wasm-bindgen-cli --version "=$v"
  fi
}

need_node() {
  if ! command -v npm >/dev/null; then
    as_root true || die "npm is missing; run: sudo apt-get install -y nodejs npm"
    say "installing nodejs and npm (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  fi
}

# npm ci in $1 unless node_modules already matches package-lock.json.
npm_ci_in() {
  local dir="$1" stamp="$1/node_modules/.lock-sha256" want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing npm packages in ${dir#"$ROOT"/} (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
}

need_wasm_opt() {
  need_node
  npm_ci_in "$ROOT/tools"
  wasm-opt --version | grep -q "version 132" || die "wasm-opt 132 expected from tools/node_modules"
}

need_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    as_root true || die "Chromium is missing; run: sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
    say "installing chromium and chromium-driver (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
}

need_libcoap() {
  if ! command -v coap-client-notls >/dev/null; then
    as_root true || die "libcoap's client is missing; run: sudo apt-get update && sudo apt-get install -y libcoap3-bin"
    say "installing libcoap3-bin (apt-get), the third-party CoAP peer of the interop tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcoap3-bin
  fi
}

need_tshark() {
  if ! command -v tshark >/dev/null; then
    as_root true || die "tshark is missing; run: sudo apt-get update && sudo apt-get install -y tshark"
    say "installing tshark (apt-get), which checks that the pcap export decodes as CoAP"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark
  fi
}

# A Python venv with aiocoap, its python exported as FOTA_AIOCOAP_PYTHON for the interop test.
need_aiocoap() {
  local py="$AIOCOAP_VENV/bin/python" stamp="$AIOCOAP_VENV/.pins"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$AIOCOAP_PINS" ] || ! "$py" -c 'import aiocoap, cbor2' 2>/dev/null; then
    # Debian's python3 leaves venv's ensurepip to the python3-venv package.
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      as_root true || die "python3 with venv is missing; run: sudo apt-get update && sudo apt-get install -y python3 python3-venv"
      say "installing python3-venv (apt-get), for the aiocoap client of the interop test"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
    fi
    say "installing $AIOCOAP_PINS (pip, in ${AIOCOAP_VENV#"$ROOT"/})"
    rm -rf "$AIOCOAP_VENV"
    python3 -m venv "$AIOCOAP_VENV"
    # shellcheck disable=SC2086 # the pins are words
    "$py" -m pip install -q --disable-pip-version-check $AIOCOAP_PINS
    echo "$AIOCOAP_PINS" > "$stamp"
  fi
  export FOTA_AIOCOAP_PYTHON="$py"
}

build_web() {
  need_rust
  need_trunk
  need_wasm_opt
  say "building the web app (trunk build --release) into dist/"
  (cd "$ROOT" && trunk build --offline --release)
}
