#!/usr/bin/env bash
# Installs what Fabric Atlas needs to build, run and test on Debian/Ubuntu. Idempotent: a second
# run only checks. Other platforms: see the README.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS="libwebkit2gtk-4.1-dev build-essential pkg-config curl python3-gi gir1.2-gtk-3.0
      xvfb xauth webkit2gtk-driver xdotool dbus gnome-keyring libsecret-tools time
      desktop-file-utils"

if command -v dpkg-query >/dev/null 2>&1; then
  missing=$(for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done)
  if [ -n "$missing" ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing Debian packages:" $missing
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
  fi
else
  echo "setup: not a Debian/Ubuntu system; install the prerequisites listed in README.md" >&2
fi

if [ "${1:-}" = "--with-e2e" ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver 2.1.0"
  cargo install tauri-driver --locked --version 2.1.0
fi

npm ci --prefix ui --no-audit --no-fund
if [ "${1:-}" = "--with-e2e" ]; then
  npm ci --prefix tests/e2e --no-audit --no-fund
fi
