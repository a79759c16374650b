/**
 * Versioned JSON form of a CCA fit (core/serialize.ts). Doubles survive JSON.stringify/parse
 * exactly (shortest round-trip formatting), so the round trip is compared for equality.
 */
import { strict as assert } from 'assert';
import { CcaFit, solveFromAutocovariance, solvePastFutureCca } from '../../core/cca';
import { ConfigError, ShapeError } from '../../core/errors';
import { LaggedMoments } from '../../core/moments';
import { Random } from '../../core/random';
import { CcaFitJSON, FIT_FORMAT, FIT_VERSION, fitFromJSON, fitToJSON } from '../../core/serialize';
import { correlatedSeries } from '../helpers/oracles';

function plain(fit: CcaFit): unknown {
  return {
    ...fit,
    correlations: Array.from(fit.correlations),
    pastFilters: fit.pastFilters.map((r) => Array.from(r)),
    futureDirections: fit.futureDirections.map((r) => Array.from(r)),
    mutualInformationNats: Array.from(fit.mutualInformationNats),
    mutualInformationBits: Array.from(fit.mutualInformationBits),
  };
}

function sampleFit(): CcaFit {
  const series = correlatedSeries(new Random(3), 2, 500);
  const moments = new LaggedMoments({ channels: 2, pastLags: 3, futureLags: 2, center: true }).update(series);
  return solvePastFutureCca(moments);
}

describe('core/serialize fitToJSON / fitFromJSON', function () {
  it('round-trips a fit through JSON.stringify/parse exactly', function () {
    const fit = sampleFit();
    const json = fitToJSON(fit);
    assert.equal(json.format, FIT_FORMAT);
    assert.equal(json.version, FIT_VERSION);
    const restored = fitFromJSON(JSON.parse(JSON.stringify(json)));
    assert.deepEqual(plain(restored), plain(fit));
    assert.ok(restored.correlations instanceof Float64Array && restored.pastFilters[0] instanceof Float64Array);
  });

  it('round-trips a fit with warnings, a rank limit and the population pair count', function () {
    const fit = solveFromAutocovariance([2, 1.2, 0.6, 0.2, 0.1], 3, 2, 0, { rank: 1 });
    assert.equal(fit.pairs, Infinity);
    const text = JSON.stringify(fitToJSON(fit));
    assert.ok(!/null/.test(text), 'every value is JSON-safe (no Infinity or NaN turned into null)');
    const restored = fitFromJSON(JSON.parse(text));
    assert.deepEqual(plain(restored), plain(fit));
    const warned = solvePastFutureCca(new LaggedMoments({ pastLags: 5, futureLags: 5 }).update(new Array<number>(30).fill(1)));
    assert.ok(warned.warnings.length > 0);
    assert.deepEqual(plain(fitFromJSON(JSON.parse(JSON.stringify(fitToJSON(warned))))), plain(warned));
  });

  it('round-trips condition numbers that do not exist (the online rule forms no Rp or Rf: NaN, written as null) as NaN, not 0', function () {
    const fit: CcaFit = { ...sampleFit(), conditionNumber: { past: NaN, future: NaN } };
    const text = JSON.stringify(fitToJSON(fit));
    assert.match(text, /"conditionNumber":\{"past":null,"future":null\}/);
    assert.deepEqual(fitFromJSON(JSON.parse(text)).conditionNumber, { past: NaN, future: NaN });
  });

  it('the JSON holds plain arrays only', function () {
    const json = fitToJSON(sampleFit());
    for (const value of [json.correlations, ...json.pastFilters, ...json.futureDirections, json.mutualInformationNats]) {
      assert.ok(Array.isArray(value));
    }
  });

  describe('rejects', function () {
    const good = (): CcaFitJSON => JSON.parse(JSON.stringify(fitToJSON(sampleFit())));
    const cases: [string, (p: CcaFitJSON) => unknown, RegExp, typeof ShapeError | typeof ConfigError][] = [
      ['another format', (p) => ({ ...p, format: 'resu-lagged-moments' }), /format "resu-lagged-moments"; expected "resu-cca-fit"/, ShapeError],
      ['a missing format', (p) => ({ ...p, format: undefined }), /format undefined/, ShapeError],
      ['another version', (p) => ({ ...p, version: 2 }), /version 2; this library reads version 1/, ShapeError],
      ['a past filter of the wrong width', (p) => ({ ...p, pastFilters: p.pastFilters.map((r, i) => (i === 1 ? r.slice(1) : r)) }), /filters.pastFilters\[1\] must be an array of exactly 6 numbers/, ConfigError],
      ['fewer filters than correlations', (p) => ({ ...p, pastFilters: p.pastFilters.slice(1) }), /pastFilters must hold 4 rows \(one per correlation\)/, ShapeError],
      ['future directions of the wrong width', (p) => ({ ...p, futureDirections: p.futureDirections.map((r) => [...r, 0]) }), /futureDirections\[0\] must be an array of exactly 4 numbers/, ConfigError],
      ['more correlations than min(C·m, C·h)', (p) => ({ ...p, correlations: [0.5, 0.4, 0.3, 0.2, 0.1] }), /correlations must be an array of 1 to 4 numbers/, ConfigError],
      ['a non-numeric tap', (p) => ({ ...p, pastFilters: p.pastFilters.map((r, i) => (i === 0 ? ['a', ...r.slice(1)] : r)) }), /pastFilters\[0\]\[0\] must be a finite number \(got "a"\)/, ConfigError],
      ['a correlation above 1', (p) => ({ ...p, correlations: [1.5, ...p.correlations.slice(1)] }), /correlations\[0\] must be a finite number ≥ 0 and ≤ 1/, ConfigError],
      ['a negative correlation', (p) => ({ ...p, correlations: p.correlations.map((r, i) => (i === 1 ? -0.1 : r)) }), /correlations\[1\]/, ConfigError],
      ['a bad channel count', (p) => ({ ...p, channels: 0 }), /filters.channels must be an integer ≥ 1/, ConfigError],
      ['an array', () => [], /filters must be a filters object/, ConfigError],
      ['null', () => null, /filters must be a filters object/, ConfigError],
    ];
    for (const [name, mutate, message, type] of cases) {
      it(name, function () {
        const payload = mutate(good());
        assert.throws(() => fitFromJSON(payload), (err: Error) => {
          assert.match(err.message, message);
          assert.ok(err instanceof type, err.name);
          assert.ok(!err.message.includes('\n'));
          return true;
        });
      });
    }
  });
});
