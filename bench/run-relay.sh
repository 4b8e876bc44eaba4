#!/usr/bin/env bash
# Builds and runs the relay hop benchmark (bench_relay): a subscriber of a real opsdeck-hub
# directly, through the Opsdeck relay and through the Node.js `ws` relay, in the same run.
# Extra arguments go to bench_relay (see --help), e.g.
#   bench/run-relay.sh --rates 1000,10000 --unbatched-rates '' --repeat 5
# Environment: BUILD_PRESET (default release), SKIP_NPM=1 to leave node_modules alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${BUILD_PRESET:-release}"
cd "$root"

# The relay's dependencies come from the committed lockfile (the same `ws` as the fan-out peer).
if [ "${SKIP_NPM:-0}" != 1 ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! -d bench/node-peer/node_modules/ws ] || [ bench/node-peer/package-lock.json -nt bench/node-peer/node_modules ]; then
      (cd bench/node-peer && npm ci --no-audit --no-fund)
    fi
  else
    echo "run-relay: npm not found; the Node relay will be skipped (scripts/install-deps.sh installs it)" >&2
  fi
fi

# A benchmark of a Debug build measures the debug build: always a Release-type preset.
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target bench_relay
exec "$root/build/$preset/bench/bench_relay" "$@"
