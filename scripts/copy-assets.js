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

// The editor sidebar plots with the same library as `resu reproduce` (Vega-Lite over Vega). Their
// browser builds are copied into resources/vendor/ (gitignored), which Node-RED serves at
// /resources/<module name>/vendor/…: no CDN, so an offline editor still draws.
const vendor = path.join(root, 'resources', 'vendor');
fs.mkdirSync(vendor, { recursive: true });
for (const [pkgName, file] of [['vega', 'build/vega.min.js'], ['vega-lite', 'build/vega-lite.min.js']]) {
  let dir = null;
  for (const base of module.paths.concat([path.join(root, 'node_modules')])) {
    if (fs.existsSync(path.join(base, pkgName, file))) { dir = path.join(base, pkgName); break; }
  }
  if (!dir) throw new Error(`copy-assets: ${pkgName}/${file} not found; run npm install`);
  fs.copyFileSync(path.join(dir, file), path.join(vendor, path.basename(file)));
  fs.copyFileSync(path.join(dir, 'LICENSE'), path.join(vendor, `${pkgName}.LICENSE`));
}
