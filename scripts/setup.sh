#!/usr/bin/env bash
# Sets a fresh Debian machine up for Tessera: Debian packages, npm workspace, build.
# Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(sed -e 's/#.*//' -e '/^\s*$/d' scripts/apt-packages.txt | awk '{print $1}')
missing=()
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# onnxruntime-node's binary for the CPU is inside its package; its install script would try to download more.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm packages (better-sqlite3 compiles from source: about 2 minutes)"
  # npm install, not npm ci: npm 11 writes lockfiles without other platforms' optional packages (biome's
  # binaries) and npm ci then refuses the lockfile it wrote itself. The lockfile still pins every version.
  npm install --no-audit --no-fund --loglevel=error
fi

echo "[setup] building packages"
npm run build --silent
echo "[setup] done"
