/**
 * Warnings of a learning node's solves, said once per spell instead of once per solve: a learner
 * solving every K pairs on ill-conditioned data (a noiseless, smooth signal) would otherwise put the
 * same condition-number warning in Debug on every solve. A warning is repeated only after a solve
 * without it; ill conditioning also shows on the status until a solve is well-conditioned again.
 */
import { CONDITION_WARNING_THRESHOLD, CcaFit } from '../../core';

/**
 * The short status hint shown while the solves are ill-conditioned. Noise is the remedy: the
 * condition number is the data's (before the ridge), so a larger ridge changes the result but not
 * the diagnosis; the warning says so.
 */
export const ILL_CONDITIONED_HINT = 'ill-conditioned: add noise';

/** What a solve must say about itself. */
export type SolveDiagnostics = Pick<CcaFit, 'warnings' | 'conditionNumber'>;

export interface SolveWarnings {
  /** Takes a solve's diagnostics; warns (at most one message) what the previous solve did not have. */
  report(fit: SolveDiagnostics): void;
  /** Whether the last solve was ill-conditioned (a spell is going on). */
  readonly illConditioned: boolean;
  /** Forgets the spells (msg.reset, close). */
  reset(): void;
}

/** A warning's kind: its text without the numbers (the condition number and pair count change per solve). */
const kindOf = (warning: string): string => warning.replace(/[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi, '#');

export function createSolveWarnings(warn: (text: string) => void): SolveWarnings {
  let previous = new Set<string>();
  let illConditioned = false;
  return {
    report(fit) {
      const kinds = new Set(fit.warnings.map(kindOf));
      const fresh = fit.warnings.filter((warning) => !previous.has(kindOf(warning)));
      previous = kinds;
      const wasIll = illConditioned;
      illConditioned = Math.max(fit.conditionNumber.past, fit.conditionNumber.future) > CONDITION_WARNING_THRESHOLD;
      if (fresh.length === 0) return;
      const hint = illConditioned && !wasIll
        ? '. Add observation noise before the learner (e.g. a resu-noise node, as the paper does). For deliberately noiseless'
          + ' data a larger ridge sets the smallest directions on purpose (the data stay ill-conditioned, and so does the status).'
          + ' Said once until a solve is well-conditioned again'
        : '';
      warn(`${fresh.join('; ')}${hint}`);
    },
    get illConditioned() { return illConditioned; },
    reset() { previous = new Set(); illConditioned = false; },
  };
}
