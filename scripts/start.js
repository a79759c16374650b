#!/usr/bin/env node
'use strict';
// `npm start`: a local Node-RED (the devDependency) on 127.0.0.1:1880 with this package installed,
// a user directory inside the repo (.node-red-user, gitignored) and the two-layer example deployed.
// PORT=… and RESU_USER_DIR=… override the port and the user directory. Existing flows are kept.
// The deployed copy of the example gets its own node ids, so importing the same example later
// (Import ▸ Examples) adds a second copy instead of stopping at "nodes already exist".
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const userDir = path.resolve(process.env.RESU_USER_DIR || path.join(root, '.node-red-user'));
const port = Number(process.env.PORT || 1880);
const host = process.env.HOST || '127.0.0.1';

fs.mkdirSync(path.join(userDir, 'node_modules', ...pkg.name.split('/').slice(0, -1)), { recursive: true });
// "install" the package: Node-RED scans <userDir>/node_modules for packages with a node-red section
const link = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
try {
  if (fs.realpathSync(link) !== root) fs.rmSync(link, { recursive: true, force: true });
} catch { /* not there yet */ }
if (!fs.existsSync(link)) fs.symlinkSync(root, link, 'dir');
if (!fs.existsSync(path.join(userDir, 'package.json'))) {
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'resu-local-node-red', private: true, dependencies: { [pkg.name]: `file:${root}` } }, null, 2));
}
const flowFile = path.join(userDir, 'flows.json');
if (!fs.existsSync(flowFile)) {
  const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', '4 Two-layer motion detector.json'), 'utf8'));
  fs.writeFileSync(flowFile, `${JSON.stringify(withOwnIds(example, 'start-'), null, 2)}\n`);
}
const settingsFile = path.join(userDir, 'settings.js');
fs.writeFileSync(settingsFile, `module.exports = {
  uiHost: ${JSON.stringify(host)},
  uiPort: ${port},
  flowFile: 'flows.json',
  flowFilePretty: true,
  credentialSecret: false,
  contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem' } },
  editorTheme: { tours: false, projects: { enabled: false } },
  // no "check for updates?" consent dialog over the example on the first start, no update checks
  // (the user can turn them on in the editor's settings)
  telemetry: { enabled: false },
  logging: { console: { level: 'info', metrics: false, audit: false } },
};
`);

// FlowFuse Dashboard 2 (a devDependency, for example 6): Node-RED loads node packages from the
// node_modules folders above its own nodes, i.e. this repo's, so an installed devDependency is
// already in the palette. Nothing is downloaded here: without it everything else still starts.
let dashboard = null;
try {
  dashboard = require(require.resolve('@flowfuse/node-red-dashboard/package.json', { paths: [root] })).version;
} catch {
  process.stdout.write('Note: FlowFuse Dashboard 2 (@flowfuse/node-red-dashboard) is not installed, so example 6 (live dashboard) cannot\n'
    + 'deploy. Run `npm install` in this folder (it is a devDependency), or install it from the editor: Manage palette ▸ Install.\n');
}

/**
 * A flow with every node id (and every reference to one: z, wires, a config node) prefixed, so it
 * can sit beside an import of the original.
 */
function withOwnIds(flow, prefix) {
  const ids = new Set(flow.map((n) => n.id));
  const own = (id) => (typeof id === 'string' && ids.has(id) ? prefix + id : id);
  return flow.map((n) => {
    const copy = { ...n, id: own(n.id) };
    for (const key of ['z', 'g', 'broker']) if (key in copy) copy[key] = own(copy[key]);
    if (Array.isArray(copy.wires)) copy.wires = copy.wires.map((port) => port.map(own));
    return copy;
  });
}

const red = require.resolve('node-red/red.js');
const child = spawn(process.execPath, [red, '--userDir', userDir, '--settings', settingsFile], { stdio: ['inherit', 'pipe', 'inherit'] });
let announced = false;
child.stdout.on('data', (data) => {
  process.stdout.write(data);
  if (!announced && /Started flows|Server now running/.test(String(data))) {
    announced = true;
    process.stdout.write(`\nReSU editor: http://${host}:${port}/  (two-layer example deployed; click "train", then "probe")\n`);
    if (dashboard) process.stdout.write(`Dashboard 2 ${dashboard}: import example 6 (live dashboard), deploy, open http://${host}:${port}/dashboard\n`);
    process.stdout.write('\n');
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
