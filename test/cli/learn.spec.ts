/**
 * `resu learn` end to end: the built CLI (bin/resu.js → dist/cli) run with spawnSync on generated files.
 *
 * Tolerances: the CLI and the library sum the same products (one chunk below 8192 rows), and JSON
 * carries doubles exactly, so their results agree to round-off (1e-12 relative); against the AR(1)
 * truth, 4 standard errors of a sample correlation, (1 − ρ²)/√N.
 */
import { strict as assert } from 'assert';
import { SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { solvePastFutureCca } from '../../core/cca';
import { LaggedMoments } from '../../core/moments';
import { PastFutureLearner } from '../../core/learner';
import { Random } from '../../core/random';
import { fitFromJSON, fitToJSON, FIT_FORMAT } from '../../core/serialize';
import { ResuUnit } from '../../core/units';
import { catchAll, collect, helper, load, nodeModules, startServer, stopServer } from '../nodes/harness';
import { correlatedSeries, relativeError, simulateAr1 } from '../helpers/oracles';
import { assertOneLineError } from '../helpers/cli';
import { spawnNodeSync } from '../helpers/node-command';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'resu.js');

interface LearnOutput {
  rho: number[];
  filters: number[][];
  mi: number[];
  samples: number;
  channels: number;
  pastLags: number;
  futureLags: number;
  gap: number;
}

function run(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnNodeSync([BIN, ...args], { input, encoding: 'utf8', timeout: 30_000 });
}

function parse(result: SpawnSyncReturns<string>): LearnOutput {
  assert.equal(result.status, 0, `exit ${result.status}, stderr: ${result.stderr}`);
  assert.equal(result.stderr, '');
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one JSON object on one line');
  return JSON.parse(lines[0]) as LearnOutput;
}

describe('cli resu learn', function () {
  let dir: string;
  const N = 4000, a = 0.6;
  const y = simulateAr1(new Random(2024), a, N);
  const text = `${y.map((v) => String(v)).join('\n')}\n`;
  let arFile: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-learn-'));
    arFile = path.join(dir, 'ar1.txt');
    fs.writeFileSync(arFile, text);
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('learns an AR(1) file: rho descending, filters, mi, samples = N − (m+g+h) + 1', function () {
    const m = 4, h = 3, g = 1;
    const out = parse(run(['learn', arFile, '--past', String(m), '--future', String(h), '--gap', String(g)]));
    assert.equal(out.samples, N - (m + g + h) + 1);
    assert.equal(out.rho.length, Math.min(m, h));
    assert.ok(out.rho.every((r, i) => i === 0 || r <= out.rho[i - 1]), 'descending');
    const truth = a ** (g + 1);
    assert.ok(Math.abs(out.rho[0] - truth) < 4 * (1 - truth ** 2) / Math.sqrt(N), `rho[0] = ${out.rho[0]}`);
    assert.equal(out.filters.length, out.rho.length);
    assert.ok(out.filters.every((f) => f.length === m));
    let total = 0;
    out.rho.forEach((r, k) => {
      total += -0.5 * Math.log(1 - r * r);
      assert.ok(Math.abs(out.mi[k] - total) < 1e-12 * total);
    });
    // the same numbers as the library on the same data
    const fit = solvePastFutureCca(new LaggedMoments({ pastLags: m, futureLags: h, gap: g }).update(y));
    assert.ok(relativeError(out.rho, fit.correlations) < 1e-12);
    out.filters.forEach((f, i) => assert.ok(relativeError(f, fit.pastFilters[i]) < 1e-12));
  });

  it('prints the fit as filters messages carry it (fitToJSON plus gap), keeping the earlier keys', function () {
    const m = 4, h = 3, g = 1;
    const out = parse(run(['learn', arFile, '--past', String(m), '--future', String(h), '--gap', String(g)])) as LearnOutput & Record<string, unknown>;
    const library = solvePastFutureCca(new LaggedMoments({ pastLags: m, futureLags: h, gap: g }).update(y));
    // every key and value of the node's format, exactly (JSON carries doubles exactly; one chunk, the same sums)
    const expected = JSON.parse(JSON.stringify(fitToJSON(library))) as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (key === 'correlations' || key === 'pastFilters' || key === 'futureDirections' || key.startsWith('mutualInformation')) {
        assert.ok(relativeError((value as number[] | number[][]).flat(), (out[key] as number[] | number[][]).flat()) < 1e-12, key);
      } else assert.deepEqual(out[key], value, key);
    }
    assert.equal(out.format, FIT_FORMAT);
    assert.equal(out.gap, g);
    assert.equal(out.pairs, N - (m + g + h) + 1);
    // the earlier keys are the same numbers under their earlier names
    assert.deepEqual(out.rho, out.correlations);
    assert.deepEqual(out.filters, out.pastFilters);
    assert.deepEqual(out.mi, out.mutualInformationNats);
    assert.deepEqual(out.miBits, out.mutualInformationBits);
    assert.equal(out.samples, out.pairs);
    // and core reads it back as the fit it is
    const read = fitFromJSON(out);
    assert.ok(relativeError(read.correlations, library.correlations) < 1e-12);
    read.pastFilters.forEach((row, i) => assert.ok(relativeError(row, library.pastFilters[i]) < 1e-12));
  });

  describe('its output drives a unit node', function () {
    beforeEach(startServer);
    afterEach(stopServer);

    it('as msg.payload it sets the filters of a real resu-unit and resu-l3: their output is core\'s units on the same input', async function () {
      const m = 5, h = 5;
      const out = parse(run(['learn', arFile, '--past', String(m), '--future', String(h)]));
      // the library's own fit on the same data, and its units: the oracle the nodes must match
      const library = solvePastFutureCca(new LaggedMoments({ pastLags: m, futureLags: h }).update(y));
      const input = [simulateAr1(new Random(7), 0.6, 300), simulateAr1(new Random(8), 0.6, 300)];
      const expectedOn = new ResuUnit({ taps: library.pastFilters[1], polarity: 'on', channels: 2 }).process(input);
      const expectedL3 = new ResuUnit({ taps: library.pastFilters[0], polarity: 'linear', channels: 2 }).process(input);
      await load(nodeModules('resu-unit', 'resu-l3'), [
        { id: 'unit', type: 'resu-unit', wires: [['unit-out']] }, { id: 'l3', type: 'resu-l3', wires: [['l3-out']] },
        { id: 'unit-out', type: 'helper' }, { id: 'l3-out', type: 'helper' }, ...catchAll(),
      ]);
      // a node that does not take the output as filters reports it through the catch node: fail on the first such error
      const failed = collect('errors', 1).then(([msg]) => { throw new Error(`a node rejected the resu learn output: ${msg.error?.message}`); });
      const outputs = Promise.all([collect('unit-out', 1), collect('l3-out', 1)]);
      for (const id of ['unit', 'l3']) {
        helper.getNode(id).receive({ topic: 'filters', payload: out });
        helper.getNode(id).receive({ payload: input.map((channel) => Array.from(channel)), chunk: { series: 'row-0', channels: ['px0', 'px1'] } });
      }
      const [[on], [l3]] = await Promise.race([outputs, failed]);
      assert.equal(on.chunk.signal, 'L1');
      assert.equal(l3.chunk.signal, 'L3');
      for (let c = 0; c < 2; c++) {
        // CLI and library fits agree to round-off (1e-12), and so do the units' outputs
        assert.ok(relativeError(on.payload[c], expectedOn[c]) < 1e-10, `ON channel ${c}`);
        assert.ok(relativeError(l3.payload[c], expectedL3[c]) < 1e-10, `L3 channel ${c}`);
      }
    });
  });

  it('reads stdin (no file, and "-") with the same result as the file', function () {
    const fromFile = parse(run(['learn', arFile, '--past', '3', '--future', '2']));
    assert.deepEqual(parse(run(['learn', '--past', '3', '--future', '2'], text)), fromFile);
    assert.deepEqual(parse(run(['learn', '-', '--past=3', '--future=2'], text)), fromFile);
  });

  it('takes several columns (comma or whitespace separated) as channels, skipping comments and blank lines', function () {
    const series = correlatedSeries(new Random(7), 2, 1500);
    const rows = series[0].map((v, t) => (t % 2 ? `${v}, ${series[1][t]}` : `${v}\t ${series[1][t]}`));
    const input = `# two channels\n\n${rows.join('\n')}\n`;
    const out = parse(run(['learn', '--past', '3', '--future', '2', '--center'], input));
    assert.equal(out.channels, 2);
    assert.equal(out.samples, 1500 - 5 + 1);
    assert.equal(out.rho.length, 4); // min(C·m, C·h)
    assert.ok(out.filters.every((f) => f.length === 6));
    const fit = solvePastFutureCca(new LaggedMoments({ channels: 2, pastLags: 3, futureLags: 2, center: true }).update(series));
    assert.ok(relativeError(out.rho, fit.correlations) < 1e-12);
    out.filters.forEach((f, i) => assert.ok(relativeError(f, fit.pastFilters[i]) < 1e-12));
  });

  it('--rank limits the output', function () {
    const out = parse(run(['learn', arFile, '--past', '4', '--future', '4', '--rank', '2']));
    assert.equal(out.rho.length, 2);
    assert.equal(out.filters.length, 2);
    assert.equal(out.mi.length, 2);
  });

  it('--past auto chooses the order of an AR(1) file and reports the criterion curve and I(m) saturation', function () {
    const out = parse(run(['learn', arFile, '--past', 'auto', '--future', '3'])) as LearnOutput & {
      pastLags: number; memory: { order: number; criterion: string; criterionValues: (number | null)[]; informationNats: number[]; correctedInformationNats: number[]; saturation95: number; saturation99: number; maxPastLags: number; effectiveSamples: number };
    };
    assert.equal(out.memory.order, 1);
    assert.equal(out.pastLags, 1);
    assert.equal(out.memory.criterion, 'bic');
    assert.equal(out.memory.maxPastLags, 200);
    assert.equal(out.memory.criterionValues.length, 201);
    assert.equal(out.memory.informationNats.length, 200);
    assert.equal(out.memory.effectiveSamples, N);
    // an AR(1) needs one past sample: the information saturates at once
    assert.equal(out.memory.saturation95, 1);
    assert.ok(out.filters.every((f) => f.length === 1));
    // the same numbers as the library's learner on the same data
    const learner = new PastFutureLearner({ pastLags: 'auto', futureLags: 3 });
    learner.update(y);
    const fit = learner.solve();
    assert.ok(relativeError(out.rho, fit.correlations) < 1e-12);
    assert.ok(relativeError(out.memory.informationNats, learner.memory!.informationNats) < 1e-12);
    const small = parse(run(['learn', arFile, '--past', 'auto', '--future', '3', '--max-past', '10'])) as unknown as { memory: { criterionValues: unknown[] } };
    assert.equal(small.memory.criterionValues.length, 11);
  });

  it('--help lists every option with its declared range and default, --past auto and --max-past included', function () {
    const help = run(['learn', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--past N\|auto +Past m: an integer ≥ 1 and ≤ 1000 samples, or "auto" \(chosen from the data by the order criterion \(BIC\)/);
    assert.match(help.stdout, /--max-past N +Largest past P: an integer ≥ 1 and ≤ 1000 samples, P \+ future h ≤ 1024 .*only with --past auto \(default 200\)/);
    assert.match(help.stdout, /--rate X +Learning rate μ0: a finite number > 0 and ≤ 1; .*only with --rule online \(default 1\)/);
    for (const flag of ['--future N', '--gap N', '--center', '--ridge X', '--rule batch|online', '--rank K']) assert.ok(help.stdout.includes(`  ${flag} `), flag);
  });

  describe('errors: non-zero exit and one line on stderr', function () {
    it('a non-number names its line (comments and blank lines counted)', function () {
      assertOneLineError(run(['learn', '--past', '1', '--future', '1'], '# header\n1\n\n2\nabc\n3\n'), /line 5.*"abc" is not a finite number/);
      assertOneLineError(run(['learn', '--past', '1', '--future', '1'], '1\n2\n0x10\n'), /line 3/);
      assertOneLineError(run(['learn', '--past', '1', '--future', '1'], '1\n2\nInfinity\n'), /line 3/);
      assertOneLineError(run(['learn', '--past', '1', '--future', '1'], '1 2\n3 NaN\n'), /line 2, column 2/);
    });

    it('ragged columns name the line', function () {
      assertOneLineError(run(['learn', '--past', '1', '--future', '1'], '1 2\n3 4\n5\n6 7\n'), /line 3 has 1 columns; expected 2/);
    });

    it('too few samples for past + gap + future', function () {
      assertOneLineError(run(['learn', '--past', '3', '--future', '2', '--gap', '1'], '1\n2\n3\n4\n5\n'), /5 samples is too few for past \+ gap \+ future = 6/);
      assertOneLineError(run(['learn', '--past', '3', '--future', '2'], ''), /0 samples is too few/);
    });

    it('--past and --future default to the learner node\'s m = h = 50', function () {
      const out = parse(run(['learn', arFile, '--future', '2']));
      assert.deepEqual([out.pastLags, out.futureLags, out.gap], [50, 2, 0]);
      assert.deepEqual([parse(run(['learn', arFile])).pastLags, parse(run(['learn', arFile])).futureLags], [50, 50]);
    });

    it('a bad --past value', function () {
      assertOneLineError(run(['learn', arFile, '--past', '0', '--future', '2']), /--past must be an integer ≥ 1/);
      assertOneLineError(run(['learn', arFile, '--past', 'two', '--future', '2']), /--past must be an integer ≥ 1 and ≤ 1000 samples, or "auto" \(got "two"\)/);
      assertOneLineError(run(['learn', arFile, '--past', '2', '--future', '2', '--rank', '9']), /rank must be an integer ≥ 1 and ≤ 2/);
    });

    it('--past auto: one column only, enough samples for --max-past, --max-past only with auto', function () {
      assertOneLineError(run(['learn', '--past', 'auto', '--future', '1'], '1 2\n3 4\n'), /--past auto needs one column \(got 2\)/);
      assertOneLineError(run(['learn', '--past', 'auto', '--future', '2', '--max-past', '5'], '1\n2\n3\n4\n5\n6\n'), /6 samples is too few for --max-past \+ gap \+ future = 7 \(lower --max-past\)/);
      assertOneLineError(run(['learn', arFile, '--past', '3', '--future', '2', '--max-past', '5']), /--max-past applies to --past auto$/);
      assertOneLineError(run(['learn', arFile, '--past', 'auto', '--future', '900']), /--max-past must be an integer ≥ 1 and ≤ 1000 samples, and at most 124 with future h = 900 \(P \+ h ≤ 1024\) \(got 200\)/);
      assertOneLineError(run(['learn', arFile, '--past', 'automatic', '--future', '2']), /--past must be an integer ≥ 1 and ≤ 1000 samples, or "auto" \(got "automatic"\)/);
    });

    it('an unknown option', function () {
      assertOneLineError(run(['learn', arFile, '--past', '2', '--future', '2', '--frobnicate']), /unknown option --frobnicate/);
    });

    it('a missing file', function () {
      assertOneLineError(run(['learn', path.join(dir, 'nope.txt'), '--past', '2', '--future', '2']), /nope\.txt: no such file/);
    });

    it('an all-zero signal', function () {
      assertOneLineError(run(['learn', '--past', '2', '--future', '2'], '0\n0\n0\n0\n0\n0\n'), /all zero/);
    });

    it('an unknown command', function () {
      assertOneLineError(run(['teach']), /unknown command "teach"/);
    });
  });

  describe('--rule online', function () {
    it('learns the AR(1) file with the online rule and prints the same keys as batch', function () {
      const m = 4, h = 3, g = 1;
      const args = ['learn', arFile, '--past', String(m), '--future', String(h), '--gap', String(g)];
      const batch = parse(run(args)) as LearnOutput & Record<string, unknown>;
      const online = parse(run([...args, '--rule', 'online'])) as LearnOutput & Record<string, unknown>;
      assert.deepEqual(Object.keys(online), Object.keys(batch));
      assert.equal(online.rule, 'online');
      assert.equal(batch.rule, 'batch');
      assert.equal(online.samples, N - (m + g + h) + 1);
      assert.equal(online.rho.length, 2, 'rank 2 by default (L3 = ψ1, L1/L2 = ψ2)');
      assert.deepEqual(online.conditionNumber, { past: null, future: null });
      // the online estimate of ρ1 = a^(g+1) within the batch tolerance plus the online rule's own
      // error at 4·10³ pairs (its learning curves: docs/online-learning.md)
      const truth = a ** (g + 1);
      assert.ok(Math.abs(online.rho[0] - truth) < 4 * (1 - truth ** 2) / Math.sqrt(N) + 0.01, `rho[0] = ${online.rho[0]}`);
      // ψ1 = the newest sample, signed like the batch filter (largest tap positive)
      const psi = online.filters[0], reference = batch.filters[0];
      const cosine = psi.reduce((s, x, i) => s + x * reference[i], 0) / Math.hypot(...psi) / Math.hypot(...reference);
      assert.ok(cosine > 0.99, `cosine ${cosine}`);
      assert.ok(psi[0] > 0);
      // the second unit has nothing to find in an AR(1): it says so
      assert.match((online.warnings as string[]).join(), /1 of 2 units found no direction/);
    });

    it('--rate sets the initial learning rate; the same input gives the same output', function () {
      const args = ['learn', arFile, '--past', '3', '--future', '3', '--rule', 'online'];
      const first = run([...args, '--rate', '0.5']), second = run([...args, '--rate', '0.5']);
      assert.equal(first.stdout, second.stdout);
      assert.notEqual(parse(first).filters[0][0], parse(run(args)).filters[0][0]);
    });

    it('rejects options of the other rule and bad values with one line', function () {
      assertOneLineError(run(['learn', arFile, '--past', '2', '--future', '2', '--rule', 'online', '--ridge', '1e-6']), /--ridge applies to --rule batch/);
      assertOneLineError(run(['learn', arFile, '--past', '2', '--future', '2', '--rate', '0.5']), /--rate applies to --rule online/);
      assertOneLineError(run(['learn', arFile, '--past', '2', '--future', '2', '--rule', 'hebbian']), /--rule must be one of "batch", "online"/);
      assertOneLineError(run(['learn', arFile, '--past', '2', '--future', '2', '--rule', 'online', '--rate', '0']), /--rate must be a finite number > 0 and ≤ 1/);
      assertOneLineError(run(['learn', '--past', '2', '--future', '2', '--rule', 'online'], '0\n0\n0\n0\n0\n0\n'), /all zero/);
    });

    it('--past auto is a batch option: refused with --rule online, accepted with --rule batch', function () {
      // the online rule's filters have a fixed length from the first sample; the choice of m needs the whole input
      assertOneLineError(run(['learn', arFile, '--past', 'auto', '--future', '3', '--rule', 'online']), /--past auto applies to --rule batch \(the online rule learns filters of a fixed length from the first sample: choose m with the batch rule and "auto" first, then learn online with that m\)$/);
      assertOneLineError(run(['learn', arFile, '--past', 'auto', '--future', '3', '--rule', 'online', '--rate', '0.5']), /--past auto applies to --rule batch/);
      const auto = parse(run(['learn', arFile, '--past', 'auto', '--future', '3', '--rule', 'batch'])) as LearnOutput & { rule: string; pastLags: number; memory: { order: number } };
      assert.equal(auto.rule, 'batch');
      assert.equal(auto.memory.order, 1);
      // the printed pastLags is what --rule online takes
      const online = parse(run(['learn', arFile, '--past', String(auto.pastLags), '--future', '3', '--rule', 'online'])) as LearnOutput & { rule: string };
      assert.equal(online.rule, 'online');
      assert.ok(online.filters.every((f) => f.length === auto.pastLags));
    });
  });
});
