#!/usr/bin/env bash
# Builds the FOTA Sandbox and serves it at http://127.0.0.1:8080 (installs what is missing:
# see scripts/tools.sh).
source "$(dirname "$0")/tools.sh"
need_rust
need_trunk
need_wasm_opt
say "building (release) and serving at http://127.0.0.1:8080 (Ctrl-C stops)"
cd "$ROOT" && exec trunk serve --offline --release --no-autoreload
