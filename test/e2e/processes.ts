/**
 * Real Node-RED processes and a real mosquitto broker for end-to-end tests: each gets a temp user
 * directory with this package linked in, a flows file, and a free loopback port.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { spawnNode } from '../helpers/node-command';

const ROOT = path.resolve(__dirname, '../../..');
const PACKAGE = require(path.join(ROOT, 'package.json')) as { name: string };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Path of the mosquitto binary, or null when it is not installed. */
export function mosquittoPath(): string | null {
  for (const candidate of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) if (fs.existsSync(candidate)) return candidate;
  const which = spawnSync('which', ['mosquitto'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

/** A mocha `before` hook for specs that need mosquitto: skips without it, fails under CI (.ci/run installs it). */
export function requireMosquitto(this: Mocha.Context): void {
  if (mosquittoPath()) return;
  if (process.env.CI) throw new Error('mosquitto is required in CI (.ci/run installs it)');
  this.skip();
}

export interface Managed {
  process: ChildProcess;
  port: number;
  log: () => string;
  stop: () => Promise<void>;
}

function manage(child: ChildProcess, port: number): Managed {
  let output = '';
  child.stdout?.on('data', (d) => { output += d; });
  child.stderr?.on('data', (d) => { output += d; });
  return {
    process: child, port, log: () => output,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}

async function waitFor(check: () => boolean, what: string, timeoutMs: number, log: () => string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; log:\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startMosquitto(): Promise<Managed> {
  const binary = mosquittoPath();
  if (!binary) throw new Error('mosquitto is not installed (apt-get install mosquitto; .ci/run does it)');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-mosquitto-'));
  const config = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const managed = manage(spawn(binary, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] }), port);
  await waitForPort(port, 10000);
  return managed;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() - start > timeoutMs) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts Node-RED with this package and the given flows; resolves once the flows started. */
export async function startNodeRed(flows: unknown[], extraSettings = '', options: { userDir?: string; waitFor?: RegExp; credentials?: Record<string, Record<string, string>> } = {}): Promise<Managed & { userDir: string }> {
  const port = await freePort();
  // options.userDir: restart on an existing user directory (its context files, flows and settings are kept)
  const userDir = options.userDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'resu-node-red-'));
  const link = path.join(userDir, 'node_modules', ...PACKAGE.name.split('/'));
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(ROOT, link, 'dir');
  }
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'resu-e2e', private: true }));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  // node credentials (e.g. a shared secret), unencrypted as credentialSecret is false below
  if (options.credentials) fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials));
  const settings = path.join(userDir, 'settings.js');
  fs.writeFileSync(settings, `module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: false,
    editorTheme: { tours: false }, logging: { console: { level: 'info' } }, ${extraSettings} };\n`);
  const child = spawnNode([require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', settings], { stdio: ['ignore', 'pipe', 'pipe'] });
  const managed = manage(child, port);
  const started = options.waitFor ?? /Started flows/;
  await waitFor(() => started.test(managed.log()) || child.exitCode !== null, 'Node-RED to start its flows', 60000, managed.log);
  if (child.exitCode !== null) throw new Error(`Node-RED exited: ${managed.log().slice(-2000)}`);
  return { ...managed, userDir };
}

/** POST /inject/:id on a running Node-RED (the editor's Inject button). */
export async function clickInject(port: number, id: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/inject/${id}`, { method: 'POST' });
  if (response.status !== 200) throw new Error(`inject ${id}: HTTP ${response.status}`);
}
