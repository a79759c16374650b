/**
 * The claims machinery (core/experiments/claims.ts) and the claims' criteria on hand-made results:
 * a claim passes, fails, or is not evaluable exactly as its declared expectation says.
 */
import { strict as assert } from 'assert';
import { ClaimDefinition, evaluateClaims, fmt, GP_CLAIMS, GpResult, verdict, violations } from '../../../core/experiments';

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
});
