#!/usr/bin/env bash
# Writes the pull-request review comment (Markdown) to stdout: the routing diff of every stack file
# against <base-rev>, then the dev centre's what-if simulation for each shipped scenario, before
# (base) and after (this branch), then the policy pack's violations per deployed stack (this
# branch, `npm run policy`). A side that fails to load is shown with its problems, not hidden.
# Usage: tools/ci/routing-review.sh <base-rev>   e.g. origin/main
# shellcheck disable=SC2016 # backticks in printf formats are Markdown, not command substitution
set -euo pipefail
cd "$(dirname "$0")/../.."
base="${1:?usage: tools/ci/routing-review.sh <base-rev>}"
limit=60000 # GitHub refuses comments over 65,536 characters

cli() { node_modules/.bin/ts-node -T tools/cli.ts "$@"; }

# Runs a command; on failure prints its output in a fenced block under a note.
section() {
  local out
  if out="$("$@" 2>&1)"; then
    printf '%s\n\n' "$out"
  else
    printf '**`%s` failed:**\n\n```\n%s\n```\n\n' "$*" "$out"
  fi
}

body="$(mktemp)"
trap 'rm -f "$body"' EXIT
{
  printf '<!-- routing-review -->\n# Routing review\n\n'
  for file in stacks/*.yaml; do
    if git cat-file -e "$base:$file" 2>/dev/null; then
      section cli diff "$base:$file" "$file"
    else
      printf '## Routing diff\n\n`%s` is new in this pull request.\n\n' "$file"
    fi
  done
  printf '# What-if simulation: dev\n\n'
  for scenario in stacks/scenarios/dev-*.yaml; do
    if git cat-file -e "$base:stacks/dev.yaml" 2>/dev/null; then
      section cli simulate stacks/dev.yaml --scenario "$scenario" --against "$base:stacks/dev.yaml"
    else
      section cli simulate stacks/dev.yaml --scenario "$scenario"
    fi
  done
  printf "# Policy check\n\nThe policy pack (docs/policies.md) on each stack's routing, at that stack's levels.\n\n"
  for stack in dev staging prod; do
    if out="$(cli policy "$stack" 2>&1)"; then
      verdict="no mandatory violation"
    else
      verdict="**refused: mandatory violation or failure**"
    fi
    printf '## %s: %s\n\n```\n%s\n```\n\n' "$stack" "$verdict" "$out"
  done
} >"$body"

if [ "$(wc -c <"$body")" -gt "$limit" ]; then
  head -c "$limit" "$body"
  printf '\n\n… cut at %s characters; run tools/ci/routing-review.sh locally for the rest.\n' "$limit"
else
  cat "$body"
fi
