/**
 * The paper's claims as checks (issue 15): each claim names its figure, states what the paper says,
 * the criterion this reproduction applies (declared here, before any run, never tuned to the
 * outcome), and evaluates one experiment's result to a measured text and a pass flag.
 *
 * A definition of kind 'report' carries numbers the paper makes no claim about (beyond-the-paper
 * experiments, e.g. the past length chosen from natural scenes): its expectation says why there is
 * none, it is evaluated and shown like a claim, but it has no verdict (pass null) and is never a
 * violation. Values it could not compute are listed in `problems` like every other.
 *
 * Every experiment module exports its claims (`OU_CLAIMS`, `MOTION_CLAIMS`, …); the registry in
 * ./index.ts lists them with the results key they read. A new experiment adds its module, its key
 * in the results and one registry entry.
 */

/** What one evaluation found. */
export interface ClaimOutcome {
  /** The measurement behind the verdict, with numbers (one line). */
  readonly measured: string;
  /** true: the expectation holds; false: violated; null: could not be evaluated (see `measured`). */
  readonly pass: boolean | null;
}

/** 'check': an expectation with a verdict; 'report': numbers shown without a verdict (module comment). */
export type ClaimKind = 'check' | 'report';

/** One claim of the paper and how it is checked. */
export interface ClaimDefinition<R> {
  /** Stable id, `<experiment>.<claim>` (results.json keys it). */
  readonly id: string;
  /** Where in the paper: "Fig. 5B". */
  readonly figure: string;
  /** The paper's statement, briefly. */
  readonly claim: string;
  /** The criterion applied, with its numbers. */
  readonly expectation: string;
  readonly evaluate: (result: R) => ClaimOutcome;
  /** Default 'check'. A 'report' has no verdict: its outcome's pass is ignored (null). */
  readonly kind?: ClaimKind;
}

/** A claim with its outcome, as results.json carries it. */
export interface ClaimResult {
  readonly id: string;
  readonly figure: string;
  readonly claim: string;
  readonly expectation: string;
  readonly measured: string;
  /** Always null for a report. */
  readonly pass: boolean | null;
  readonly kind: ClaimKind;
}

/** The claims of one experiment and the results key they read. */
export interface ClaimGroup<Results> {
  readonly experiment: keyof Results & string;
  readonly claims: readonly ClaimDefinition<never>[];
}

/**
 * Evaluates every claim of every group on the results. A claim whose evaluation throws, or whose
 * experiment is missing, is reported with pass null and the reason, never dropped.
 */
export function evaluateClaims<Results extends object>(groups: readonly ClaimGroup<Results>[], results: Results): ClaimResult[] {
  return groups.flatMap((group) => group.claims.map((definition) => {
    const { id, figure, claim, expectation } = definition;
    const kind = definition.kind ?? 'check';
    const result = (results as Record<string, unknown>)[group.experiment];
    if (result === undefined) return { id, figure, claim, expectation, measured: `not run: results have no "${group.experiment}"`, pass: null, kind };
    try {
      const outcome = (definition as unknown as ClaimDefinition<unknown>).evaluate(result);
      return { id, figure, claim, expectation, measured: outcome.measured, pass: kind === 'report' ? null : outcome.pass, kind };
    } catch (err) {
      return { id, figure, claim, expectation, measured: `could not evaluate: ${(err as Error).message}`, pass: null, kind };
    }
  }));
}

/** Checks that did not pass (reports have no verdict and never violate). */
export function failedChecks(claims: readonly ClaimResult[]): ClaimResult[] {
  return claims.filter((c) => c.kind === 'check' && c.pass !== true);
}

/** One line per check that did not pass: "<id> (<figure>): violated|not evaluated; expected …; measured …". */
export function violations(claims: readonly ClaimResult[]): string[] {
  return failedChecks(claims).map((c) => `${c.id} (${c.figure}): ${c.pass === null ? 'not evaluated' : 'violated'}; expected ${c.expectation}; measured ${c.measured}`);
}

/** A verdict that is null (not evaluable) when any of the values is not finite. */
export function verdict(values: readonly (number | null)[], holds: () => boolean): boolean | null {
  return values.every((v) => v !== null && Number.isFinite(v)) ? holds() : null;
}

/** Number formatting for measured texts: NaN and null print as "n/a". */
export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}
