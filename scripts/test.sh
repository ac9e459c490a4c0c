#!/usr/bin/env bash
# Sets up (see setup.sh) and runs every test of every package.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
