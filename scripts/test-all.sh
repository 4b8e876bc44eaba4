#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install the packages, build and run every test.
#   scripts/test-all.sh           the `dev` preset (Debug)
#   scripts/test-all.sh --asan    the `asan` preset (AddressSanitizer + UBSan, no benchmarks)
# Exits non-zero if anything fails: install, configure, build or any test.
# Environment: SKIP_DEPS=1 skips the apt step; CTEST_ARGS adds ctest arguments (e.g. "-L unit");
# CTEST_PARALLEL_LEVEL=N runs N tests at once (default 1: several tests measure timeouts and
# reconnects, and a loaded 2-core CI box should not turn them flaky).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

preset=dev
for arg in "$@"; do
  case "$arg" in
    --asan) preset=asan ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "test-all: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [ "${SKIP_DEPS:-0}" != 1 ]; then
  "$root/scripts/install-deps.sh"
fi

cmake --preset "$preset"
cmake --build --preset "$preset"
# outputOnFailure and noTestsAction=error come from the preset: a failing test prints its log,
# and a tree that registers no tests fails instead of passing vacuously.
# shellcheck disable=SC2086 # CTEST_ARGS is a list of words on purpose
ctest --preset "$preset" ${CTEST_ARGS:-}
