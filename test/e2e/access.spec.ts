/**
 * Access (issue 8): with `adminAuth` configured on a real Node-RED, the /resu/nodes admin endpoints
 * answer 401 without a token; a read-only user can read state but is refused write actions (solve,
 * reset, export); an admin can do everything. The scanner reads only the image file configured on the
 * node: path-like message properties never choose another file. (Node-RED answers 401, not 403, for a
 * token without the permission, on its own routes too.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writePng } from '../fixtures/images';
import { AnyMsg, collect, helper, load, nodeModules, startServer, stopServer } from '../nodes/harness';
import { Managed, startNodeRed } from './processes';

// bcryptjs ships with Node-RED (its editor API hashes adminAuth passwords with it)
// eslint-disable-next-line @typescript-eslint/no-var-requires
const bcrypt = require(require.resolve('bcryptjs', { paths: [path.dirname(require.resolve('@node-red/editor-api/package.json'))] })) as { hashSync(password: string, rounds: number): string };

const USERS = { admin: 'admin-secret-1', reader: 'reader-secret-2' };

function settings(): string {
  const users = [
    { username: 'admin', password: bcrypt.hashSync(USERS.admin, 8), permissions: '*' },
    { username: 'reader', password: bcrypt.hashSync(USERS.reader, 8), permissions: 'read' },
  ];
  return `adminAuth: { type: 'credentials', users: ${JSON.stringify(users)} }`;
}

function flow(): unknown[] {
  return [
    { id: 'flow-1', type: 'tab', label: 'access' },
    { id: 'acc-feed', type: 'http in', z: 'flow-1', url: '/feed', method: 'post', upload: false, swaggerDoc: '', wires: [['acc-unwrap', 'acc-ok']] },
    { id: 'acc-ok', type: 'http response', z: 'flow-1', statusCode: '', headers: {}, wires: [] },
    { id: 'acc-unwrap', type: 'function', z: 'flow-1', outputs: 1, noerr: 0, initialize: '', finalize: '', libs: [], func: 'return { payload: msg.payload.payload, topic: "acc" };', wires: [['acc-learner']] },
    { id: 'acc-learner', type: 'resu-cca', z: 'flow-1', pastLags: 2, futureLags: 2, solveEveryPairs: 0, wires: [[], [], []] },
  ];
}

describe('access: admin endpoints with adminAuth (real Node-RED)', function () {
  this.timeout(120000);
  let red: Managed & { userDir: string };
  const base = (): string => `http://127.0.0.1:${red.port}`;

  before(async function () { red = await startNodeRed(flow(), settings()); });
  after(async function () {
    await red?.stop();
    if (red) fs.rmSync(red.userDir, { recursive: true, force: true });
  });

  async function token(user: keyof typeof USERS): Promise<string> {
    const response = await fetch(`${base()}/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      // a token's scope must be within the user's permissions: asking '*' as the reader gets 403
      body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: user === 'admin' ? '*' : 'read', username: user, password: USERS[user] }),
    });
    assert.strictEqual(response.status, 200, `token for ${user}: HTTP ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function call(method: 'GET' | 'POST', url: string, bearer?: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${base()}${url}`, { method, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return { status: response.status, body: await response.text() };
  }

  async function samplesSeen(bearer: string): Promise<number> {
    const { status, body } = await call('GET', '/resu/nodes/acc-learner/state', bearer);
    assert.strictEqual(status, 200);
    return JSON.parse(body).samplesSeen;
  }

  async function feed(bearer: string, samples: number): Promise<void> {
    const before = await samplesSeen(bearer);
    const response = await fetch(`${base()}/feed`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: Array.from({ length: samples }, (_, i) => Math.sin(i / 3) + 0.1 * Math.cos(i * 1.7)) }),
    });
    assert.strictEqual(response.status, 200);
    await response.text();
    for (let tries = 0; (await samplesSeen(bearer)) < before + samples; tries++) {
      if (tries > 600) throw new Error('the learner did not learn the fed chunk');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('answers 401 without a token, on every route', async function () {
    for (const [method, url] of [
      ['GET', '/resu/nodes'], ['GET', '/resu/nodes/acc-learner/state'], ['POST', '/resu/nodes/acc-learner/solve'],
      ['POST', '/resu/nodes/acc-learner/reset'], ['GET', '/resu/nodes/acc-learner/export'],
    ] as const) {
      assert.strictEqual((await call(method, url)).status, 401, `${method} ${url}`);
      assert.strictEqual((await call(method, url, 'not-a-token')).status, 401, `${method} ${url} with a made-up token`);
    }
  });

  it('a read-only user cannot get a token with scope "*"', async function () {
    const response = await fetch(`${base()}/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: 'reader', password: USERS.reader }),
    });
    assert.strictEqual(response.status, 403);
  });

  // Node-RED's RED.auth.needsPermission answers 401 (audit event "permission.fail") when a valid token
  // lacks the permission, for its own routes too (POST /flows as the reader): not 403.
  it('a read-only user can read the list and the state but is refused (401, as Node-RED\'s own routes) solve, reset and export', async function () {
    const reader = await token('reader');
    const list = await call('GET', '/resu/nodes', reader);
    assert.strictEqual(list.status, 200);
    assert.deepStrictEqual((JSON.parse(list.body) as AnyMsg[]).map((n) => n.id), ['acc-learner']);
    await feed(reader, 200);
    const learned = await samplesSeen(reader);
    for (const [method, url] of [['POST', '/resu/nodes/acc-learner/solve'], ['POST', '/resu/nodes/acc-learner/reset'], ['GET', '/resu/nodes/acc-learner/export']] as const) {
      assert.strictEqual((await call(method, url, reader)).status, 401, `${method} ${url}`);
    }
    assert.strictEqual((await call('POST', '/flows', reader)).status, 401, 'Node-RED core: the same answer');
    assert.strictEqual(await samplesSeen(reader), learned, 'the refused reset changed nothing');
  });

  it('an admin can solve, export and reset', async function () {
    const admin = await token('admin');
    if ((await samplesSeen(admin)) === 0) await feed(admin, 200);
    assert.strictEqual((await call('POST', '/resu/nodes/acc-learner/solve', admin)).status, 200);
    let exported = { status: 404, body: '' };
    for (let tries = 0; exported.status === 404 && tries < 600; tries++) {
      exported = await call('GET', '/resu/nodes/acc-learner/export', admin);
      if (exported.status === 404) await new Promise((r) => setTimeout(r, 50));
    }
    assert.strictEqual(exported.status, 200);
    assert.strictEqual(JSON.parse(exported.body).format, 'resu-cca-fit');
    assert.strictEqual((await call('POST', '/resu/nodes/acc-learner/reset', admin)).status, 200);
    for (let tries = 0; (await samplesSeen(admin)) !== 0; tries++) {
      if (tries > 600) throw new Error('reset did not take effect');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

describe('access: the scanner reads only the configured image file', function () {
  let dir: string;
  beforeEach(function (done) { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-access-')); helper.startServer(done); });
  afterEach(stopServer);
  afterEach(function () { fs.rmSync(dir, { recursive: true, force: true }); });

  function image(file: string, seed: number): string {
    const width = 64, height = 2;
    const values = Array.from({ length: width * height }, (_, i) => (i * 37 * seed + 11) % 251);
    fs.writeFileSync(file, writePng(width, height, 0, 8, values));
    return file;
  }

  async function firstChunk(overrides: AnyMsg): Promise<AnyMsg> {
    const configured = image(path.join(dir, 'configured.png'), 1);
    await load(nodeModules('resu-scanner'), [
      { id: 'acc-scanner', type: 'resu-scanner', source: 'image', imagePath: configured, fovDeg: 90, pixels: 3, spacingDeg: 5, chunkLength: 20, maxDurationS: 0.2, dtS: 0.01, wires: [['acc-out']] },
      { id: 'acc-out', type: 'helper' },
    ]);
    const out = collect('acc-out', 1);
    helper.getNode('acc-scanner').receive({ command: 'start', ...overrides });
    const [msg] = await out;
    await helper.unload();
    return msg;
  }

  it('path-like message properties (imagePath, filename, path, source, url) do not change the file read', async function () {
    const other = image(path.join(dir, 'other.png'), 2);
    const plain = await firstChunk({});
    const attempts = [
      { imagePath: other }, { filename: other }, { path: other }, { file: other }, { url: `file://${other}` },
      { payload: other }, { imagePath: '/etc/passwd', source: 'image' }, { chunk: { imagePath: other } },
    ];
    for (const overrides of attempts) {
      const key = Object.keys(overrides).join(',');
      if ('payload' in overrides) {
        // a string payload is a command: anything else is rejected, not read as a path
        await load(nodeModules('resu-scanner'), [
          { id: 'acc-scanner', type: 'resu-scanner', source: 'image', imagePath: path.join(dir, 'configured.png'), fovDeg: 90, pixels: 3, wires: [[]] },
          { id: 'acc-catch', type: 'catch', scope: null, uncaught: false, wires: [['acc-errors']] },
          { id: 'acc-errors', type: 'helper' },
        ]);
        const errors = collect('acc-errors', 1);
        helper.getNode('acc-scanner').receive(overrides);
        const [err] = await errors;
        assert.match(err.error.message, /msg\.command must be "start", "stop" or "reset"/);
        await helper.unload();
        continue;
      }
      const msg = await firstChunk(overrides);
      assert.deepStrictEqual(msg.payload, plain.payload, `${key}: the configured image was read`);
    }
  });
});
