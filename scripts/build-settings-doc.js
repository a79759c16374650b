#!/usr/bin/env node
'use strict';
// Writes the per-node settings tables of docs/nodes.md and the `resu learn` table of docs/cli.md
// from the declaration (nodes/shared/config.ts), compiled to dist/ (run `npm run build` first;
// `npm run docs:settings` does both).
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { LEARN_SETTINGS, NODE_SETTINGS } = require(path.join(root, 'dist', 'nodes', 'shared', 'config.js'));
const { withSettingsTables } = require(path.join(root, 'dist', 'nodes', 'shared', 'settings-doc.js'));
for (const [page, tables] of [['nodes.md', NODE_SETTINGS], ['cli.md', { 'resu learn': LEARN_SETTINGS }]]) {
  const file = path.join(root, 'docs', page);
  fs.writeFileSync(file, withSettingsTables(fs.readFileSync(file, 'utf8'), tables));
}
