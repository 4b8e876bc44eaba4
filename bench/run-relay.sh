#!/usr/bin/env bash
# Builds and runs the relay hop benchmark (bench_relay): a subscriber of a real opsdeck-hub
# directly, through the Opsdeck relay and through the Node.js `ws` relay, in the same run.
# Extra arguments go to bench_relay (see --help), e.g.
#   bench/run-relay.sh --rates 1000,10000 --unbatched-rates '' --repeat 5
# Environment: BUILD_PRESET (default release), SKIP_NPM=1 to leave node_modules alone.
exec "$(dirname "${BASH_SOURCE[0]}")/run-with-node-peer.sh" bench_relay "$@"
