/**
 * `resu reproduce` end to end: the built CLI (bin/resu.js → dist/cli) run with spawnSync on the
 * --quick configuration. Checks the files, the summary table, progress, that results.json is the
 * in-process reproduction byte for byte (same seed, same results, across processes), that every
 * figure is a well-formed SVG with labelled axes, and `--image` with a user PNG.
 */
import { strict as assert } from 'assert';
import { SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { createDeadLeavesImage } from '../../core';
import { runReproduction } from '../../core/experiments';
import { spawnNodeSync } from '../helpers/node-command';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'resu.js');
const FIGURES = ['ou.svg', 'gp.svg', 'natural.svg', 'snr.svg', 'motion.svg', 'adaptation.svg', 'motion2d.svg', 'bidirectional.svg', 'memory.svg', 'online.svg'];

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnNodeSync([BIN, 'reproduce', ...args], { encoding: 'utf8', timeout: 300_000 });
}

/** Tag balance of an XML document (no parser dependency): every element closed, in order, one root. */
function assertWellFormedSvg(text: string, name: string): void {
  assert.match(text, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${name}: starts with an <svg> root`);
  const stack: string[] = [];
  let roots = 0;
  for (const match of text.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, tag, , selfClosing] = match;
    if (closing) {
      assert.equal(stack.pop(), tag, `${name}: </${tag}> closes the open element`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(tag);
    }
  }
  assert.deepEqual(stack, [], `${name}: every element is closed`);
  assert.equal(roots, 1, `${name}: one root element`);
  assert.ok(text.trimEnd().endsWith('</svg>'));
}

/** Text of every <text> element (axis titles, chart titles, labels), entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'"));
}

describe('cli resu reproduce', function () {
  this.timeout(600_000);
  let dir: string;
  let result: SpawnSyncReturns<string>;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-reproduce-'));
    result = run(['--quick', '--out', path.join(dir, 'default')]);
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 and prints every claim with its verdict and expectation, the violations and the problems on stdout; progress on stderr', function () {
    assert.equal(result.status, 0, `exit ${result.status}, stderr: ${result.stderr}`);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'default', 'results.json'), 'utf8'));
    const lines = result.stdout.trimEnd().split('\n');
    const claims = results.claims as { id: string; figure: string; pass: boolean | null; measured: string; expectation: string; kind: 'check' | 'report' }[];
    const checks = claims.filter((c) => c.kind === 'check');
    const counts = [true, false, null].map((v) => checks.filter((c) => c.pass === v).length);
    const reports = claims.length - checks.length;
    assert.equal(reports, 1, 'the natural-scene memory is reported without a verdict');
    assert.equal(lines[0], `${checks.length} claims: ${counts[0]} pass, ${counts[1]} fail, ${counts[2]} not evaluated; ${reports} reported without a verdict (seed 1, quick run, scenes: built-in dead leaves)`);
    assert.match(lines[1], /^verdict\s+figure\s+claim\s+result \/ expected$/);
    claims.forEach((claim, i) => {
      const [line, expected] = [lines[2 + 2 * i], lines[3 + 2 * i]];
      assert.ok(line.startsWith(claim.kind === 'report' ? 'REPORT' : claim.pass === true ? 'PASS' : claim.pass === false ? 'FAIL' : 'N/A'), line);
      assert.ok(line.includes(claim.figure) && line.includes(claim.id) && line.endsWith(claim.measured), line);
      assert.equal(expected.trim(), `expected: ${claim.expectation}`);
    });
    const failing = checks.filter((c) => c.pass !== true).map((c) => c.id);
    assert.match(result.stdout, /\n(PASS|FAIL) +beyond paper +memory\.ou-saturation +95\/99 % at m = \d+\/\d+ vs population \d+\/\d+/);
    assert.match(result.stdout, /\nREPORT +beyond paper +memory\.natural-scenes +BIC order \d+ \(m = \d+\); Ĩ\(m\) 95\/99 % at m = \d+\/\d+/);
    assert.equal(lines[2 + 2 * claims.length], `violations: ${failing.length ? failing.join(', ') : 'none'}`);
    assert.equal(lines[3 + 2 * claims.length], `problems: ${results.problems.length || 'none'}`);
    for (const name of ['ou', 'gp', 'natural', 'snr', 'motion', 'adaptation', 'motion2d', 'bidirectional', 'memory', 'online']) assert.match(result.stderr, new RegExp(`\\[${name}\\] done in \\d`));
    assert.match(result.stderr, /wrote results\.json/);
  });

  it('writes results.json identical to the in-process reproduction with the same seed', function () {
    const written = fs.readFileSync(path.join(dir, 'default', 'results.json'), 'utf8');
    assert.equal(written, `${JSON.stringify(runReproduction({ quick: true, seed: 1 }))}\n`);
  });

  it('writes one well-formed SVG per experiment, axes titled with units, built-in scene named in the titles', function () {
    const axisTitles: Record<string, string[]> = {
      'ou.svg': ['component index i', 'canonical correlation ρ_i (dimensionless)', 'lag (samples before now)', 'filter weight (per unit input)'],
      'gp.svg': ['lag (samples before now)', 'filter weight (per unit input)', 'component index i'],
      'natural.svg': ['lag (samples before now)', 'filter weight (per unit contrast)', 'time (samples)'],
      'snr.svg': ['lag (samples before now)', 'input noise sd (signal sd 1)', 'lag (samples)', 'time after the step (samples)'],
      'motion.svg': ['time (samples)', 'rectified T4 response (a.u.)', 'DSI (dimensionless)', 'fraction of the preferred response kept', 'DSI over all stimuli', 'synaptic weight (per input sd)', 'normalized weight (dimensionless)'],
      'adaptation.svg': ['time (lag-vector lengths m + h)', '|corr(ψ2(t), steady-state ψ2)|', 'lag-vector lengths'],
      'motion2d.svg': ['0°', '90°', '180°', '270°', 'ON edges (peak)', 'OFF edges (peak)', 'gratings 30° (mean)'],
      'bidirectional.svg': ['input channel', 'synaptic weight (per input sd)', 'mirrored moments (authors)', 'gated per pair'],
      'memory.svg': ['past length m (samples)', 'fraction of I(P) (dimensionless)', 'AR order p (samples)', 'criterion above its minimum (nats per sample)'],
      'online.svg': ['samples of the stream', 'held-out ρ ratio (online / batch)', 'cos(ψ_i online, ψ_i batch)'],
    };
    for (const file of FIGURES) {
      const svg = fs.readFileSync(path.join(dir, 'default', file), 'utf8');
      assertWellFormedSvg(svg, file);
      const all = texts(svg);
      for (const title of axisTitles[file]) assert.ok(all.includes(title), `${file}: axis title ${JSON.stringify(title)}`);
      if (file === 'natural.svg' || file === 'snr.svg' || file === 'motion.svg' || file === 'memory.svg') assert.ok(all.some((t) => t.includes('built-in dead-leaves scene')), `${file}: title names the built-in scene`);
    }
  });

  it('--image runs the natural and motion experiments on the user image and names it in the titles', function () {
    const scene = createDeadLeavesImage({ width: 512, height: 16, seed: 5 });
    const png = new PNG({ width: scene.width, height: scene.height, colorType: 0, inputColorType: 0, bitDepth: 8 });
    const grey = Buffer.from(Array.from(scene.data, (v) => Math.round(v * 255)));
    png.data = Buffer.alloc(scene.width * scene.height * 4);
    for (let i = 0; i < grey.length; i++) { png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = grey[i]; png.data[4 * i + 3] = 255; }
    const file = path.join(dir, 'my scene.png');
    fs.writeFileSync(file, PNG.sync.write(png));
    const out = path.join(dir, 'image');
    const res = run(['--quick', '--image', file, '--fov', '360', '--seed', '3', '--out', out]);
    assert.equal(res.status, 0, res.stderr);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    assert.deepEqual(results.natural.source, ['my scene.png']);
    assert.deepEqual(results.memory.natural.source, ['my scene.png'], 'the memory experiment scans the user image too');
    assert.equal(results.natural.builtIn, false);
    assert.equal(results.seed, 3);
    assert.equal(typeof results.motion.dsi['probe-sd'].T4a.on.preferredPeak, 'number');
    const motion = texts(fs.readFileSync(path.join(out, 'motion.svg'), 'utf8'));
    assert.ok(motion.some((t) => t.includes('my scene.png')) && !motion.some((t) => t.includes('built-in')));
  });

  it('rejects bad usage with one line on stderr and exit code 2', function () {
    for (const [args, message] of [
      [['--fov', '90'], /--fov applies to --image files/],
      [['--image', path.join(dir, 'missing.png'), '--out', path.join(dir, 'x')], /missing\.png: no such file/],
      [['--seed', '1.5'], /--seed must be an integer/],
      [['--bogus'], /unknown option --bogus/],
    ] as const) {
      const res = run([...args]);
      assert.equal(res.status, 2, `${args.join(' ')}: exit ${res.status}`);
      assert.equal(res.stdout, '');
      const lines = res.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0], message);
    }
  });

  it('--help prints the options', function () {
    const res = run(['--help']);
    assert.equal(res.status, 0);
    assert.match(res.stdout, /--image FILE/);
  });
});
