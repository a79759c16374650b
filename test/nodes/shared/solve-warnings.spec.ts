/**
 * nodes/shared/solve-warnings.ts: a learning node's solve warnings once per spell, and whether the
 * solves are ill-conditioned (the status hint), with a recording `warn`.
 */
import { strict as assert } from 'assert';
import { CONDITION_WARNING_THRESHOLD } from '../../../core';
import { createSolveWarnings, SolveDiagnostics } from '../../../nodes/shared/solve-warnings';

const wellConditioned: SolveDiagnostics = { warnings: [], conditionNumber: { past: 1e3, future: 10 } };
/** A fit as core reports an ill-conditioned Rp (the condition number differs from solve to solve). */
const illConditioned = (condition: number): SolveDiagnostics => ({
  warnings: [`Rp is ill-conditioned (condition number ${condition.toExponential(2)} > 1e12); the smallest directions are set by the ridge`],
  conditionNumber: { past: condition, future: 10 },
});

describe('nodes/shared/solve-warnings (once per spell)', function () {
  it('warns at the start of an ill-conditioned spell only, with the hint, and is quiet until a well-conditioned solve ends it', function () {
    const said: string[] = [];
    const warnings = createSolveWarnings((text) => said.push(text));
    warnings.report(wellConditioned);
    assert.deepEqual([said.length, warnings.illConditioned], [0, false]);
    for (const condition of [2e15, 3.1e15, 7e14]) warnings.report(illConditioned(condition));
    assert.equal(said.length, 1);
    assert.match(said[0], /^Rp is ill-conditioned \(condition number 2\.00e\+15 > 1e12\).*\. Add observation noise before the learner .* a larger ridge sets the smallest directions on purpose/);
    assert.equal(warnings.illConditioned, true);
    warnings.report(wellConditioned);
    assert.equal(warnings.illConditioned, false);
    warnings.report(illConditioned(5e13));
    assert.equal(said.length, 2);
    assert.equal(warnings.illConditioned, true);
  });

  it('takes the threshold from core: just above it is ill-conditioned, at it is not', function () {
    const warnings = createSolveWarnings(() => undefined);
    warnings.report({ warnings: [], conditionNumber: { past: 1, future: CONDITION_WARNING_THRESHOLD } });
    assert.equal(warnings.illConditioned, false);
    warnings.report({ warnings: [], conditionNumber: { past: 1, future: CONDITION_WARNING_THRESHOLD * 1.01 } });
    assert.equal(warnings.illConditioned, true);
  });

  it('a fit without condition numbers (the online rule: NaN, no Rp or Rf) is not ill-conditioned and ends a spell', function () {
    const warnings = createSolveWarnings(() => undefined);
    warnings.report(illConditioned(2e15));
    warnings.report({ warnings: [], conditionNumber: { past: Number.NaN, future: Number.NaN } });
    assert.equal(warnings.illConditioned, false);
  });

  it('says each other kind of warning once per spell, in one message per solve; reset starts afresh', function () {
    const said: string[] = [];
    const warnings = createSolveWarnings((text) => said.push(text));
    const fewPairs = (pairs: number): string => `fewer pairs (${pairs}) than past dimensions (50): Rp is singular and the result is regularized by the ridge`;
    warnings.report({ warnings: [fewPairs(10), 'a canonical correlation exceeded 1 by more than round-off and was clipped to 1'], conditionNumber: { past: 1, future: 1 } });
    warnings.report({ warnings: [fewPairs(20)], conditionNumber: { past: 1, future: 1 } });
    assert.deepEqual(said, [`${fewPairs(10)}; a canonical correlation exceeded 1 by more than round-off and was clipped to 1`]);
    warnings.report({ warnings: [fewPairs(30), 'a canonical correlation exceeded 1 by more than round-off and was clipped to 1'], conditionNumber: { past: 1, future: 1 } });
    assert.deepEqual(said.slice(1), ['a canonical correlation exceeded 1 by more than round-off and was clipped to 1']);
    warnings.reset();
    warnings.report({ warnings: [fewPairs(40)], conditionNumber: { past: 1, future: 1 } });
    assert.deepEqual(said.slice(2), [fewPairs(40)]);
  });
});
