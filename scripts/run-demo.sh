#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install the packages, build the `release` preset and
# launch Opsdeck in demo mode (simulated fleet, no login, loopback only).
# Extra arguments are passed to the launched program. SKIP_DEPS=1 skips the apt step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ "${SKIP_DEPS:-0}" != 1 ]; then
  "$root/scripts/install-deps.sh"
fi
# What the demo launches. Until the desktop app exists it is the headless hub with its
# simulated fleet; the console replaces these two lines (target `opsdeck`, build/release/app/opsdeck).
demo_target=opsdeck-hub
demo_command=("$root/build/release/hub/cli/opsdeck-hub" --mode demo)

cmake --preset release
# Only what the demo needs: a first launch should not wait for the tests and benchmarks.
cmake --build --preset release --target "$demo_target"
exec "${demo_command[@]}" "$@"
