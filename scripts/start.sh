#!/usr/bin/env bash
# Sets up (see setup.sh) and runs the main job: the Tessera showcase, which ends by serving the labeler app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/showcase.mjs "$@"
