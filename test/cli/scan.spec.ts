/**
 * `resu scan` end to end: the built CLI (bin/resu.js → dist/cli) run with spawnSync on a PNG and a
 * JPEG written by the fixtures, and on the built-in scene; and `scanCommand` with fake streams.
 *
 * Tolerances: the CLI prints 8 significant digits, so its numbers match the library's to 5e-8
 * relative (plus 1e-12 absolute for values near 0); noise and z-score statistics use the sampling
 * error of an sd, σ/√(2N).
 */
import { strict as assert } from 'assert';
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { createDeadLeavesImage, decodeImage, Scanner, toContrastImage } from '../../core';
import { parseRowList, scanCommand, SCAN_USAGE } from '../../cli/scan';
import { assertOneLineError } from '../helpers/cli';
import { childTimeoutMs, nodeCommandForShell, spawnNodeSync } from '../helpers/node-command';
import { colourJpeg, writePng } from '../fixtures/images';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'resu.js');

function run(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnNodeSync([BIN, ...args], { input, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
}

interface ScanOutput { header: string; series: Map<string, number[][]> }

/** Parses scan output: the header, then per "# row-r" block the rows of numbers (as columns). */
function parse(result: SpawnSyncReturns<string>): ScanOutput {
  assert.equal(result.status, 0, `exit ${result.status}, stderr: ${result.stderr}`);
  assert.equal(result.stderr, '');
  const lines = result.stdout.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const header = lines.shift()!;
  assert.match(header, /^# resu scan /);
  const series = new Map<string, number[][]>();
  let current: number[][] | null = null;
  for (const line of lines) {
    if (line.startsWith('# ')) { current = []; series.set(line.slice(2), current); continue; }
    const values = line.split(' ').map(Number);
    values.forEach((v) => assert.ok(Number.isFinite(v), line));
    if (current!.length === 0) values.forEach(() => current!.push([]));
    values.forEach((v, i) => current![i].push(v));
  }
  return { header, series };
}

function assertClose(actual: number[], expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < actual.length; k++) {
    assert.ok(Math.abs(actual[k] - expected[k]) <= 5e-8 * Math.abs(expected[k]) + 1e-12, `${what}[${k}]: ${actual[k]} vs ${expected[k]}`);
  }
}

/** The library's scan of the same scene, per series. */
function libraryScan(scanner: Scanner): Map<string, Float64Array[]> {
  const out = new Map<string, number[][]>();
  for (let c = scanner.next(100_000); c; c = scanner.next(100_000)) {
    if (!out.has(c.series)) out.set(c.series, c.channels.map(() => []));
    c.channels.forEach((ch, i) => out.get(c.series)![i].push(...ch));
  }
  return new Map([...out].map(([k, v]) => [k, v.map((ch) => Float64Array.from(ch))]));
}

const sd = (x: number[]): number => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
};

describe('cli resu scan', function () {
  let dir: string;
  let pngFile: string;
  let jpegFile: string;
  let pngBytes: Buffer;
  let jpegBytes: Buffer;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-scan-'));
    // A 16-bit grey PNG of a dead-leaves scene (360 × 12) and a colour JPEG of flat blocks (80 × 8).
    const scene = createDeadLeavesImage({ width: 360, height: 12, seed: 4 });
    pngBytes = writePng(360, 12, 0, 16, Array.from(scene.data, (v) => Math.round(v * 65535)));
    pngFile = path.join(dir, 'scene.png');
    fs.writeFileSync(pngFile, pngBytes);
    jpegBytes = colourJpeg([[200, 30, 30], [20, 20, 200], [240, 240, 240], [10, 120, 10], [90, 90, 90],
      [250, 200, 0], [5, 5, 5], [128, 0, 255], [60, 180, 220], [255, 255, 255]]);
    jpegFile = path.join(dir, 'blocks.jpg');
    fs.writeFileSync(jpegFile, jpegBytes);
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scans the built-in dead-leaves scene: every row, 1024 samples, 3 columns, as the library does', function () {
    const out = parse(run(['scan']));
    assert.match(out.header, /scene=dead-leaves seed=1 1024x64 .* pixels=3 spacing=5deg .* direction=right samplesPerRow=1024 rows=64 delay=14\.2222samples/);
    assert.deepEqual([...out.series.keys()], Array.from({ length: 64 }, (_, r) => `row-${r}`));
    for (const columns of out.series.values()) {
      assert.equal(columns.length, 3);
      assert.equal(columns[0].length, 1024);
    }
    const expected = libraryScan(new Scanner(toContrastImage(createDeadLeavesImage({ seed: 1 })), { rows: [0, 63] }));
    for (const row of ['row-0', 'row-63']) {
      out.series.get(row)!.forEach((col, i) => assertClose(col, expected.get(row)![i], `${row} pixel ${i}`));
    }
  });

  it('is reproducible by --seed and z-scores rows with --zscore', function () {
    const a = run(['scan', '--seed', '5', '--rows', '0-2', '--zscore']);
    assert.equal(run(['scan', '--seed', '5', '--rows', '0-2', '--zscore']).stdout, a.stdout);
    assert.notEqual(run(['scan', '--seed', '6', '--rows', '0-2', '--zscore']).stdout, a.stdout);
    for (const columns of parse(a).series.values()) {
      for (const col of columns) {
        assert.ok(Math.abs(col.reduce((s, v) => s + v, 0) / col.length) < 1e-7);
        assert.ok(Math.abs(sd(col) - 1) < 1e-7);
      }
    }
  });

  it('adds white noise of the requested sd with --noise', function () {
    const clean = parse(run(['scan', '--rows', '0-7', '--zscore']));
    const noisy = parse(run(['scan', '--rows', '0-7', '--zscore', '--noise', '0.05']));
    const differences: number[] = [];
    for (const [row, columns] of noisy.series) columns.forEach((col, i) => col.forEach((v, k) => differences.push(v - clean.series.get(row)![i][k])));
    // N = 8·1024·3 differences; sd sampling error 0.05/√(2N) ≈ 2.3e-4; printing adds ≤ 1e-8.
    assert.ok(Math.abs(sd(differences) - 0.05) < 4 * 0.05 / Math.sqrt(2 * differences.length), String(sd(differences)));
  });

  it('scans a 16-bit PNG like the library does on the decoded bytes', function () {
    const out = parse(run(['scan', '--image', pngFile, '--rows', '3,7-8', '--pixels', '2', '--spacing', '7', '--direction', 'left']));
    assert.match(out.header, /image=".*scene\.png" 360x12 fov=360deg degPerPixel=1 pixels=2 spacing=7deg/);
    const scene = toContrastImage(decodeImage(pngBytes));
    const expected = libraryScan(new Scanner(scene, { rows: [3, 7, 8], pixels: 2, spacingDeg: 7, direction: 'left' }));
    assert.deepEqual([...out.series.keys()], ['row-3', 'row-7', 'row-8']);
    for (const [row, columns] of out.series) columns.forEach((col, i) => assertClose(col, expected.get(row)![i], `${row} pixel ${i}`));
  });

  it('scans a colour JPEG with a 90° field of view (edges reflected; the scan stays inside the image)', function () {
    const out = parse(run(['scan', '--image', jpegFile, '--fov', '90', '--speed', '10', '--dt', '0.02', '--series-column']));
    const scene = toContrastImage(decodeImage(jpegBytes), { fovDeg: 90 });
    const scanner = new Scanner(scene, { speedDegPerS: 10, dtS: 0.02 });
    // 80 columns at 1.125°: the last sits at 88.875°; minus the array's 10° leaves 78.875° of travel,
    // 394 steps of 0.2° → 395 samples.
    assert.equal(scanner.samplesPerRow, 395);
    const expected = libraryScan(scanner);
    assert.equal(out.series.size, 8);
    for (const [row, columns] of out.series) {
      assert.ok(columns[0].every((r) => `row-${r}` === row), 'series column = row index');
      columns.slice(1).forEach((col, i) => assertClose(col, expected.get(row)![i], `${row} pixel ${i}`));
    }
  });

  it('pipes into resu learn (one multichannel series, comment lines skipped)', function () {
    const scan = run(['scan', '--rows', '0-9', '--zscore', '--noise', '0.05']);
    const learn = run(['learn', '--past', '20', '--future', '20'], scan.stdout);
    assert.equal(learn.status, 0, learn.stderr);
    const fit = JSON.parse(learn.stdout) as { rho: number[]; channels: number; samples: number };
    assert.equal(fit.channels, 3);
    assert.equal(fit.samples, 10 * 1024 - 40 + 1);
    assert.ok(fit.rho[0] > 0.9 && fit.rho[0] <= 1);
    for (let i = 1; i < fit.rho.length; i++) assert.ok(fit.rho[i] <= fit.rho[i - 1]);
  });

  it('stops quietly when the reader goes away (resu scan | head -1)', function () {
    // 65 537 lines (~1.6 MB) overflow the 64 kB pipe buffer, so scan is still writing when head exits.
    const result = spawnSync('bash', ['-c', `set -o pipefail; ${nodeCommandForShell()} "${BIN}" scan | head -1`], { encoding: 'utf8', timeout: childTimeoutMs(30_000) });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^# resu scan /);
  });

  describe('errors: non-zero exit and one line on stderr', function () {
    it('rejects bad option values, naming the option', function () {
      assertOneLineError(run(['scan', '--pixels', '0']), /^resu scan: --pixels must be an integer ≥ 1 and ≤ 1024 \(got 0\)$/);
      assertOneLineError(run(['scan', '--pixels', 'three']), /--pixels must be an integer ≥ 1 and ≤ 1024 \(got "three"\)/);
      assertOneLineError(run(['scan', '--direction', 'up']), /--direction must be one of "right", "left" \(got "up"\)$/);
      assertOneLineError(run(['scan', '--speed', '-1']), /--speed must be a finite number ≥ 0 and ≤ 1e6°\/s \(got -1\)$/);
      assertOneLineError(run(['scan', '--dt', '0']), /--dt must be a finite number ≥ 1e-6 and ≤ 60 s \(got 0\)$/);
      assertOneLineError(run(['scan', '--image', pngFile, '--fov', '400']), /--fov must be a finite number > 0 and ≤ 360°/);
      assertOneLineError(run(['scan', '--fov', '90']), /--fov applies only when scene is image file$/);
      assertOneLineError(run(['scan', '--rows', '64']), /--rows must be row numbers from 0 to 63/);
      assertOneLineError(run(['scan', '--rows', 'a-b']), /--rows must be a comma-separated list/);
      assertOneLineError(run(['scan', '--noise', '-0.1']), /--noise must be a finite number ≥ 0/);
      assertOneLineError(run(['scan', '--image', pngFile, '--fov', '90', '--pixels', '100']), /--pixels × --spacing must be at most the image's extent/);
      assertOneLineError(run(['scan', '--image', pngFile, '--fov', '90', '--duration', '1000']), /--duration must be at most .* s \(longer scans would move pixels off the image\)/);
      assertOneLineError(run(['scan', '--width', '16384', '--height', '2048']), /--height must be an integer ≥ 1 and ≤ 4096, and at most 1024 for 16384 scene width \(16777216 scene pixels\)/);
      assertOneLineError(run(['scan', '--zscore', '--no-zscore']), /--zscore and --no-zscore contradict each other/);
      assertOneLineError(run(['scan', '--frobnicate']), /unknown option --frobnicate/);
      assertOneLineError(run(['scan', 'scene.png']), /unexpected argument "scene.png" \(give the image with --image FILE\)/);
    });

    it('reports missing, empty, unsupported, corrupt and oversized images', function () {
      const empty = path.join(dir, 'empty.png');
      fs.writeFileSync(empty, '');
      const text = path.join(dir, 'notes.png');
      fs.writeFileSync(text, 'not an image');
      const gif = path.join(dir, 'anim.gif');
      fs.writeFileSync(gif, 'GIF89a and so on');
      const broken = path.join(dir, 'broken.jpg');
      fs.writeFileSync(broken, jpegBytes.subarray(0, 100));
      assertOneLineError(run(['scan', '--image', path.join(dir, 'missing.png')]), /missing\.png: no such file$/);
      assertOneLineError(run(['scan', '--image', dir]), /: is a directory$/);
      assertOneLineError(run(['scan', '--image', empty]), /empty\.png: empty file \(0 bytes\)$/);
      assertOneLineError(run(['scan', '--image', text]), /notes\.png: not a PNG or JPEG image/);
      assertOneLineError(run(['scan', '--image', gif]), /anim\.gif: GIF images are not supported \(convert to PNG or JPEG\)/);
      assertOneLineError(run(['scan', '--image', broken]), /broken\.jpg: unreadable JPEG/);
      assertOneLineError(run(['scan', '--image', pngFile, '--max-pixels', '1000']), /scene\.png: 360×12 = 4320 pixels exceeds the limit of 1000/);
    });
  });

  describe('scanCommand (in process)', function () {
    function sink(): Writable & { text: string } {
      const out = new Writable({ write(chunk, _enc, cb) { out.text += String(chunk); cb(); } }) as Writable & { text: string };
      out.text = '';
      return out;
    }

    it('prints help and usage', async function () {
      const out = sink();
      assert.equal(await scanCommand(['--help'], { stdout: out }), 0);
      assert.ok(out.text.startsWith(SCAN_USAGE));
      assert.match(out.text, /--direction right\|left {2}Direction: right \(toward higher pixel index\) or left \(default right\)/);
      assert.match(out.text, /--pixels N {10}Pixels: an integer ≥ 1 and ≤ 1024 \(default 3\)/);
    });

    it('treats EPIPE on stdout as the end, not an error', async function () {
      let writes = 0;
      const closing = new Writable({
        write(_chunk, _enc, cb) { writes++; cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })); },
      });
      closing.on('error', () => { /* the command listens too */ });
      assert.equal(await scanCommand(['--rows', '0-5'], { stdout: closing }), 0);
      assert.ok(writes <= 2, `stopped writing after the error (${writes} writes)`);
    });

    it('parses row lists', function () {
      assert.deepEqual(parseRowList('0-3,7, 9 - 10', 64), [0, 1, 2, 3, 7, 9, 10]);
      assert.throws(() => parseRowList('5-2', 64), /ranges that run upward/);
      assert.throws(() => parseRowList('', 64), /comma-separated list/);
    });
  });
});
