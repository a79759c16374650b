import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnNodeSync } from './helpers/node-command';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts', 'scorecard.js');

function run(dir?: string): { status: number | null; output: string } {
  const result = spawnNodeSync(dir ? [SCRIPT, dir] : [SCRIPT], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('flow-library scorecard (scripts/scorecard.js)', function () {
  it('passes every rule for this package', function () {
    const { status, output } = run();
    assert.strictEqual(status, 0, output);
    assert.match(output, /scorecard: all \d+ rules pass/);
    assert.doesNotMatch(output, /✘/);
  });

  it('fails (exit 1) and names each broken rule', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-scorecard-'));
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      pkg.name = 'node-red-resu';
      pkg.keywords = ['resu'];
      delete pkg.bugs;
      delete pkg.engines;
      pkg.dependencies = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => [n, '1.0.0']));
      delete pkg.devDependencies.mocha;
      pkg['node-red'].nodes = { 'resu-cca': 'dist/nodes/resu-cca.js', debug: 'dist/nodes/debug.js', broken: 'dist/nodes/broken.js' };
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
      fs.mkdirSync(path.join(dir, 'nodes'));
      fs.copyFileSync(path.join(ROOT, 'nodes', 'resu-cca.html'), path.join(dir, 'nodes', 'resu-cca.html'));
      fs.writeFileSync(path.join(dir, 'nodes', 'debug.html'), "<script>RED.nodes.registerType('debug', { category: 'ReSU' });</script>");
      const computed = "<script>var t = 'resu-x'; RED.nodes.registerType(t, { category: 'ReSU' });</script>";
      fs.writeFileSync(path.join(dir, 'nodes', 'broken.html'), computed);
      fs.mkdirSync(path.join(dir, 'examples'));
      fs.writeFileSync(path.join(dir, 'examples', 'flow.json'), JSON.stringify([{ id: 'a', type: 'debug' }]));
      const { status, output } = run(dir);
      assert.strictEqual(status, 1, output);
      for (const rule of [
        /✘ license field and LICENSE file/, /✘ bugs/, /✘ scoped package name/, /✘ keyword node-red/, /✘ engines\.node/,
        /✘ literal registerType.*broken\.html/, /✘ node types prefixed \(resu-\) — debug/, /✘ node types unique.*debug/,
        /✘ every non-config node type used in an example — unused: resu-cca/, /✘ at most 6 runtime dependencies — 7/,
        /✘ node-red, mocha and the test helper as devDependencies — missing: mocha/,
      ]) assert.match(output, rule);
      assert.match(output, /✔ repository/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
