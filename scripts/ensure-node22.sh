#!/usr/bin/env bash
# Make sure Node.js >= 22 is the `node` on PATH.
#
# Meant to be sourced (`source scripts/ensure-node22.sh`) so PATH changes
# carry over to the caller; it can also be executed directly. When sourced it
# never exits the caller on success and leaves the caller's shell options alone.
#
# If node is missing or older than 22, installs `node@22` from the npm
# registry with `npm install -g --force node@22` and, when npm's global bin
# dir is not the dir the old node lives in, prepends it to PATH.
# NODE22_NPM_PREFIX overrides the global prefix used for that install.

__mascot_ensure_node22() {
  local required=22 major=0 npm_prefix npm_bin old_node

  __mascot_node_major() {
    command -v node >/dev/null 2>&1 || { echo 0; return; }
    local v
    v=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || v=0
    echo "${v:-0}"
  }

  major=$(__mascot_node_major)
  if [ "$major" -ge "$required" ] 2>/dev/null; then
    echo "[ensure-node22] node $(node -v) at $(command -v node) is fine (>= $required)"
    return 0
  fi

  if ! command -v node >/dev/null 2>&1; then
    echo "[ensure-node22] ERROR: node is not installed, and npm cannot run without it; install Node.js $required (e.g. Debian/NodeSource package or nvm)" >&2
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "[ensure-node22] ERROR: node is missing or too old (major $major) and npm is not available to install node@$required" >&2
    return 1
  fi

  old_node=$(command -v node 2>/dev/null || true)

  # npm derives its default global prefix from the running node's path. When
  # node itself came from the npm `node` package, that is
  # <prefix>/lib/node_modules/node, which is not where a global install should
  # go, so prefer the prefix npm itself is installed under.
  npm_prefix="${NODE22_NPM_PREFIX:-}"
  if [ -z "$npm_prefix" ]; then
    local npm_cli
    npm_cli=$(readlink -f "$(command -v npm)" 2>/dev/null || true)
    case "$npm_cli" in
      */lib/node_modules/npm/*) npm_prefix="${npm_cli%%/lib/node_modules/npm/*}" ;;
      *) npm_prefix=$(npm prefix -g 2>/dev/null) ;;
    esac
  fi
  npm_bin="$npm_prefix/bin"

  echo "[ensure-node22] node ${old_node:+$(node -v 2>/dev/null) at $old_node }is missing or older than $required; running: npm install -g --force --prefix $npm_prefix node@$required"
  # No --allow-scripts here: npm passes it on to the nested `npm install` that
  # the `node` package's preinstall runs, which then fails with EALLOWSCRIPTS.
  npm install -g --force --prefix "$npm_prefix" "node@$required" || {
    echo "[ensure-node22] ERROR: npm install -g node@$required failed" >&2
    return 1
  }
  if [ -n "$old_node" ] && [ "$(dirname "$old_node")" != "$npm_bin" ]; then
    echo "[ensure-node22] npm global bin dir ($npm_bin) differs from the old node's dir ($(dirname "$old_node")); prepend it to PATH:"
    echo "[ensure-node22]   export PATH=\"$npm_bin:\$PATH\""
  fi
  case ":$PATH:" in
    ":$npm_bin:"*) ;;
    *) export PATH="$npm_bin:$PATH" ;;
  esac
  hash -r

  major=$(__mascot_node_major)
  if [ "$major" -lt "$required" ] 2>/dev/null; then
    echo "[ensure-node22] ERROR: after installing node@$required, \`node\` on PATH is still $(node -v 2>/dev/null || echo missing) at $(command -v node 2>/dev/null || echo '-')" >&2
    return 1
  fi
  echo "[ensure-node22] now using node $(node -v) at $(command -v node)"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: report failure through the return status, never exit the caller.
  __mascot_ensure_node22_rc=0
  __mascot_ensure_node22 || __mascot_ensure_node22_rc=$?
  unset -f __mascot_ensure_node22 __mascot_node_major
  if [ "$__mascot_ensure_node22_rc" -eq 0 ]; then
    unset __mascot_ensure_node22_rc
    return 0
  fi
  unset __mascot_ensure_node22_rc
  return 1
else
  set -euo pipefail
  __mascot_ensure_node22
fi
