#!/usr/bin/env bash
# Builds benchmark TARGET (bench_fanout or bench_relay) in a Release-type preset and runs it with
# the Node.js `ws` peer (bench/node-peer) ready beside it. Used by run-fanout.sh and run-relay.sh:
#   bench/run-with-node-peer.sh TARGET [arguments for TARGET]
# Environment: BUILD_PRESET (default release), SKIP_NPM=1 to leave node_modules alone.
set -euo pipefail
target="${1:?usage: run-with-node-peer.sh TARGET [arguments]}"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${BUILD_PRESET:-release}"
cd "$root"

# The peer's dependencies come from the committed lockfile, so both sides of a comparison run
# the same `ws` version everywhere.
if [ "${SKIP_NPM:-0}" != 1 ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! -d bench/node-peer/node_modules/ws ] || [ bench/node-peer/package-lock.json -nt bench/node-peer/node_modules ]; then
      (cd bench/node-peer && npm ci --no-audit --no-fund)
    fi
  else
    echo "$target: npm not found; the Node peer will be skipped (scripts/install-deps.sh installs it)" >&2
  fi
fi

# A benchmark of a Debug build measures the debug build: always a Release-type preset.
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target "$target"
exec "$root/build/$preset/bench/$target" "$@"
