#!/usr/bin/env bash
# Builds and runs the fan-out benchmark (bench_fanout): opsdeck-hub against the Node.js `ws`
# peer in the same run. Extra arguments go to bench_fanout (see --help), e.g.
#   bench/run-fanout.sh --conns 1,10,100,1000 --measure-ms 6000
# Environment: BUILD_PRESET (default release), SKIP_NPM=1 to leave node_modules alone.
set -euo pipefail
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
    echo "run-fanout: npm not found; the Node peer will be skipped (scripts/install-deps.sh installs it)" >&2
  fi
fi

# A benchmark of a Debug build measures the debug build: always a Release-type preset.
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target bench_fanout
exec "$root/build/$preset/bench/bench_fanout" "$@"
