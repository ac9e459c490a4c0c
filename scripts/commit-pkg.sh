#!/usr/bin/env bash
# Commits one package's folder (plus optional extra paths) while several people work in one checkout.
# usage: scripts/commit-pkg.sh <package> "<message>" [extra paths...]
# Holds a lock so that two commits never race for git's index.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=$1; msg=$2; shift 2
paths=("packages/$pkg" "$@")
exec 9>/tmp/tessera-git.lock
flock 9
git add -A -- "${paths[@]}"
if git diff --cached --quiet -- "${paths[@]}"; then echo "nothing to commit in ${paths[*]}"; exit 0; fi
git commit -q -m "$msg" -- "${paths[@]}"
git log --oneline -1
