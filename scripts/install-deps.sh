#!/usr/bin/env bash
# Installs every system package Opsdeck needs to build, test and run on Debian 12 / Ubuntu 24.04.
# macOS and Windows equivalents are listed in README.md.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
PKGS=(
  build-essential pkg-config cmake ninja-build
  qt6-base-dev qt6-declarative-dev qt6-websockets-dev qt6-httpserver-dev qt6-charts-dev
  qtkeychain-qt6-dev libqt6sql6-sqlite
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
  qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qml6-module-qttest qml6-module-qtcharts qml6-module-qtquick-dialogs qml6-module-qt-labs-platform
  libqt6svg6
  libvterm-dev libsodium-dev libjwt-dev
  xvfb xauth libxkbcommon-dev
  # TLS tests make a self-signed certificate at run time (hubmodes-tls, auth-http, appauth-signin);
  # the console's keychain test needs a real Secret Service (integration-keychain-real).
  openssl gnome-keyring libsecret-1-0 dbus-daemon
)
# Node.js + npm only run the benchmark peer (npm's `ws`); keep an existing install (some images ship
# a repackaged nodejs that already contains npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then PKGS+=(nodejs npm); fi
# lnav is the log-loading peer of bench_logmodel; xterm the rendering peer of bench_terminal.
PKGS+=(lnav xterm)
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}"
