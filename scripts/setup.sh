#!/usr/bin/env bash
# zicha set-up: everything `make audit` and `make test` need, installed idempotently.
#   scripts/setup.sh venv     .venv with the pinned Python packages (requirements.lock)
#   scripts/setup.sh opa      .tools/bin/opa at OPA_VERSION (tools.env)
#   scripts/setup.sh regal    .tools/bin/regal at REGAL_VERSION (tools.env)
#   scripts/setup.sh sarif    Microsoft's SARIF multitool at SARIF_MULTITOOL_VERSION (tools.env), for the tests
#   scripts/setup.sh system   Debian packages the tests and the lab use (root only)
# A second run finds each piece in place and does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../tools.env
. ./tools.env

say() { printf 'zicha setup: %s\n' "$*" >&2; }
die() { printf 'zicha setup: error: %s\n' "$*" >&2; exit 1; }

PYTHON=${PYTHON:-python3}
TOOLS=.tools/bin
mkdir -p "$TOOLS"

setup_venv() {
  local stamp=.venv/.zicha-installed want
  want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/zicha ]; then
    return 0
  fi
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die "Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1))"
  say "creating .venv and installing pinned packages (requirements.lock); this takes a few minutes once"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
}

opa_ok() {
  # the whole output first: `grep -q` stops reading at its match, opa then dies of SIGPIPE and pipefail fails
  local out
  [ -x "$1" ] && out=$("$1" version 2>/dev/null) && grep -qx "Version: ${OPA_VERSION#v}" <<<"$out"
}

go_build_tool() {
  # go_build_tool MODULE VERSION OUTPUT [PACKAGE]
  local module=$1 version=$2 out=$3 pkg=${4:-$1} tmp
  tmp=$(mktemp -d)
  if GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "$pkg@$version" >"$tmp/log" 2>&1; then
    mv "$tmp/$(basename "$pkg")" "$out"
  else
    # `go install` refuses modules whose go.mod has replace directives: build it as a
    # dependency of a throwaway module instead.
    say "go install refused $pkg@$version; building it through a throwaway module"
    (cd "$tmp" && go mod init zicha.local/tmp >/dev/null 2>&1 \
      && go get "$module@$version" >>"$tmp/log" 2>&1 \
      && go build -buildvcs=false -o "$OLDPWD/$out" "$pkg" >>"$tmp/log" 2>&1) \
      || { tail -n 20 "$tmp/log" >&2; rm -rf "$tmp"; say "could not build $pkg@$version with $(go version)"; return 1; }
  fi
  rm -rf "$tmp"
}

download_opa() {
  local bin=$1 arch asset base want got
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) die "no OPA release for $(uname -m)";; esac
  asset="opa_linux_${arch}_static"
  base="https://github.com/open-policy-agent/opa/releases/download/${OPA_VERSION}"
  say "downloading the official OPA $OPA_VERSION release binary and its published sha256"
  curl -fsSL -o "$bin.download" "$base/$asset" || die "could not download $base/$asset"
  curl -fsSL -o "$bin.sha256" "$base/$asset.sha256" || die "could not download $base/$asset.sha256"
  want=$(cut -d' ' -f1 < "$bin.sha256")
  got=$(sha256sum "$bin.download" | cut -d' ' -f1)
  [ -n "$want" ] && [ "$want" = "$got" ] || { rm -f "$bin.download"; die "OPA checksum mismatch (want $want, got $got)"; }
  chmod +x "$bin.download" && mv "$bin.download" "$bin" && rm -f "$bin.sha256"
}

setup_opa() {
  local bin=$TOOLS/opa
  opa_ok "$bin" && return 0
  if command -v opa >/dev/null 2>&1 && opa_ok "$(command -v opa)"; then
    ln -sf "$(command -v opa)" "$bin"; return 0
  fi
  if command -v go >/dev/null 2>&1; then
    say "building OPA $OPA_VERSION with go install (about two minutes once)"
    # a Go too old for this OPA (or no module proxy) falls back to the official release binary
    go_build_tool github.com/open-policy-agent/opa "$OPA_VERSION" "$bin" || download_opa "$bin"
  else
    download_opa "$bin"
  fi
  opa_ok "$bin" || die "$bin does not report version $OPA_VERSION"
}

setup_regal() {
  # Built as a dependency its binary reports version "unknown": a stamp beside it records what was built.
  local bin=$TOOLS/regal stamp=$TOOLS/regal.version
  [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$REGAL_VERSION" ] && return 0
  command -v go >/dev/null 2>&1 || die "Regal needs Go to build (github.com/open-policy-agent/regal@$REGAL_VERSION)"
  say "building Regal $REGAL_VERSION with Go (a few minutes once)"
  go_build_tool github.com/open-policy-agent/regal "$REGAL_VERSION" "$bin" || die "Regal $REGAL_VERSION did not build"
  echo "$REGAL_VERSION" > "$stamp"
}

setup_system() {
  # Debian packages for the tests and the lab. Only root can install them; others are told what is missing.
  local missing=() cmd pkg
  while read -r cmd pkg; do
    case "$cmd" in
      /*) [ -e "$cmd" ] || missing+=("$pkg") ;;   # a path the package installs
      *) command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg") ;;
    esac
  done <<'EOF'
restic restic
sshd openssh-server
ssh openssh-client
nft nftables
ip iproute2
unshare util-linux
rsync rsync
soffice libreoffice-writer-nogui
pdftoppm poppler-utils
chromium chromium
chromedriver chromium-driver
pg_ctlcluster postgresql
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc fonts-noto-cjk
EOF
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages (install as root): ${missing[*]}"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "no apt-get: install ${missing[*]} yourself"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}

setup_sarif() {
  # Microsoft's SARIF multitool (its own validator, and the official SARIF 2.1.0 schema it ships), from npm.
  local dir=.tools/npm bin=.tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
  [ -x "$bin" ] && grep -q "\"version\": \"$SARIF_MULTITOOL_VERSION\"" "$dir/node_modules/@microsoft/sarif-multitool/package.json" 2>/dev/null && return 0
  command -v npm >/dev/null 2>&1 || die "npm is needed to install the SARIF multitool"
  say "installing the SARIF multitool $SARIF_MULTITOOL_VERSION from npm (once)"
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --silent "@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION" >/dev/null) \
    || die "npm could not install @microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION"
  chmod u+x "$bin"  # what the package's own postinstall does (npm runs no install scripts here)
}

[ $# -gt 0 ] || set -- venv opa
for step in "$@"; do
  case "$step" in
    venv) setup_venv ;;
    opa) setup_opa ;;
    regal) setup_regal ;;
    sarif) setup_sarif ;;
    system) setup_system ;;
    *) die "unknown step $step" ;;
  esac
done
