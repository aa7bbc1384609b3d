#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) and Debian's chromium for the end-to-end test.
#
# Why code-server: @vscode/test-electron and @vscode/test-web download VS Code at run time, which this
# machine (npm registry + Debian apt only) cannot do. code-server 4.100.3 is the last release that runs on
# Node 20. It lives in a cache folder outside the repository so that `npm ci` never deletes it and the
# extension's own node_modules never sees it.
#
# Idempotent: when the pinned version is already installed it only prints the path (well under a second).
# Prints the code-server executable path as the last line of stdout.
set -euo pipefail

VERSION=4.100.3
CACHE_DIR=${PREFLIGHT_E2E_CACHE:-"$HOME/.cache/preflight-e2e"}
PREFIX="$CACHE_DIR/code-server-$VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
STAMP="$PREFIX/.installed"

log() { echo "install-code-server: $*" >&2; }

if [ -f "$STAMP" ] && [ -x "$BIN" ] && [ -x /usr/bin/chromium ]; then
  echo "$BIN"
  exit 0
fi

# Native modules of VS Code (kerberos, @vscode/spdlog, node-pty, ...) build against these headers;
# chromium is the browser playwright-core drives; ripgrep replaces the binary @vscode/ripgrep downloads.
apt_packages=(libkrb5-dev libsecret-1-dev libxkbfile-dev ripgrep chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless the release archive is already in its
# cache folder (os.tmpdir()/vscode-ripgrep-cache-<package version>/ripgrep-<rg version>-<target>.tar.gz).
# Put an archive of Debian's rg there so that the postinstall "uses the cached download".
rg_package_version=1.15.11 # @vscode/ripgrep version pinned in code-server 4.100.3's npm-shrinkwrap.json
rg_release=v13.0.0-10      # the ripgrep-prebuilt release that version asks for
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) log "unsupported architecture $(uname -m)"; exit 1 ;;
esac
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_package_version"
rg_archive="$rg_cache/ripgrep-$rg_release-$rg_target.tar.gz"
if [ ! -s "$rg_archive" ]; then
  mkdir -p "$rg_cache"
  staging=$(mktemp -d)
  cp "$(command -v rg)" "$staging/rg"
  tar czf "$rg_archive" -C "$staging" rg
  rm -rf "$staging"
fi

log "installing code-server $VERSION into $PREFIX (takes a few minutes)"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
echo '{"name":"preflight-e2e-code-server","private":true}' > "$PREFIX/package.json"
# As root, code-server's postinstall refuses to run without unsafe-perm; npm_config_yes answers npm's
# confirmation prompts, which would otherwise stall a non-interactive install.
(
  cd "$PREFIX"
  npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save "code-server@$VERSION" >&2
)
if [ ! -x "$BIN" ]; then
  log "code-server was not installed: $BIN is missing"
  exit 1
fi
touch "$STAMP"
echo "$BIN"
