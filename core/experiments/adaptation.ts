/**
 * Experiment 5 (paper §3 "within roughly ten lag-vector lengths" and Fig. S2, no published code;
 * docs/method.md §5): live SNR adaptation. A forgetting learner (exponential forgetting, time
 * constant τ in pairs) follows a stream of Gaussian-process draws (the GP experiment's kernel,
 * m = 75, h = 25, g = 1) whose observation noise switches abruptly low → high → low → …. After
 * every `checkEvery` samples the learner is solved and |corr(ψ2(t), ψ2*)| computed against the
 * steady-state ψ2* of the noise level in force (a non-forgetting fit on many draws, e.g. the GP
 * experiment's).
 *
 * The adaptation time of a switch (issue 15: a first crossing of 0.9 varied 8–32 lag-vector lengths
 * between seeds) is fitted: |corr|(t) = a − b·exp(−t/T) by least squares over the whole phase after
 * the switch (T on a log grid, a and b linear), reported as T·ln 10, the time to cover 90 % of the
 * fitted change, in lag-vector lengths m + h; over several switches and independent repeats, with
 * its spread.
 */
import { NotEnoughDataError } from '../errors';
import { PastFutureLearner } from '../learner';
import { GaussianProcessSampler } from '../stimuli/gaussianProcess';
import { WhiteNoise } from '../stimuli/noise';
import { ClaimDefinition, fmt } from './claims';
import { ProgressCallback, correlation, median, progressReporter, spread } from './common';

/** Correlation with the new steady state counted as "adapted" by the first-crossing measure. */
export const ADAPTED_CORRELATION = 0.9;
/** Time constants tried by the fit, lag-vector lengths: 400 log-spaced values in [0.05, 1000]. */
const TIME_CONSTANT_GRID = Array.from({ length: 400 }, (_, i) => 0.05 * Math.pow(1000 / 0.05, i / 399));

/** Options of {@link runAdaptationExperiment}. */
export interface AdaptationOptions {
  /** Noise sd of the low and high phases. Default 0.01 and 0.4. */
  readonly lowNoise?: number;
  readonly highNoise?: number;
  /** Steady-state ψ2 at the low and the high noise (m taps, newest first). */
  readonly steadyState: { readonly low: ArrayLike<number>; readonly high: ArrayLike<number> };
  /**
   * GP draws (1000 samples each) per phase; phases alternate low, high, low, … starting low (the
   * first phase only warms the learner up). Low phases are the longer ones: forgetting removes the
   * old noise variance only as exp(−t/τ), so returning to low noise is slow.
   */
  readonly drawsPerPhase: readonly number[];
  /** Independent repeats (other GP draws and noise). Default 1. */
  readonly repeats?: number;
  /**
   * Forgetting time constant, samples. Default 20 (m + h) = 2000: the effective pair count τ must be
   * large against the past dimension m = 75, or ψ2 fluctuates too much to ever correlate 0.9 with its
   * steady state (τ = 1000 already gives visibly noisy high-noise filters).
   */
  readonly timeConstantSamples?: number;
  /** Samples between solves. Default 50. */
  readonly checkEvery?: number;
  readonly pastLags?: number;
  readonly futureLags?: number;
  readonly gap?: number;
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** One switch of the noise level and the fit of the approach to the new steady state. */
export interface SwitchFit {
  readonly repeat: number;
  /** 'low→high' or 'high→low'. */
  readonly direction: 'low→high' | 'high→low';
  /** Sample index of the switch within its repeat. */
  readonly sample: number;
  /** Fitted T, lag-vector lengths; NaN when the phase shows no approach (b ≤ 0 or T at the grid's end). */
  readonly timeConstant: number;
  /** Lag-vector lengths observed after the switch (to the next switch or the end). */
  readonly phaseLength: number;
  /**
   * T·ln 10, lag-vector lengths, when that lies within the phase; NaN otherwise (the approach did not
   * complete 90 % of its change while observed: T is then an extrapolation).
   */
  readonly adaptationTime: number;
  /** Fitted a (the level approached) and a − b (the level right after the switch). */
  readonly asymptote: number;
  readonly initial: number;
  /** Root-mean-square residual of the fit. */
  readonly rmse: number;
  /** The older measure: first |corr| ≥ 0.9 after the switch, lag-vector lengths; null if never. */
  readonly firstCrossing: number | null;
}

export interface AdaptationSummary {
  /** Of the completed switches' adaptation times (T·ln 10), lag-vector lengths. */
  readonly median: number;
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Switches whose approach completed 90 % of its change within the phase. */
  readonly completed: number;
  readonly switches: number;
}

/** The adaptation experiment (filters following switches of the noise level) in results.json. */
export interface AdaptationResult {
  readonly switches: SwitchFit[];
  readonly summary: { readonly 'low→high': AdaptationSummary; readonly 'high→low': AdaptationSummary };
  /** Noise sd of each phase. */
  readonly phases: number[];
  readonly drawsPerPhase: number[];
  readonly repeats: number;
  /** Checkpoints of the first repeat: sample index, noise sd in force, |corr| with the low- and high-noise steady states. */
  readonly trace: { readonly sample: number[]; readonly noise: number[]; readonly correlationLow: number[]; readonly correlationHigh: number[] };
  /** Switch samples of the first repeat. */
  readonly switchSamples: number[];
  readonly timeConstantSamples: number;
  readonly lagVectorLength: number;
  readonly checkEvery: number;
}

interface Trace { sample: number[]; noise: number[]; correlationLow: number[]; correlationHigh: number[] }

/** Least-squares fit of c(t) = a − b·exp(−t/T) (T on {@link TIME_CONSTANT_GRID}). */
export function fitExponentialApproach(times: readonly number[], values: readonly number[]): { timeConstant: number; asymptote: number; initial: number; rmse: number } {
  const n = times.length;
  let best = { sse: Infinity, T: NaN, a: NaN, b: NaN };
  if (n >= 3) {
    for (const T of TIME_CONSTANT_GRID) {
      // normal equations of c ≈ a·1 − b·u with u = exp(−t/T)
      let su = 0, suu = 0, sc = 0, scu = 0;
      for (let i = 0; i < n; i++) { const u = Math.exp(-times[i] / T); su += u; suu += u * u; sc += values[i]; scu += values[i] * u; }
      const det = n * suu - su * su;
      if (!(Math.abs(det) > 1e-12 * n * n)) continue;
      const a = (sc * suu - scu * su) / det, b = -(n * scu - su * sc) / det;
      let sse = 0;
      for (let i = 0; i < n; i++) sse += (values[i] - a + b * Math.exp(-times[i] / T)) ** 2;
      if (sse < best.sse) best = { sse, T, a, b };
    }
  }
  const approaches = best.b > 0 && best.T < TIME_CONSTANT_GRID[TIME_CONSTANT_GRID.length - 1];
  return { timeConstant: approaches ? best.T : NaN, asymptote: best.a, initial: best.a - best.b, rmse: Math.sqrt(best.sse / Math.max(n, 1)) };
}

function runRepeat(options: AdaptationOptions, seed: number, phases: number[], report: (step: string, fraction: number) => void, progress: { done: number; total: number }): { trace: Trace; switchSamples: number[] } {
  const m = options.pastLags ?? 75, h = options.futureLags ?? 25, g = options.gap ?? 1;
  const tau = options.timeConstantSamples ?? 20 * (m + h);
  const checkEvery = options.checkEvery ?? 50;
  const learner = new PastFutureLearner({ pastLags: m, futureLags: h, gap: g, timeConstantSamples: tau });
  const sampler = new GaussianProcessSampler({ kernel: 'rationalQuadratic', alpha: 1, lengthScale: 1, points: 1000, start: -10, end: 10, seed });
  const noise = new WhiteNoise({ sd: 1, seed: seed + 1 });
  const trace: Trace = { sample: [], noise: [], correlationLow: [], correlationHigh: [] };
  const switchSamples: number[] = [];
  let sample = 0, sinceCheck = 0;
  phases.forEach((sd, p) => {
    if (p > 0) switchSamples.push(sample);
    const draws = options.drawsPerPhase[p];
    for (let d = 0; d < draws; d++) {
      report(`phase ${p + 1}/${phases.length} (noise sd ${sd}), draw ${d + 1}/${draws}`, progress.done++ / progress.total);
      const path = sampler.draw();
      const unitNoise = noise.next(path.length);
      for (let i = 0; i < path.length; i++) path[i] += sd * unitNoise[i];
      const series = `p${p}d${d}`;
      for (let start = 0; start < path.length; start += checkEvery - sinceCheck) {
        const length = Math.min(checkEvery - sinceCheck, path.length - start);
        learner.update(path.subarray(start, start + length), series, { end: start + length === path.length });
        sample += length; sinceCheck += length;
        if (sinceCheck < checkEvery) break; // end of the draw; the rest of the interval comes from the next draw
        sinceCheck = 0;
        let psi2: Float64Array;
        try { psi2 = learner.solve({ rank: 2 }).pastFilters[1]; } catch (err) { if (err instanceof NotEnoughDataError) continue; throw err; }
        trace.sample.push(sample);
        trace.noise.push(sd);
        trace.correlationLow.push(Math.abs(correlation(psi2, options.steadyState.low)));
        trace.correlationHigh.push(Math.abs(correlation(psi2, options.steadyState.high)));
      }
    }
  });
  return { trace, switchSamples };
}

/** Runs the adaptation experiment. Deterministic for a seed. */
export function runAdaptationExperiment(options: AdaptationOptions): AdaptationResult {
  const report = progressReporter('adaptation', options.onProgress);
  const m = options.pastLags ?? 75, h = options.futureLags ?? 25;
  const low = options.lowNoise ?? 0.01, high = options.highNoise ?? 0.4;
  const lagVectorLength = m + h;
  const tau = options.timeConstantSamples ?? 20 * lagVectorLength;
  const checkEvery = options.checkEvery ?? 50;
  const repeats = options.repeats ?? 1;
  const phases = options.drawsPerPhase.map((_, p) => (p % 2 === 0 ? low : high));
  const progress = { done: 0, total: repeats * options.drawsPerPhase.reduce((a, x) => a + x, 0) };
  const switches: SwitchFit[] = [];
  let first: { trace: Trace; switchSamples: number[] } | null = null;
  for (let repeat = 0; repeat < repeats; repeat++) {
    const run = runRepeat(options, options.seed + 7919 * repeat, phases, report, progress);
    first ??= run;
    run.switchSamples.forEach((at, s) => {
      const toHigh = phases[s + 1] === high;
      const target = toHigh ? run.trace.correlationHigh : run.trace.correlationLow;
      const end = s + 1 < run.switchSamples.length ? run.switchSamples[s + 1] : Infinity;
      const times: number[] = [], values: number[] = [];
      run.trace.sample.forEach((t, i) => { if (t > at && t <= end) { times.push((t - at) / lagVectorLength); values.push(target[i]); } });
      const fit = fitExponentialApproach(times, values);
      const crossing = times.find((_, i) => values[i] >= ADAPTED_CORRELATION);
      const phaseLength = times.length > 0 ? times[times.length - 1] : 0;
      const t90 = fit.timeConstant * Math.LN10;
      switches.push({
        repeat, direction: toHigh ? 'low→high' : 'high→low', sample: at,
        timeConstant: fit.timeConstant, phaseLength, adaptationTime: t90 <= phaseLength ? t90 : NaN,
        asymptote: fit.asymptote, initial: fit.initial, rmse: fit.rmse, firstCrossing: crossing ?? null,
      });
    });
  }
  report('done', 1);
  const summarize = (direction: SwitchFit['direction']): AdaptationSummary => {
    const times = switches.filter((s) => s.direction === direction).map((s) => s.adaptationTime);
    const { mean, sd, min, max, n } = spread(times);
    return { median: median(times), mean, sd, min, max, completed: n, switches: times.length };
  };
  const trace = first ? first.trace : { sample: [], noise: [], correlationLow: [], correlationHigh: [] };
  return {
    switches, summary: { 'low→high': summarize('low→high'), 'high→low': summarize('high→low') },
    phases, drawsPerPhase: [...options.drawsPerPhase], repeats, trace, switchSamples: first ? first.switchSamples : [],
    timeConstantSamples: tau, lagVectorLength, checkEvery,
  };
}

/** "Adapts within roughly ten lag-vector lengths" as a check. */
export const ADAPTATION_CLAIMS: readonly ClaimDefinition<AdaptationResult>[] = [
  {
    id: 'adaptation.ten-lag-vectors',
    figure: 'Fig. 3 text, Fig. S2',
    claim: 'after an abrupt SNR change the filter adjusts to the new statistics within roughly ten lag-vector lengths',
    expectation: 'every switch, low → high and high → low, completes 90 % of its fitted approach within its phase, and the median of those times (T·ln 10) is ≤ 20 lag-vector lengths (a factor two on "roughly ten")',
    evaluate: (r) => {
      const up = r.summary['low→high'], down = r.summary['high→low'];
      const extrapolated = (direction: SwitchFit['direction']) => r.switches.filter((s) => s.direction === direction && !Number.isFinite(s.adaptationTime))
        .map((s) => (Number.isFinite(s.timeConstant) ? `${fmt(s.timeConstant * Math.LN10, 0)} > ${fmt(s.phaseLength, 0)}` : 'no approach'));
      const text = (name: SwitchFit['direction'], x: AdaptationSummary) => `${name} median ${fmt(x.median, 1)} (${fmt(x.min, 1)}–${fmt(x.max, 1)}, sd ${fmt(x.sd, 1)}; ${x.completed} of ${x.switches} completed${x.completed < x.switches ? `; others ${extrapolated(name).join(', ')}` : ''})`;
      return {
        measured: `${text('low→high', up)}; ${text('high→low', down)} lag-vector lengths; forgetting τ = ${r.timeConstantSamples / r.lagVectorLength}`,
        pass: up.switches + down.switches === 0 ? null : up.completed === up.switches && down.completed === down.switches && up.median <= 20 && down.median <= 20,
      };
    },
  },
];
