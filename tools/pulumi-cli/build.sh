#!/usr/bin/env bash
# Builds the Pulumi CLI v3.248.0 and our minimal Node.js language host from Go modules into
# ${PULUMI_OFFLINE_ROOT:-$HOME/.cache/pulumi-offline/v3.248.0}/bin, plus the dynamic-provider
# launcher script from the sdk module. Idempotent: does nothing when the three files exist,
# `bin/pulumi version` prints the pinned version and the language host was built from the current
# languagehost/*.go, go.mod and go.sum (bin/.pulumi-language-nodejs.sha256); when only that source
# changed, rebuilds only the language host (seconds). See README.md in this directory.
set -euo pipefail

readonly VERSION=v3.248.0
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE
readonly ROOT="${PULUMI_OFFLINE_ROOT:-$HOME/.cache/pulumi-offline/$VERSION}"
readonly BIN="$ROOT/bin"

say() { printf '[pulumi-cli] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# The language host is ours and changes with the repository, while the CLI only changes with
# go.mod: the stamp records the hash of the host's source the installed binary was built from.
readonly HOST_STAMP="$BIN/.pulumi-language-nodejs.sha256"
host_source_hash() {
  (cd "$HERE" && cat languagehost/*.go go.mod go.sum) | sha256sum | cut -d' ' -f1
}

# Go settings: never download a toolchain, verify every module against the committed go.sum
# (the checksum database is not reachable here), never touch go.mod, pure-Go binaries, no VCS
# stamp (keeps the language host byte-identical whatever the state of the working tree).
export GOTOOLCHAIN=local GOSUMDB=off GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION"

# Builds the language host into $1 (a temporary directory next to bin/, moved into place after).
build_language_host() {
  (cd "$HERE" && go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$1/pulumi-language-nodejs" ./languagehost)
}

if [[ -x "$BIN/pulumi" && -x "$BIN/pulumi-resource-pulumi-nodejs" ]] &&
  [[ "$("$BIN/pulumi" version 2>/dev/null || true)" == "$VERSION" ]]; then
  hash="$(host_source_hash)"
  if [[ -x "$BIN/pulumi-language-nodejs" && "$(cat "$HOST_STAMP" 2>/dev/null || true)" == "$hash" ]]; then
    say "Pulumi CLI $VERSION already built in $BIN"
    exit 0
  fi
  command -v go >/dev/null || die "go is not on PATH; install Go >= 1.25.11 (https://go.dev/dl/)"
  say "Pulumi CLI $VERSION already built in $BIN; rebuilding pulumi-language-nodejs (its source changed)"
  tmp="$(mktemp -d "$ROOT/.build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  build_language_host "$tmp"
  got="$("$tmp/pulumi-language-nodejs" -version)"
  [[ "$got" == "$VERSION" ]] || die "pulumi-language-nodejs -version printed '$got', expected $VERSION"
  mv -f "$tmp/pulumi-language-nodejs" "$BIN/pulumi-language-nodejs"
  printf '%s\n' "$hash" >"$HOST_STAMP"
  say "pulumi-language-nodejs rebuilt in $BIN"
  exit 0
fi

command -v go >/dev/null || die "go is not on PATH; install Go >= 1.25.11 (https://go.dev/dl/)"

go_version="$(go env GOVERSION)"
say "Building Pulumi CLI $VERSION with $go_version into $BIN"
say "Expect 5-12 minutes on 2 cores with empty Go caches (downloads 1.3 GB of modules, writes 1.6 GB"
say "of build cache, peaks at 1.7 GB of memory), about 3 minutes to relink with warm caches."

cd "$HERE"
mkdir -p "$BIN"
start=$SECONDS

say "1/4 downloading modules listed in go.sum (GOPROXY=$(go env GOPROXY))"
go mod download github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3
go list -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./languagehost >/dev/null
say "    done after $((SECONDS - start)) s"

# Build into a temporary directory and move into place, so an interrupted build never leaves a
# half-written binary that the idempotency check above would accept.
tmp="$(mktemp -d "$ROOT/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

say "2/4 compiling pulumi (the long step)"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
  -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
say "    done after $((SECONDS - start)) s"

say "3/4 compiling pulumi-language-nodejs (tools/pulumi-cli/languagehost)"
hash="$(host_source_hash)"
build_language_host "$tmp"
say "    done after $((SECONDS - start)) s"

say "4/4 installing pulumi-resource-pulumi-nodejs from the sdk module"
sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
[[ -f "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" ]] ||
  die "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs is missing from the sdk module"
# Module-cache files are read-only and not executable.
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$tmp/"

for f in pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
  mv -f "$tmp/$f" "$BIN/$f"
done

got="$("$BIN/pulumi" version)"
[[ "$got" == "$VERSION" ]] || die "$BIN/pulumi version printed '$got', expected $VERSION"
got="$("$BIN/pulumi-language-nodejs" -version)"
[[ "$got" == "$VERSION" ]] || die "$BIN/pulumi-language-nodejs -version printed '$got', expected $VERSION"
printf '%s\n' "$hash" >"$HOST_STAMP"
say "Pulumi CLI $VERSION ready in $BIN ($((SECONDS - start)) s)"
