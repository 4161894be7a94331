#!/usr/bin/env bash
# Runs every test of the FOTA Sandbox (installs what is missing: see scripts/tools.sh):
# formatting, clippy (native and wasm), the Rust tests, a release web build, and the browser
# tests in headless Chromium against that build served under /course/fota/.
source "$(dirname "$0")/tools.sh"
cd "$ROOT"
start=$(date +%s)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
need_rust
need_libcoap
need_tshark
need_aiocoap
say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets -- -D warnings
say "cargo clippy (web app, wasm32)"
cargo clippy -p fota-web --target wasm32-unknown-unknown -- -D warnings
say "cargo test"
cargo test --workspace 2>&1 | tee -a "$log"
build_web
need_chromium
npm_ci_in "$ROOT/tests/e2e"
say "building the CLI the browser tests compare against"
cargo build -p fota-sandbox
say "browser tests (Playwright, headless Chromium)"
(cd tests/e2e && FOTA_CLI="$ROOT/target/debug/fota-sandbox" npx playwright test) 2>&1 | tee -a "$log"
rust=$(awk '/^test result:/ { n += $4 } END { print n + 0 }' "$log")
browser=$(awk '/^ +[0-9]+ passed/ { n += $1 } END { print n + 0 }' "$log")
say "all tests passed in $(( $(date +%s) - start )) s: $rust Rust tests, $browser browser tests"
echo "$((rust + browser)) passed, 0 failed"
