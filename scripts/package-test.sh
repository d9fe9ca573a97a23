#!/usr/bin/env bash
# The package's life on this machine, as an administrator meets it: install the .deb (built by
# `make package`) with apt, check what it put where, run the installed CLI and the installed app
# (the sandbox smoke test under Xvfb, with a fresh HOME), then purge it and check that nothing is
# left but the user's own files. Needs root or sudo; run inside scripts/with-keyring.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "package-test: $*" >&2; exit 1; }
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
apt_get() { DEBIAN_FRONTEND=noninteractive $sudo apt-get -y -q "$@"; }

shopt -s nullglob
debs=(target/release/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb in target/release/bundle/deb, found ${#debs[@]}"
deb=$(realpath "${debs[0]}")
field() { dpkg-deb -f "$deb" "$1"; }
pkg=$(field Package)

# --- The control file: version from the workspace, who made it, what it needs.
want_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ "$(field Version)" = "$want_version" ] || fail "version $(field Version), the workspace says $want_version"
for f in Maintainer Homepage Description Section; do
  [ -n "$(field "$f")" ] || fail "the control file has no $f"
done
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libsoup-3.0-0; do
  grep -qw -- "$dep" <<<"$(field Depends)" || fail "Depends lacks $dep: $(field Depends)"
done
grep -qw gnome-keyring <<<"$(field Recommends)" || fail "Recommends names no Secret Service provider"
echo "package-test: $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, installed size $(field Installed-Size) KiB"

# --- Install with the system's package manager (it resolves the dependencies).
home=$(mktemp -d /tmp/atlas-package-home.XXXXXX)
installed=0
cleanup() {
  [ "$installed" = 1 ] && apt_get purge "$pkg" >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
  apt_get purge "$pkg" >/dev/null # left over from an interrupted run
fi
apt_get install --no-install-recommends "$deb" >/dev/null
installed=1
mapfile -t files < <(dpkg -L "$pkg")
echo "package-test: installed $pkg $(field Version): ${#files[@]} paths"

# --- What it installed.
has() { printf '%s\n' "${files[@]}" | grep -qx -- "$1" || fail "the package does not install $1"; }
for path in /usr/bin/fabric-atlas /usr/bin/atlas \
  /usr/share/bash-completion/completions/atlas /usr/share/zsh/vendor-completions/_atlas \
  /usr/share/fish/vendor_completions.d/atlas.fish /usr/share/man/man1/atlas.1.gz \
  /usr/share/man/man1/atlas-region.1.gz; do
  has "$path"
  [ -f "$path" ] || fail "$path is not on disk"
done
for size in 32x32 64x64 128x128 256x256@2 512x512; do
  has "/usr/share/icons/hicolor/$size/apps/fabric-atlas.png"
done
desktop=$(printf '%s\n' "${files[@]}" | grep '^/usr/share/applications/.*\.desktop$') ||
  fail "no desktop entry in /usr/share/applications"
desktop-file-validate "$desktop" || fail "$desktop is not a valid desktop entry"
for key in "Name=Fabric Atlas" "Exec=fabric-atlas" "Icon=fabric-atlas" "Categories=" "Keywords=" "Comment="; do
  grep -q "^$key" "$desktop" || fail "$desktop has no $key line"
done
ldd /usr/bin/fabric-atlas | grep -q "not found" && fail "the app needs a library apt did not install"
zcat /usr/share/man/man1/atlas.1.gz | grep -q '^\.TH atlas 1' || fail "atlas.1.gz is not a man page"
bash -c 'source /usr/share/bash-completion/completions/atlas && complete -p atlas' >/dev/null ||
  fail "the bash completion does not register for atlas"

# --- The installed CLI, as a new user (nothing configured, every directory from HOME).
user_env=(env -u FABRIC_ATLAS_CONFIG_DIR -u FABRIC_ATLAS_DATA_DIR -u FABRIC_ATLAS_STATE_DIR
  -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME HOME="$home")
(cd / && "${user_env[@]}" atlas --version) > "$home/version.txt"
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
grep -qx "atlas $want_version (commit $commit)" "$home/version.txt" ||
  fail "atlas --version: $(cat "$home/version.txt")"
grep -qx "app log: $home/.local/share/fabric-atlas/logs" "$home/version.txt" ||
  fail "atlas --version names no app log under HOME: $(cat "$home/version.txt")"
[ "$(cd / && "${user_env[@]}" atlas region list --json)" = "[]" ] || fail "atlas region list on a new HOME is not empty"
(cd / && "${user_env[@]}" atlas region list) | grep -q . || fail "atlas region list says nothing"
echo "package-test: $(head -1 "$home/version.txt"); region list answers"

# --- The installed app: the sandbox smoke test under Xvfb (the harness drives /usr/bin's app).
(cd tests/e2e && "${user_env[@]}" FABRIC_ATLAS_APP=/usr/bin/fabric-atlas FABRIC_ATLAS_E2E_HOME="$home" \
  FABRIC_ATLAS_E2E_COMMIT="$commit" \
  xvfb-run -a -s "-screen 0 1280x1024x24" \
  node --test --test-concurrency=1 --test-reporter=spec installed/smoke.test.mjs)
[ -d "$home/.local/share/fabric-atlas/logs" ] || fail "the installed app wrote no log under HOME"

# --- Purge: every file of the package goes, the user's own files stay.
apt_get purge "$pkg" >/dev/null
installed=0
dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' && fail "$pkg is still installed"
for path in "${files[@]}"; do
  [ -d "$path" ] && continue # shared directories (/usr/bin, /usr/share/…) stay
  [ -e "$path" ] && fail "$path is left behind after purge"
done
[ -d "$home/.local/share/fabric-atlas/logs" ] || fail "purge removed the user's own files"
echo "package-test: purged; nothing left behind but the user's own files"
