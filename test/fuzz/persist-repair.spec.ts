/**
 * quarantineCorruptState: before Node-RED opens a localfilesystem store, a ReSU node's context file
 * that is not valid JSON is moved aside (Node-RED would otherwise refuse to start); nothing else is touched.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { quarantineCorruptState } from '../../nodes/shared/persist';

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
});
