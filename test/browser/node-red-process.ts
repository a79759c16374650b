/**
 * Starts a real Node-RED (the devDependency) in a child process on a free loopback port, with a
 * temporary user directory in which this package is "installed" (a symlink in node_modules, the way
 * `npm install <dir>` links it), so the editor loads our nodes, plugin, examples and resources.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { spawnNode } from '../helpers/node-command';

export const PACKAGE_ROOT = path.resolve(__dirname, '../../..');

export interface NodeRedProcess {
  url: string;
  userDir: string;
  /** Everything the process printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `fileStore`: settings.js also configures a `localfilesystem` context store named "file" (besides
 * the default memory store), as a user who persists learned state does.
 */
export async function startNodeRed(options: { flows?: unknown[]; redPath?: string; nodeBinary?: string; fileStore?: boolean } = {}): Promise<NodeRedProcess> {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string };
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-node-red-'));
  const link = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(PACKAGE_ROOT, link, 'dir');
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'resu-browser-test', private: true, dependencies: { [pkg.name]: `file:${PACKAGE_ROOT}` } }));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows ?? []));
  const port = await freePort();
  const settings = path.join(userDir, 'settings.js');
  fs.writeFileSync(settings, `module.exports = {
  uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: false,
  editorTheme: { tours: false, projects: { enabled: false } },
  telemetry: { enabled: false }, // no consent dialog, no update check
  logging: { console: { level: 'info', metrics: false, audit: false } },${options.fileStore ? `
  contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem' } },` : ''}
};
`);
  const red = options.redPath ?? require.resolve('node-red/red.js');
  const args = [red, '--userDir', userDir, '--settings', settings];
  const child: ChildProcess = options.nodeBinary ? spawn(options.nodeBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] }) : spawnNode(args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (data) => { output += String(data); });
  child.stderr!.on('data', (data) => { output += String(data); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED did not start within 60 s:\n${output}`)), 60_000);
    const check = (): void => {
      if (/Started flows/.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Node-RED exited (${code}):\n${output}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    userDir,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
