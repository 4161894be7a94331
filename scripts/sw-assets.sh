#!/bin/sh
# Trunk post_build hook: writes the app's files and a version made from their bytes into the
# service worker in the staging folder, so each build is a new cache and the browser sees the
# worker change. Plain POSIX sh and coreutils: it runs wherever Trunk does.
set -eu
dir="${TRUNK_STAGING_DIR:?Trunk sets TRUNK_STAGING_DIR for its hooks}"
cd "$dir"
# The measure's floor (www/floor) is built by the same Trunk.toml and has no worker.
[ -f sw.js ] || exit 0
files=$(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
# shellcheck disable=SC2086 # file names from the build: no spaces
version=$(cat $files | cksum | cut -d ' ' -f 1)
list=$(for f in $files; do printf '"./%s",' "$f"; done)
line="const BUILD = { version: '$version', files: [\"./\", $list] };"
sed "s|^const BUILD = .*|$line|" sw.js > sw.js.new
mv sw.js.new sw.js
grep -q "version: '$version'" sw.js || { echo "sw-assets.sh: the BUILD line was not written" >&2; exit 1; }
echo "service worker: version $version, $(echo "$files" | wc -l) files"
