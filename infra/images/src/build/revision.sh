#!/usr/bin/env bash
# Writes meshcode.revision=<the commit of the checkout at $1> to $2, or "unknown" when $1 is not
# the top of a git checkout (a source archive, even one unpacked inside another repository) or
# git is missing. Worktrees give their own commit.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 CHECKOUT PROPERTIES_FILE" >&2
  exit 64
fi
checkout="$(cd "$1" && pwd -P)"
revision=unknown
if command -v git >/dev/null && top="$(git -C "$checkout" rev-parse --show-toplevel 2>/dev/null)" \
    && [[ "$(cd "$top" && pwd -P)" == "$checkout" ]]; then
  revision="$(git -C "$checkout" rev-parse --verify HEAD 2>/dev/null || echo unknown)"
fi
mkdir -p "$(dirname "$2")"
echo "meshcode.revision=$revision" > "$2"
