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
# Only what the demo needs: a first launch should not wait for the tests and benchmarks.
cmake --build --preset release --target opsdeck

# The console needs a display. On a headless Linux box say what to do instead of letting Qt
# fail with a platform-plugin error.
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
   && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-demo: no display (DISPLAY and WAYLAND_DISPLAY are unset)." >&2
  echo "  On a desktop, run this from its terminal. Headless, either:" >&2
  echo "    xvfb-run -a -s '-screen 0 1440x900x24' build/release/app/opsdeck --demo --screenshot demo.png" >&2
  echo "    build/release/hub/cli/opsdeck-hub --mode demo     # the hub alone (cmake --build --preset release --target opsdeck-hub)" >&2
  exit 2
fi
exec "$root/build/release/app/opsdeck" --demo "$@"
