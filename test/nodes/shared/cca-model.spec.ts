/**
 * nodes/shared/cca-model.ts: the two rules behind one face, the batch settings the online rule does not use, the persisted
 * state of each rule, and the bounded learning curve (a history that always spans the whole run).
 */
import * as assert from 'assert';
import { ConfigError, Random } from '../../../core';
import { CcaModelOptions, CcaNodeModel, MAX_HISTORY } from '../../../nodes/shared/cca-model';
import { simulateAr } from '../../helpers/oracles';

const BASE: CcaModelOptions = {
  rule: 'batch', pooling: 'channels', channels: 1, pastLags: 4, futureLags: 3, gap: 0, center: false,
  timeConstantSamples: 0, ridge: 1e-10, maxPastLags: 20, criterion: 'bic', learningRate: 1,
};

describe('nodes/shared/cca-model', function () {
  it('the online rule does not use the batch settings (τ, ridge, P, criterion) and cannot take pastLags "auto"', function () {
    const x = simulateAr(new Random(3), [0.6], 2000);
    const plain = new CcaNodeModel({ ...BASE, rule: 'online' });
    const other = new CcaNodeModel({ ...BASE, rule: 'online', timeConstantSamples: 500, ridge: 0.5, maxPastLags: 7, criterion: 'aic' });
    plain.update([x], 'row');
    other.update([x], 'row');
    assert.deepStrictEqual(other.toJSON(), plain.toJSON());
    // the declarations refuse it first (config.ts); the core learner refuses it too
    assert.throws(() => new CcaNodeModel({ ...BASE, rule: 'online', pastLags: 'auto' }), (err: Error) => err instanceof ConfigError && /pastLags/.test(err.message));
  });

  it('online: no statistics to federate; pairs, samples and a fit with the rule\'s ρ', function () {
    const model = new CcaNodeModel({ ...BASE, rule: 'online' });
    assert.strictEqual(model.statistics, null);
    const x = simulateAr(new Random(1), [0.7], 3000);
    model.update([x.subarray(0, 1000), x.subarray(1000, 2000)], 'row');
    assert.strictEqual(model.samplesSeen, 2000);
    assert.strictEqual(model.pairs, 2 * (1000 - 7 + 1));
    const fit = model.solve();
    assert.strictEqual(model.filtersPayload(0).rule, 'online');
    assert.strictEqual(fit.pastFilters[0].length, 4);
  });

  it('restart and end close a series: no pair bridges them (both rules)', function () {
    for (const rule of ['batch', 'online'] as const) {
      const model = new CcaNodeModel({ ...BASE, rule });
      const x = simulateAr(new Random(2), [0.5], 300);
      model.update([x.subarray(0, 100)], 's');
      model.update([x.subarray(100, 200)], 's', { restart: true });
      model.update([x.subarray(200)], 's', { end: true });
      model.update([x.subarray(0, 10)], 's');
      // 100 samples, then (restart) one series of 200, then a new series of 10: windows of 7 samples
      assert.strictEqual(model.pairs, (100 - 7 + 1) + (200 - 7 + 1) + (10 - 7 + 1), rule);
    }
  });

  it('a state saved under the other rule is refused with a message that says so', function () {
    const batch = new CcaNodeModel(BASE), online = new CcaNodeModel({ ...BASE, rule: 'online' });
    batch.update([simulateAr(new Random(3), [0.5], 200)], 'a');
    online.update([simulateAr(new Random(3), [0.5], 200)], 'a');
    assert.throws(() => online.load(batch.toJSON()), /persisted state must be a state of learning rule "online" \(the node's rule was changed since it was saved\) \(got "a batch-rule state"\)/);
    assert.throws(() => batch.load(online.toJSON()), /learning rule "batch"/);
    const copy = new CcaNodeModel({ ...BASE, rule: 'online' });
    copy.load(JSON.parse(JSON.stringify(online.toJSON())));
    assert.strictEqual(copy.pairs, online.pairs);
  });

  it('the learning curve keeps at most MAX_HISTORY solves spanning the whole run, with the change of each filter', function () {
    const model = new CcaNodeModel(BASE);
    const x = simulateAr(new Random(4), [0.8, -0.3], 40_000);
    const solves = 3 * MAX_HISTORY + 7;
    const step = Math.floor(x.length / solves);
    for (let i = 0; i < solves; i++) { model.update([x.subarray(i * step, (i + 1) * step)], 'row'); model.solve(); }
    const curve = model.learningCurve;
    assert.ok(curve.length <= MAX_HISTORY && curve.length > MAX_HISTORY / 2, `${curve.length} entries`);
    assert.strictEqual(curve[0].pairs, step - 7 + 1, 'the first solve is kept');
    assert.ok(curve[curve.length - 1].pairs > (solves - 4) * step, 'and a recent one');
    for (let i = 1; i < curve.length; i++) assert.ok(curve[i].pairs > curve[i - 1].pairs);
    assert.deepStrictEqual(curve[0].change, [null, null, null]);
    // late solves add little: ψ1 and ψ2 of the AR(2) barely turn (1 − |cos| small, ≥ 0); ψ3 is noise
    const last = curve[curve.length - 1];
    last.change.slice(0, 2).forEach((c) => assert.ok(c !== null && c >= 0 && c < 0.01, String(c)));
    model.reset();
    assert.strictEqual(model.learningCurve.length, 0);
  });
});
