#!/bin/sh
# Runs the real-keychain test in a private D-Bus session with an unlocked gnome-keyring and a
# temporary HOME, so it never touches the developer's own keychain. Without dbus-run-session or
# gnome-keyring-daemon the test binary skips (OPSDECK_KEYCHAIN_SETUP=absent).
set -u
test_binary="$1"
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  OPSDECK_KEYCHAIN_SETUP=absent exec "$test_binary"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run"
chmod 700 "$tmp/run"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
  XDG_RUNTIME_DIR="$tmp/run"
dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0"' \
  "$test_binary"
status=$?
exit $status
