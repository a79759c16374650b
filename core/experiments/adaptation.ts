/**
 * Experiment 5 (paper §3 "within roughly ten lag-vector lengths", no published code; docs/method.md §5):
 * live SNR adaptation. A forgetting learner (exponential forgetting, time constant τ in pairs)
 * follows a stream of Gaussian-process draws (the GP experiment's kernel, m = 75, h = 25, g = 1)
 * whose observation noise switches abruptly low → high → low. After every `checkEvery` samples the
 * learner is solved and |corr(ψ2(t), ψ2*)| computed against the steady-state ψ2* of the current
 * noise level (a non-forgetting fit on many draws, e.g. the GP experiment's). The adaptation time of
 * a switch is the time until that correlation first reaches 0.9, in lag-vector lengths m + h.
 */
import { NotEnoughDataError } from '../errors';
import { PastFutureLearner } from '../learner';
import { GaussianProcessSampler } from '../stimuli/gaussianProcess';
import { WhiteNoise } from '../stimuli/noise';
import { ProgressCallback, correlation, progressReporter } from './common';

/** Correlation with the new steady state that counts as adapted (issue 5). */
export const ADAPTED_CORRELATION = 0.9;

export interface AdaptationOptions {
  /** Noise sd of the low and high phases. Default 0.01 and 0.4. */
  readonly lowNoise?: number;
  readonly highNoise?: number;
  /** Steady-state ψ2 at the low and the high noise (m taps, newest first). */
  readonly steadyState: { readonly low: ArrayLike<number>; readonly high: ArrayLike<number> };
  /**
   * GP draws (1000 samples each) in the three phases low, high, low. The last phase is the longest:
   * forgetting removes the old noise variance only as exp(−t/τ), so returning to low noise is slow.
   */
  readonly drawsPerPhase: readonly [number, number, number];
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

export interface AdaptationResult {
  /** Time after each switch (low→high, high→low) until corr(ψ2, new steady state) ≥ 0.9, in units of m + h; null if never reached. */
  readonly lagVectorLengths: (number | null)[];
  /** Noise sd of each phase. */
  readonly phases: number[];
  readonly drawsPerPhase: number[];
  /** Sample index of each switch. */
  readonly switchSamples: number[];
  /** Checkpoints: sample index, noise sd in force, |corr| with the low- and high-noise steady states. */
  readonly trace: { readonly sample: number[]; readonly noise: number[]; readonly correlationLow: number[]; readonly correlationHigh: number[] };
  readonly timeConstantSamples: number;
  readonly lagVectorLength: number;
  readonly checkEvery: number;
}

/** Runs the adaptation experiment. Deterministic for a seed. */
export function runAdaptationExperiment(options: AdaptationOptions): AdaptationResult {
  const report = progressReporter('adaptation', options.onProgress);
  const m = options.pastLags ?? 75, h = options.futureLags ?? 25, g = options.gap ?? 1;
  const low = options.lowNoise ?? 0.01, high = options.highNoise ?? 0.4;
  const lagVectorLength = m + h;
  const tau = options.timeConstantSamples ?? 20 * lagVectorLength;
  const checkEvery = options.checkEvery ?? 50;
  const phases = [low, high, low];
  const learner = new PastFutureLearner({ pastLags: m, futureLags: h, gap: g, timeConstantSamples: tau });
  const sampler = new GaussianProcessSampler({ kernel: 'rationalQuadratic', alpha: 1, lengthScale: 1, points: 1000, start: -10, end: 10, seed: options.seed });
  const noise = new WhiteNoise({ sd: 1, seed: options.seed + 1 });
  const trace = { sample: [] as number[], noise: [] as number[], correlationLow: [] as number[], correlationHigh: [] as number[] };
  const switchSamples: number[] = [];
  let sample = 0, sinceCheck = 0;
  const totalDraws = options.drawsPerPhase.reduce((a, x) => a + x, 0);
  let drawsDone = 0;
  phases.forEach((sd, p) => {
    if (p > 0) switchSamples.push(sample);
    const draws = options.drawsPerPhase[p];
    for (let d = 0; d < draws; d++) {
      report(`phase ${p + 1}/3 (noise sd ${sd}), draw ${d + 1}/${draws}`, drawsDone++ / totalDraws);
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
  report('done', 1);
  const lagVectorLengths = switchSamples.map((at, s) => {
    const target = phases[s + 1] === high ? trace.correlationHigh : trace.correlationLow;
    const end = s + 1 < switchSamples.length ? switchSamples[s + 1] : Infinity;
    for (let i = 0; i < trace.sample.length; i++) {
      if (trace.sample[i] <= at || trace.sample[i] > end) continue;
      if (target[i] >= ADAPTED_CORRELATION) return (trace.sample[i] - at) / lagVectorLength;
    }
    return null;
  });
  return { lagVectorLengths, phases, drawsPerPhase: [...options.drawsPerPhase], switchSamples, trace, timeConstantSamples: tau, lagVectorLength, checkEvery };
}
