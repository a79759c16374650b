#!/usr/bin/env bash
# Runs the node specs, the example-flow spec and the browser specs on Node-RED 5 under an
# npm-packaged Node 24 (Node-RED 5 needs Node >= 22.9; the machine's Node 20 runs Node-RED 4.1 in
# `npm test`). Installs node-red@5 and node-linux-<arch>@24 into a cache folder (reused between local
# runs; RESU_NR5_DIR overrides it) and redirects `require('node-red')` / `@node-red/*` there with a
# preload, so the specs and node-red-node-test-helper run unchanged. Expects a build (npm run build).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${RESU_NR5_DIR:-$root/node_modules/.cache/resu-nr5}
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "test-nr5: no npm-packaged Node 24 for $(uname -m)" >&2; exit 1 ;;
esac
mkdir -p "$dir"
if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ] || [ ! -f "$dir/node_modules/node-red/package.json" ]; then
  echo "test-nr5: installing node-red@5 and node-linux-$arch@24 into $dir"
  [ -f "$dir/package.json" ] || echo '{"name":"resu-nr5","private":true}' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node-red@5" "node-linux-$arch@24"
fi
node24="$dir/node_modules/node-linux-$arch/bin/node"
echo "test-nr5: Node $("$node24" --version), Node-RED $("$node24" -p "require('$dir/node_modules/node-red/package.json').version")"

cat > "$dir/redirect-node-red.js" <<'EOF'
// Preload: resolve node-red and @node-red/* from the Node-RED 5 install instead of the repo's 4.1.
'use strict';
const Module = require('module');
const modules = process.env.RESU_NR5_MODULES;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (request === 'node-red' || request.startsWith('node-red/') || request.startsWith('@node-red/')) {
    return resolve.call(this, request, parent, isMain, { ...options, paths: [modules] });
  }
  return resolve.call(this, request, parent, isMain, options);
};
EOF

specs=(dist/test/nodes/*.spec.js dist/test/examples.spec.js)
# every browser spec (editor, help, …); their Node-RED child runs on process.execPath, i.e. Node 24 here
for spec in dist/test/browser/*.spec.js; do [ -f "$spec" ] && specs+=("$spec"); done
# mocha's CLI module, not bin/mocha.js: for a node flag (--enable-source-maps) the bin re-spawns node
# without the --require preload, and every spec would load the repo's Node-RED 4.1.
# RESU_NODE_RED_MAJOR lets the browser specs check which Node-RED served the editor.
PATH="$(dirname "$node24"):$PATH" RESU_NR5_MODULES="$dir/node_modules" RESU_NODE_RED_MAJOR=5 \
  "$node24" --enable-source-maps --require "$dir/redirect-node-red.js" node_modules/mocha/lib/cli/cli.js \
  --no-config --timeout 240000 --reporter dot "${specs[@]}"
