'use strict';
/**
 * The runtime install footprint (issue 17): `npm pack` of this package (needs a build), then
 * `npm install --omit=dev <tarball>` into a fresh temporary project, as a device installs it (npm in
 * the Node-RED user directory, or the palette manager, which runs the same command). Measures the
 * bytes of every file under node_modules (apparent size, not disk blocks), the largest packages,
 * and checks that the install works without the dev dependencies: every node module and the core
 * load, and `resu reproduce --quick` writes its SVG figures. Needs the npm registry (or a
 * warm npm cache) for the runtime dependencies.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { nodeCommand } = require(path.resolve(__dirname, '../dist/test/helpers/node-command'));

const ROOT = path.resolve(__dirname, '..');

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${(result.stderr || '').slice(-2000)}`);
  return result.stdout;
}

/** Total bytes and file count below `dir` (symbolic links not followed). */
function treeSize(dir) {
  let bytes = 0, files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { const sub = treeSize(full); bytes += sub.bytes; files += sub.files; }
    else if (entry.isFile()) { bytes += fs.statSync(full).size; files++; }
  }
  return { bytes, files };
}

/** The installed packages (node_modules/<name> and node_modules/@scope/<name>, nested ones included) with their sizes. */
function packages(modules) {
  const out = [];
  const visit = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) { visit(full); continue; }
      const size = treeSize(full);
      const nested = path.join(full, 'node_modules');
      const nestedBytes = fs.existsSync(nested) ? treeSize(nested).bytes : 0;
      out.push({ name: path.relative(modules, full), bytes: size.bytes - nestedBytes });
      visit(nested);
    }
  };
  visit(modules);
  return out;
}

/** Packs, installs without dev dependencies, measures and checks; the temporary project is removed unless `keep`. */
function measureInstall({ keep = false, checkFigures = true } = {}) {
  const pkg = require(path.join(ROOT, 'package.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-install-'));
  try {
    // --ignore-scripts: the build is already there (prepare would rebuild it)
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT }));
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'resu-device', private: true }));
    run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', path.join(dir, packed.filename)], { cwd: project });
    const modules = path.join(project, 'node_modules');
    const total = treeSize(modules);
    const list = packages(modules).sort((a, b) => b.bytes - a.bytes);
    const installed = path.join(modules, ...pkg.name.split('/'));
    const result = {
      tarballBytes: packed.size,
      unpackedBytes: packed.unpackedSize,
      bytes: total.bytes,
      MB: total.bytes / 1048576,
      files: total.files,
      packages: list.length,
      runtimeDependencies: Object.keys(pkg.dependencies || {}),
      largest: list.slice(0, 6).map((p) => ({ name: p.name, MB: Math.round((p.bytes / 1048576) * 100) / 100 })),
      vegaInstalled: list.some((p) => p.name === 'vega' || p.name === 'vega-lite'),
    };
    // every node module and the core load from the install (no dev dependency needed)
    const nodeFiles = Object.values(pkg['node-red'].nodes).concat(Object.values(pkg['node-red'].plugins || {}));
    const [program, ...lead] = nodeCommand();
    const load = `for (const f of ${JSON.stringify(nodeFiles)}) { if (typeof require(${JSON.stringify(installed)} + '/' + f) !== 'function') throw new Error(f); } require(${JSON.stringify(installed)});`;
    run(program, [...lead, '-e', load], { cwd: project });
    result.nodesLoad = true;
    if (checkFigures) {
      const out = path.join(dir, 'figures');
      run(program, [...lead, path.join(installed, 'bin', 'resu.js'), 'reproduce', '--quick', '--out', out], { cwd: project });
      result.figures = fs.readdirSync(out).filter((f) => f.endsWith('.svg')).sort();
    }
    if (keep) result.directory = project;
    return result;
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { measureInstall, treeSize };

if (require.main === module) {
  console.log(JSON.stringify(measureInstall({ keep: process.argv.includes('--keep') }), null, 2));
}
