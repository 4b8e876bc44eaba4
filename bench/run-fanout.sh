#!/usr/bin/env bash
# Builds and runs the fan-out benchmark (bench_fanout): opsdeck-hub against the Node.js `ws`
# peer in the same run. Extra arguments go to bench_fanout (see --help), e.g.
#   bench/run-fanout.sh --conns 1,10,100,1000 --measure-ms 6000
# Environment: BUILD_PRESET (default release), SKIP_NPM=1 to leave node_modules alone.
exec "$(dirname "${BASH_SOURCE[0]}")/run-with-node-peer.sh" bench_fanout "$@"
