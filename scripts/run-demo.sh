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
cmake --preset release
cmake --build --preset release

# Until the desktop app exists the demo is the headless hub with its simulated fleet; the
# console will replace this line (build/release/app/opsdeck).
exec "$root/build/release/hub/cli/opsdeck-hub" --mode demo "$@"
