#!/usr/bin/env node
'use strict';
// Node-RED loads a node's .html, locales/ and icons/ from beside its JS file and ignores
// a top-level icons/ folder, so the build mirrors them next to dist/nodes/*.js.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const target = path.join(root, 'dist', 'nodes');
fs.mkdirSync(target, { recursive: true });

for (const name of fs.readdirSync(path.join(root, 'nodes'))) {
  if (name.endsWith('.html')) fs.copyFileSync(path.join(root, 'nodes', name), path.join(target, name));
}
for (const [from, to] of [['nodes/locales', 'locales'], ['icons', 'icons']]) {
  const source = path.join(root, from);
  if (fs.existsSync(source)) fs.cpSync(source, path.join(target, to), { recursive: true });
}
