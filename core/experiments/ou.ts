/**
 * Experiment 1 (paper Fig. 2B, docs/method.md §3): the authors' 3-state Ornstein–Uhlenbeck process,
 * m = h = 25. The sample canonical correlations of a long simulated stream are compared with the
 * population values from the Lyapunov solution (exactly 3 are non-zero).
 *
 * Standard errors by batch means: the stream is cut into `batches` consecutive pieces, each its own
 * accumulator (merged for the total fit); the spread of the per-batch ρ_i, divided by √batches,
 * estimates the standard error of the total's ρ_i without assuming independent pairs (overlapping
 * lag vectors of an autocorrelated process are far from independent).
 */
import { solveFromAutocovariance } from '../cca';
import { PastFutureLearner } from '../learner';
import { LinearStateSpace, PAPER_OU_PRESET, stateSpaceAutocovariance } from '../stimuli/stateSpace';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ProgressCallback, plain, progressReporter } from './common';

/** Options of {@link runOuExperiment} (the paper's OU process, Fig. 2). */
export interface OuExperimentOptions {
  /** Samples simulated. */
  readonly samples: number;
  /** Consecutive batches for the standard errors (≥ 2). Default 10. */
  readonly batches?: number;
  /** m = h. Default 25. */
  readonly lags?: number;
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** The OU experiment in results.json: sample against population canonical correlations and filters. */
export interface OuResult {
  /** Sample canonical correlations, descending (m of them). */
  readonly rho: number[];
  /** Population canonical correlations, descending (3 non-zero, the rest ≈ 0). */
  readonly populationRho: number[];
  /** ψ1 … ψ3 (the state dimension), m taps each, newest first. */
  readonly filters: number[][];
  /** Population ψ1 … ψ3 for comparison. */
  readonly populationFilters: number[][];
  /** Batch-means standard error of each sample ρ_i. */
  readonly standardErrors: number[];
  /**
   * ρ_4, the largest sample correlation whose population value is 0: the chance level of a finite
   * sample, i.e. the size of the upward bias of small sample ρ (which batch means do not measure).
   */
  readonly noiseFloor: number;
  readonly samples: number;
  readonly pastLags: number;
  readonly futureLags: number;
}

/** Runs the OU experiment. Deterministic for a given seed. */
export function runOuExperiment(options: OuExperimentOptions): OuResult {
  const m = options.lags ?? 25, h = m, batches = options.batches ?? 10;
  const report = progressReporter('ou', options.onProgress);
  const process = new LinearStateSpace({ ...PAPER_OU_PRESET, seed: options.seed });
  const perBatch = Math.floor(options.samples / batches);
  const learners: PastFutureLearner[] = [];
  for (let b = 0; b < batches; b++) {
    report(`simulating batch ${b + 1}/${batches}`, b / batches);
    const learner = new PastFutureLearner({ pastLags: m, futureLags: h });
    // one continuous stream: batch b is a separate accumulator, so its first m + h − 1 samples' pairs
    // that would bridge two batches are lost (a 0.5 % loss at 50 000 samples)
    learner.update(process.next(perBatch), 'ou');
    learners.push(learner);
  }
  const total = new PastFutureLearner({ pastLags: m, futureLags: h });
  for (const learner of learners) total.moments.merge(learner.moments);
  const fit = total.solve();
  const batchRho = learners.map((learner) => learner.solve().correlations);
  const standardErrors = Array.from(fit.correlations, (_, i) => {
    const values = batchRho.map((rho) => rho[i]);
    const mean = values.reduce((a, x) => a + x, 0) / batches;
    const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / (batches - 1);
    return Math.sqrt(variance / batches);
  });
  const population = solveFromAutocovariance(stateSpaceAutocovariance(PAPER_OU_PRESET, m + h), m, h);
  report('done', 1);
  const states = 3;
  return {
    rho: plain(fit.correlations),
    populationRho: plain(population.correlations),
    filters: fit.pastFilters.slice(0, states).map(plain),
    populationFilters: population.pastFilters.slice(0, states).map(plain),
    standardErrors,
    noiseFloor: fit.correlations[states],
    samples: perBatch * batches,
    pastLags: m,
    futureLags: h,
  };
}

/** Fig. 2B as checks. */
export const OU_CLAIMS: readonly ClaimDefinition<OuResult>[] = [
  {
    id: 'ou.population-rho',
    figure: 'Fig. 2B',
    claim: 'past–future CCA of the 3-state OU process recovers its canonical correlations',
    expectation: '|ρ_i − ρ_i(population)| ≤ 4 SE_i + ρ_4 for i = 1…3 (batch-means SE; ρ_4, whose population value is 0, is the small-sample bias)',
    evaluate: (r) => {
      const gaps = [0, 1, 2].map((i) => Math.abs(r.rho[i] - r.populationRho[i]));
      const tolerances = [0, 1, 2].map((i) => 4 * r.standardErrors[i] + r.noiseFloor);
      return {
        measured: `ρ1-3 ${r.rho.slice(0, 3).map((x) => fmt(x, 3)).join(' ')} vs population ${r.populationRho.slice(0, 3).map((x) => fmt(x, 3)).join(' ')} (tolerance ${tolerances.map((x) => fmt(x, 3)).join(' ')})`,
        pass: verdict([...gaps, ...tolerances], () => gaps.every((g, i) => g <= tolerances[i])),
      };
    },
  },
  {
    id: 'ou.state-dimension',
    figure: 'Fig. 2B',
    claim: 'exactly three canonical correlations are non-zero (state dimension 3)',
    expectation: 'population ρ_4… = 0 (< 1e-6) and the sample ρ_3 above the chance level ρ_4',
    evaluate: (r) => ({
      measured: `ρ3 ${fmt(r.rho[2], 3)}, ρ4 ${fmt(r.noiseFloor, 3)}; population ρ4 ${fmt(r.populationRho[3], 6)}`,
      pass: verdict([r.rho[2], r.noiseFloor, r.populationRho[3]], () => r.populationRho.slice(3).every((x) => Math.abs(x) < 1e-6) && r.rho[2] > r.noiseFloor),
    }),
  },
];
