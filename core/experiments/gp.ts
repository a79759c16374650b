/**
 * Experiment 2 (paper Fig. 3, docs/method.md §3): filters of a Gaussian process (rational-quadratic
 * kernel, α = ℓ = 1, 1000 points on [−10, 10]) under observation noise of increasing sd. The same
 * draws get noise of sd 0.01, 0.1 and 0.4; m = 75, h = 25, gap g = 1 (the authors' code).
 * Expected: ψ2 has many lobes at low noise and becomes a broad two-lobed derivative at high noise,
 * counted as the sign changes of ψ2 within its first 60 taps.
 */
import { PastFutureLearner } from '../learner';
import { gaussianProcessDraws } from '../stimuli/gaussianProcess';
import { WhiteNoise } from '../stimuli/noise';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ProgressCallback, countSignChanges, plain, progressReporter } from './common';

/** The authors' observation-noise sds. */
export const GP_NOISE_SDS = [0.01, 0.1, 0.4] as const;
/** Taps of ψ2 inspected for sign changes (issue 5). */
export const SIGN_CHANGE_TAPS = 60;

/** Options of {@link runGpExperiment} (Gaussian-process draws at several noise levels, Fig. 3). */
export interface GpExperimentOptions {
  /** Independent draws (the authors: 200). */
  readonly draws: number;
  /** Grid points per draw. Default 1000. */
  readonly points?: number;
  readonly noiseSds?: readonly number[];
  readonly pastLags?: number;
  readonly futureLags?: number;
  readonly gap?: number;
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** The GP experiment at one noise sd, in results.json. */
export interface GpResult {
  /** Observation-noise sd. */
  readonly noise: number;
  /** Canonical correlations, descending (the first 10). */
  readonly rho: number[];
  /** [ψ1, ψ2], m taps each, newest first. */
  readonly filters: number[][];
  /** Sign changes of ψ2 within its first 60 taps (taps below 2 % of its peak count as zero: {@link countSignChanges}). */
  readonly signChanges: number;
}

/** The GP settings actually used (echoed into results.json next to the per-noise results). */
export interface GpSettings {
  readonly draws: number;
  readonly points: number;
  readonly pastLags: number;
  readonly futureLags: number;
  readonly gap: number;
}

/** The GP experiment's settings with defaults filled in (the authors' m = 75, h = 25, g = 1, 1000 points). */
export function resolveGpSettings(options: GpExperimentOptions): GpSettings {
  return { draws: options.draws, points: options.points ?? 1000, pastLags: options.pastLags ?? 75, futureLags: options.futureLags ?? 25, gap: options.gap ?? 1 };
}

/** Runs the GP experiment: one result per noise sd, in the given order. Deterministic for a seed. */
export function runGpExperiment(options: GpExperimentOptions): GpResult[] {
  const report = progressReporter('gp', options.onProgress);
  const { draws, points, pastLags, futureLags, gap } = resolveGpSettings(options);
  const noiseSds = options.noiseSds ?? GP_NOISE_SDS;
  report(`drawing ${draws} GP paths of ${points} points`, 0);
  const paths = gaussianProcessDraws({ kernel: 'rationalQuadratic', alpha: 1, lengthScale: 1, points, start: -10, end: 10, draws, seed: options.seed });
  const results = noiseSds.map((noise, index) => {
    report(`learning at noise sd ${noise}`, (index + 0.5) / noiseSds.length);
    const learner = new PastFutureLearner({ pastLags, futureLags, gap });
    const noiseSource = new WhiteNoise({ sd: noise, seed: options.seed + 1 + index });
    paths.forEach((path, d) => learner.update(noiseSource.add([path]), `draw-${d}`, { end: true }));
    const fit = learner.solve();
    return {
      noise,
      rho: plain(fit.correlations.subarray(0, 10)),
      filters: [plain(fit.pastFilters[0]), plain(fit.pastFilters[1])],
      signChanges: countSignChanges(fit.pastFilters[1], SIGN_CHANGE_TAPS),
    };
  });
  report('done', 1);
  return results;
}

/** Fig. 3C as checks (results in noise order 0.01, 0.1, 0.4). */
export const GP_CLAIMS: readonly ClaimDefinition<GpResult[]>[] = [
  {
    id: 'gp.lobes-vs-noise',
    figure: 'Fig. 3C',
    claim: 'ψ2 has many lobes at low noise and becomes a broad two-lobed (single-crossing) derivative at high noise',
    expectation: 'sign changes of ψ2 (first 60 taps) non-increasing with noise, fewer at the highest than at the lowest noise, ≤ 2 at the highest',
    evaluate: (r) => {
      const counts = r.map((g) => g.signChanges);
      return {
        measured: `sign changes ${r.map((g) => `${g.signChanges} @ sd ${g.noise}`).join(', ')}`,
        pass: verdict(counts, () => counts.every((c, i) => i === 0 || c <= counts[i - 1]) && counts[counts.length - 1] < counts[0] && counts[counts.length - 1] <= 2),
      };
    },
  },
  {
    id: 'gp.rho-vs-noise',
    figure: 'Fig. 3C',
    claim: 'observation noise lowers the predictable information (ρ2)',
    expectation: 'ρ2 non-increasing with noise',
    evaluate: (r) => {
      const rho2 = r.map((g) => g.rho[1]);
      return { measured: `ρ2 ${r.map((g) => `${fmt(g.rho[1], 3)} @ sd ${g.noise}`).join(', ')}`, pass: verdict(rho2, () => rho2.every((x, i) => i === 0 || x <= rho2[i - 1])) };
    },
  },
];
