#!/usr/bin/env node
'use strict';
// Node-RED loads a node's .html, locales/ and icons/ from beside its JS file and ignores
// a top-level icons/ folder, so the build mirrors them next to dist/nodes/*.js.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const target = path.join(root, 'dist', 'nodes');
fs.mkdirSync(target, { recursive: true });

// Each node's settings are declared once, in nodes/shared/config.ts; the editor's defaults,
// validators and form are written into the .html here, from the compiled declaration
// (nodes/shared/editor.ts), in place of its `<!-- resu-settings -->` line.
const { NODE_SETTINGS } = require(path.join(target, 'shared', 'config.js'));
const { renderNodeHtml, SETTINGS_MARKER } = require(path.join(target, 'shared', 'editor.js'));
const rendered = new Set();
for (const name of fs.readdirSync(path.join(root, 'nodes'))) {
  if (!name.endsWith('.html')) continue;
  const type = name.slice(0, -'.html'.length);
  let html = fs.readFileSync(path.join(root, 'nodes', name), 'utf8');
  if (NODE_SETTINGS[type]) { html = renderNodeHtml(html, type, NODE_SETTINGS[type]); rendered.add(type); }
  else if (html.includes(SETTINGS_MARKER)) throw new Error(`copy-assets: ${name} has ${SETTINGS_MARKER} but nodes/shared/config.ts declares no settings for ${type}`);
  fs.writeFileSync(path.join(target, name), html);
}
for (const type of Object.keys(NODE_SETTINGS)) {
  if (!rendered.has(type)) throw new Error(`copy-assets: settings declared for ${type} but there is no nodes/${type}.html`);
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
