/**
 * The claims machinery (core/experiments/claims.ts) and the claims' criteria on hand-made results:
 * a claim passes, fails, or is not evaluable exactly as its declared expectation says.
 */
import { strict as assert } from 'assert';
import { ClaimDefinition, evaluateClaims, failedChecks, GP_CLAIMS, GpResult, MEMORY_CLAIMS, MemoryReport, MemoryResult, violations } from '../../../core/experiments';
import { fmt, verdict } from '../../../core/experiments/claims';

describe('core/experiments/claims', function () {
  const above = (limit: number): ClaimDefinition<{ x: number }> => ({
    id: 'toy.above', figure: 'Fig. 0', claim: 'x is large', expectation: `x > ${limit}`,
    evaluate: (r) => ({ measured: `x ${fmt(r.x)}`, pass: verdict([r.x], () => r.x > limit) }),
  });

  it('evaluates each claim of each group on its experiment: pass, fail, not evaluable (NaN), missing experiment, throwing evaluation', function () {
    const throwing: ClaimDefinition<{ x: number }> = { id: 'toy.throws', figure: 'Fig. 0', claim: 'c', expectation: 'e', evaluate: () => { throw new Error('boom'); } };
    const groups = [
      { experiment: 'a' as const, claims: [above(1), throwing] as ClaimDefinition<never>[] },
      { experiment: 'b' as const, claims: [above(1)] as ClaimDefinition<never>[] },
      { experiment: 'c' as const, claims: [above(1)] as ClaimDefinition<never>[] },
    ];
    type Toy = { a: { x: number }; b: { x: number }; c?: { x: number } };
    const claims = evaluateClaims<Toy>(groups, { a: { x: 2 }, b: { x: NaN } });
    assert.deepEqual(claims.map((c) => c.pass), [true, null, null, null]);
    assert.equal(claims[0].measured, 'x 2.00');
    assert.match(claims[1].measured, /could not evaluate: boom/);
    assert.equal(claims[2].measured, 'x n/a');
    assert.match(claims[3].measured, /not run: results have no "c"/);
    assert.equal(evaluateClaims<Toy>([groups[0]], { a: { x: 0.5 }, b: { x: 0 } })[0].pass, false);
    const list = violations(claims);
    assert.equal(list.length, 3);
    assert.equal(list[0], 'toy.throws (Fig. 0): not evaluated; expected e; measured could not evaluate: boom');
    assert.deepEqual(violations([{ ...claims[0], pass: false }]), ['toy.above (Fig. 0): violated; expected x > 1; measured x 2.00']);
  });

  it('GP claims follow their declared criteria on hand-made results', function () {
    const gp = (counts: number[], rho2: number[]): GpResult[] => counts.map((signChanges, i) => ({ noise: [0.01, 0.1, 0.4][i], rho: [0.9, rho2[i]], filters: [], signChanges }));
    const [lobes, rho] = GP_CLAIMS;
    assert.equal(lobes.evaluate(gp([4, 3, 2], [0.9, 0.8, 0.5])).pass, true);
    assert.equal(lobes.evaluate(gp([4, 5, 2], [0.9, 0.8, 0.5])).pass, false, 'not monotone');
    assert.equal(lobes.evaluate(gp([4, 3, 3], [0.9, 0.8, 0.5])).pass, false, 'more than two lobes at high noise');
    assert.equal(rho.evaluate(gp([4, 3, 2], [0.9, 0.95, 0.5])).pass, false);
    assert.equal(rho.evaluate(gp([4, 3, 2], [0.9, NaN, 0.5])).pass, null);
  });

  it('a report is evaluated and shown like a claim but has no verdict and never violates; checks keep theirs', function () {
    const report: ClaimDefinition<{ x: number }> = {
      id: 'toy.report', figure: 'beyond paper', kind: 'report', claim: 'x, for the record', expectation: 'none, reported',
      evaluate: (r) => ({ measured: `x ${fmt(r.x)}`, pass: true }),
    };
    const claims = evaluateClaims<{ a: { x: number } }>([{ experiment: 'a', claims: [above(1), report, above(5)] as ClaimDefinition<never>[] }], { a: { x: 2 } });
    assert.deepEqual(claims.map((c) => [c.id, c.kind, c.pass]), [['toy.above', 'check', true], ['toy.report', 'report', null], ['toy.above', 'check', false]]);
    assert.equal(claims[1].measured, 'x 2.00');
    assert.deepEqual(failedChecks(claims).map((c) => c.pass), [false]);
    assert.deepEqual(violations(claims), ['toy.above (Fig. 0): violated; expected x > 5; measured x 2.00']);
  });

  it('memory claims: the OU check holds within 2 lags of both population saturation points and fails beyond; the natural-scene report carries the numbers and no verdict', function () {
    const base: MemoryReport = {
      samples: 1_000_000, effectiveSamples: 1_000_000, futureLags: 25, maxPastLags: 200, order: 12, pastLags: 12, saturation95: 5, saturation99: 8,
      criterionValues: [0, -1], informationNats: [0.05, 0.1], correctedInformationNats: [0.05, 0.1], chanceInformationNats: 0.0025, warnings: [],
    };
    const memory = (s95: number, s99: number): MemoryResult => ({
      ou: { ...base, saturation95: s95, saturation99: s99, populationInformationNats: [0.05, 0.1], populationSaturation95: 5, populationSaturation99: 8 },
      natural: { ...base, futureLags: 50, order: 29, pastLags: 29, saturation95: 5, saturation99: 52, correctedInformationNats: Array.from({ length: 200 }, (_, i) => (i < 49 ? 1 : 2)), source: ['s'], rows: 1, paperPastLags: 50 },
    });
    const [ou, natural] = MEMORY_CLAIMS;
    assert.equal(ou.evaluate(memory(5, 8)).pass, true);
    assert.equal(ou.evaluate(memory(7, 6)).pass, true, 'both within 2 lags');
    assert.equal(ou.evaluate(memory(8, 8)).pass, false, '95 % point 3 lags late');
    assert.equal(ou.evaluate(memory(5, 5)).pass, false, '99 % point 3 lags early');
    assert.match(ou.evaluate(memory(5, 8)).measured, /^95\/99 % at m = 5\/8 vs population 5\/8; Ĩ\(P\) 0\.100 nats \(population 0\.100\); BIC order 12/);
    assert.equal(natural.kind, 'report');
    const text = natural.evaluate(memory(5, 8)).measured;
    assert.match(text, /^BIC order 29 \(m = 29\); Ĩ\(m\) 95\/99 % at m = 5\/52; the paper's m = 50 keeps 100\.0 % of Ĩ\(P\) = 2\.000 nats/);
    assert.match(text, /no warnings$/);
  });
});
