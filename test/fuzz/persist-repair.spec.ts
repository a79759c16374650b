/**
 * quarantineCorruptState: before Node-RED opens a localfilesystem store, a ReSU node's context file
 * that is not valid JSON is moved aside (Node-RED would otherwise refuse to start); nothing else is touched.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPersistence, findNonFinite, quarantineCorruptState } from '../../nodes/shared/persist';

describe('persisted state: corrupt context files at start-up', function () {
  let dir: string;
  beforeEach(function () { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-repair-')); });
  afterEach(function () { fs.rmSync(dir, { recursive: true, force: true }); });

  it('moves aside only ReSU files that do not parse, with one warning each', function () {
    const flowDir = path.join(dir, 'context', 'flow-a');
    fs.mkdirSync(flowDir, { recursive: true });
    const cut = '{\n    "resu-cca-state": {\n        "format": "resu-learner",\n        "moments": {\n            "sum": [1.25, 2';
    fs.writeFileSync(path.join(flowDir, 'cca-node.json'), cut);
    fs.writeFileSync(path.join(flowDir, 't4-node.json'), '{"resu-t4-state": {"format": "resu-t4"');
    fs.writeFileSync(path.join(flowDir, 'other-node.json'), '{"count": 1');
    fs.writeFileSync(path.join(flowDir, 'good-node.json'), JSON.stringify({ 'resu-cca-state': { format: 'resu-learner' } }));
    fs.writeFileSync(path.join(flowDir, 'empty-node.json'), '');
    const warnings: string[] = [];
    const settings = { contextStorage: { default: { module: 'memory' }, disk: { module: 'localfilesystem', config: { dir } } } };
    const moved = quarantineCorruptState(settings, { warn: (m) => warnings.push(m) });
    assert.deepStrictEqual(moved.map((f) => path.basename(f)).sort(), ['cca-node.json', 't4-node.json']);
    assert.strictEqual(warnings.length, 2);
    const left = fs.readdirSync(flowDir).sort();
    assert.ok(left.includes('other-node.json') && left.includes('good-node.json') && left.includes('empty-node.json'));
    assert.strictEqual(left.filter((f) => /\.corrupt-\d+$/.test(f)).length, 2);
    assert.deepStrictEqual(quarantineCorruptState(settings, { warn: (m) => warnings.push(m) }), [], 'once per settings object');
  });

  it('uses userDir when the store has no dir, and ignores other store modules', function () {
    fs.mkdirSync(path.join(dir, 'context', 'f'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'context', 'f', 'n.json'), '{"resu-t4-state": ');
    assert.deepStrictEqual(quarantineCorruptState({ contextStorage: { default: { module: 'memory' } }, userDir: dir }, { warn: () => undefined }), []);
    const moved = quarantineCorruptState({ contextStorage: { default: { module: 'localfilesystem' } }, userDir: dir }, { warn: () => undefined });
    assert.strictEqual(moved.length, 1);
  });

  it('moves aside a context file holding only null (it stops Node-RED from starting) whichever node it belongs to', function () {
    const flowDir = path.join(dir, 'context', 'flow-a');
    fs.mkdirSync(flowDir, { recursive: true });
    fs.writeFileSync(path.join(flowDir, 'cca-node.json'), 'null\n');
    fs.writeFileSync(path.join(flowDir, 'other-node.json'), '{"count": null}');
    const warnings: string[] = [];
    const moved = quarantineCorruptState({ contextStorage: { default: { module: 'localfilesystem', config: { dir } } } }, { warn: (m) => warnings.push(m) });
    assert.deepStrictEqual(moved.map((f) => path.basename(f)), ['cca-node.json']);
    assert.match(warnings[0], /cca-node\.json holds only null; moved to .*\.corrupt-\d+/);
    assert.ok(fs.existsSync(path.join(flowDir, 'other-node.json')));
  });
});

describe('persisted state: never a non-finite checkpoint (issue 13)', function () {
  /** A node whose context store is a map, with its warnings recorded. */
  function fakeNode() {
    const stored = new Map<string, unknown>();
    const warnings: string[] = [];
    const node = {
      warn: (m: string) => warnings.push(m),
      context: () => ({
        get: (key: string, _store: unknown, cb: (err: Error | null, value: unknown) => void) => cb(null, stored.get(key)),
        set: (key: string, value: unknown, _store: unknown, cb: (err?: Error | null) => void) => { stored.set(key, JSON.parse(JSON.stringify(value))); cb(null); },
      }),
    };
    return { node: node as never, stored, warnings };
  }

  it('findNonFinite names the first NaN or ±∞ in a JSON-like value', function () {
    assert.strictEqual(findNonFinite({ a: [1, 2], b: { c: [[0], [1, 2]] }, d: null, e: 'x' }), null);
    assert.strictEqual(findNonFinite({ moments: { sum: [1, Infinity] } }), 'moments.sum[1]');
    assert.strictEqual(findNonFinite([[1], [2, NaN]]), '[1][1]');
    assert.strictEqual(findNonFinite(NaN), '(value)');
  });

  it('keeps the last good checkpoint while the state is not finite, with one warning, and saves again once it is', async function () {
    const { node, stored, warnings } = fakeNode();
    let state: unknown = { moments: { sum: [1, 2] } };
    const persistence = createPersistence(node, 'k', true, '', { toJSON: () => state, load: () => undefined, reset: () => undefined });
    await persistence.restored;
    await persistence.save();
    assert.deepStrictEqual(stored.get('k'), { moments: { sum: [1, 2] } });
    state = { moments: { sum: [1, Infinity] } };
    await persistence.save();
    await persistence.save();
    assert.deepStrictEqual(stored.get('k'), { moments: { sum: [1, 2] } }, 'the last good checkpoint is kept (JSON would have written null)');
    assert.deepStrictEqual(warnings, ['state not saved: moments.sum[1] is not finite; the last good checkpoint is kept']);
    state = { moments: { sum: [3, 4] } };
    await persistence.save();
    assert.deepStrictEqual(stored.get('k'), { moments: { sum: [3, 4] } });
  });
});
