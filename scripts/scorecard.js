#!/usr/bin/env node
'use strict';
// A local mirror of the Node-RED flow-library scorecard (`node-red-dev validate` needs the internet).
// Usage: node scripts/scorecard.js [package dir]   (default: this repository)
// Prints one line per rule and exits 1 if any rule fails. Rules (shared/docs/node-red-notes.md):
// license + LICENSE file; repository and bugs; scoped name; keyword node-red; node-red.version and
// engines.node; node types prefixed and unique; every non-config node type used in some
// examples/**/*.json; literal registerType('type', {…}) in each .html; ≤ 6 runtime dependencies;
// node-red, mocha and node-red-node-test-helper as devDependencies.
const fs = require('fs');
const path = require('path');

const MAX_DEPENDENCIES = 6;
const REQUIRED_DEV_DEPENDENCIES = ['node-red', 'mocha', 'node-red-node-test-helper'];
const REGISTER_TYPE = /RED\.nodes\.registerType\(\s*(['"])([^'"]+)\1\s*,\s*\{/g;

function readJson(file) { return JSON.parse(fs.readFileSync(file, 'utf8')); }

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full, suffix);
    return entry.name.endsWith(suffix) ? [full] : [];
  });
}

/** Node types of Node-RED's own core nodes (a package must not reuse them). */
function coreNodeTypes(root) {
  let dir;
  try { dir = path.join(path.dirname(require.resolve('@node-red/nodes/package.json', { paths: [root, path.join(__dirname, '..')] })), 'core'); } catch { return new Set(); }
  const types = new Set();
  for (const file of listFiles(dir, '.html')) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(REGISTER_TYPE)) types.add(match[2]);
  }
  return types;
}

/** The editor .html for a node-red.nodes entry: beside the JS file, or its source under nodes/. */
function htmlFor(root, jsFile) {
  const base = path.basename(jsFile, '.js');
  const candidates = [path.join(root, path.dirname(jsFile), `${base}.html`), path.join(root, 'nodes', `${base}.html`)];
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

function scorecard(root) {
  const results = [];
  const check = (name, ok, detail) => results.push({ name, ok: Boolean(ok), detail: detail || '' });
  const pkg = readJson(path.join(root, 'package.json'));
  const nodeRed = pkg['node-red'] || {};

  const licenseFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].find((f) => fs.existsSync(path.join(root, f)));
  check('license field and LICENSE file', typeof pkg.license === 'string' && pkg.license && licenseFile, `license ${JSON.stringify(pkg.license)}, file ${licenseFile || 'missing'}`);
  const url = (field) => (typeof field === 'string' ? field : field && field.url);
  check('repository', url(pkg.repository), url(pkg.repository) || 'missing');
  check('bugs', url(pkg.bugs), url(pkg.bugs) || 'missing');
  check('scoped package name', /^@[a-z0-9-~][a-z0-9-._~]*\/[a-z0-9-~][a-z0-9-._~]*$/.test(pkg.name || ''), pkg.name);
  check('keyword node-red', Array.isArray(pkg.keywords) && pkg.keywords.includes('node-red'), (pkg.keywords || []).join(', '));
  check('node-red.version', typeof nodeRed.version === 'string' && nodeRed.version.trim(), nodeRed.version || 'missing');
  check('engines.node', pkg.engines && typeof pkg.engines.node === 'string' && pkg.engines.node.trim(), (pkg.engines && pkg.engines.node) || 'missing');

  // Node types: from the literal registerType calls of each declared node's .html.
  const nodes = nodeRed.nodes || {};
  const types = []; // { type, set, config }
  const htmlProblems = [];
  for (const [set, jsFile] of Object.entries(nodes)) {
    const html = htmlFor(root, jsFile);
    if (!html) { htmlProblems.push(`${set}: no .html beside ${jsFile}`); continue; }
    const text = fs.readFileSync(html, 'utf8');
    const found = [...text.matchAll(REGISTER_TYPE)];
    if (found.length === 0) { htmlProblems.push(`${path.relative(root, html)}: no literal RED.nodes.registerType('type', {…})`); continue; }
    for (const match of found) {
      const after = text.slice(match.index, match.index + 4000);
      types.push({ type: match[2], set, config: /category\s*:\s*(['"])config\1/.test(after) });
    }
  }
  check('node sets declared', Object.keys(nodes).length > 0, `${Object.keys(nodes).length} node sets`);
  check('literal registerType(\'type\', {…}) in each .html', htmlProblems.length === 0, htmlProblems.join('; ') || `${types.length} types`);

  const unscoped = (pkg.name || '').replace(/^@[^/]+\//, '').replace(/^node-red-(contrib-)?/, '');
  const prefix = unscoped.split('-')[0];
  const unprefixed = types.filter((t) => !t.type.startsWith(`${prefix}-`)).map((t) => t.type);
  check(`node types prefixed (${prefix}-)`, types.length > 0 && unprefixed.length === 0, unprefixed.join(', ') || types.map((t) => t.type).join(', '));
  const seen = new Set(), duplicates = new Set();
  for (const { type } of types) { if (seen.has(type)) duplicates.add(type); seen.add(type); }
  const core = coreNodeTypes(root);
  const clashes = types.filter((t) => core.has(t.type)).map((t) => t.type);
  check('node types unique (no duplicates, no core type)', duplicates.size === 0 && clashes.length === 0, [...duplicates, ...clashes].join(', ') || 'ok');

  const used = new Set();
  const exampleFiles = listFiles(path.join(root, 'examples'), '.json');
  const badExamples = [];
  for (const file of exampleFiles) {
    try {
      const flow = readJson(file);
      for (const node of Array.isArray(flow) ? flow : []) if (node && typeof node.type === 'string') used.add(node.type);
    } catch (err) { badExamples.push(`${path.relative(root, file)}: ${err.message}`); }
  }
  const unused = types.filter((t) => !t.config && !used.has(t.type)).map((t) => t.type);
  check('examples parse', exampleFiles.length > 0 && badExamples.length === 0, badExamples.join('; ') || `${exampleFiles.length} example flows`);
  check('every non-config node type used in an example', types.length > 0 && unused.length === 0, unused.length ? `unused: ${unused.join(', ')}` : 'all used');

  const dependencies = Object.keys(pkg.dependencies || {});
  check(`at most ${MAX_DEPENDENCIES} runtime dependencies`, dependencies.length <= MAX_DEPENDENCIES, `${dependencies.length}: ${dependencies.join(', ')}`);
  const dev = pkg.devDependencies || {};
  const missingDev = REQUIRED_DEV_DEPENDENCIES.filter((name) => !dev[name]);
  check('node-red, mocha and the test helper as devDependencies', missingDev.length === 0, missingDev.length ? `missing: ${missingDev.join(', ')}` : 'ok');
  const runtimeOnlyDev = REQUIRED_DEV_DEPENDENCIES.filter((name) => (pkg.dependencies || {})[name]);
  check('node-red not a runtime dependency', runtimeOnlyDev.length === 0, runtimeOnlyDev.join(', ') || 'ok');
  return results;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
  let results;
  try { results = scorecard(root); } catch (err) { console.error(`scorecard: ${err.message}`); process.exit(1); }
  for (const r of results) console.log(`${r.ok ? '✔' : '✘'} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `scorecard: ${failed} of ${results.length} rules failed` : `scorecard: all ${results.length} rules pass`);
  process.exit(failed ? 1 : 0);
}

module.exports = { scorecard };
