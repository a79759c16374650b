/**
 * Experiment 3b (paper Fig. 4, issue 15): adaptation of the layer-1 filters (L1–L3) to the
 * signal-to-noise ratio of natural scenes. The layer-1 filters are learned on the same scenes as
 * {@link learnLayerOne} (z-scored rows, so the signal sd is 1) with white noise of increasing sd
 * added (default 0.005 → 0.5: amplitude SNR 200 → 2). The same unit-noise sequence is scaled for
 * every level (one seed), so the levels differ only by the noise amplitude.
 *
 * Measured per level: the zero-crossing lags of ψ2 (the length of L1/L2's newest lobe: a slower
 * derivative crosses later) and of ψ1 (where L3's low-pass lobe ends; null if ψ1 kept its sign),
 * the centre of mass of |ψ1| (reported, not judged: at low noise ψ1 rings, and its ringing counts
 * in |ψ1|), and the step responses of L1 to a contrast increment and L2 to the same decrement.
 */
import { ResuUnit } from '../units';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ExperimentScene, ProgressCallback, centreOfMassLag, plain, progressReporter, zeroCrossingLag } from './common';
import { learnLayerOne, DT_S } from './natural';

/** Input noise sds of the levels (the z-scored rows have sd 1). */
export const SNR_NOISE_SDS = [0.005, 0.02, 0.05, 0.2, 0.5] as const;
/** Samples of the step stimulus before and after the step. */
const STEP_SAMPLES = 100;

/** Options of {@link runSnrExperiment}. */
export interface SnrExperimentOptions {
  readonly rowStride: number;
  readonly noiseSds?: readonly number[];
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** Step response of one rectified unit: time of the peak after the step (samples) and its height. */
export interface StepResponse {
  readonly timeToPeak: number;
  readonly peak: number;
}

/** Layer 1 at one noise level. */
export interface SnrLevel {
  /** Input noise sd (signal sd 1). */
  readonly noise: number;
  /** ρ1, ρ2. */
  readonly rho: number[];
  /** ψ1 (L3) and ψ2 (L1/L2, newest lobe positive), newest first. */
  readonly filters: { readonly L3: number[]; readonly L1: number[] };
  /** First zero crossing (samples, interpolated): ψ2's newest lobe length; ψ1's, or null when ψ1 keeps its sign. */
  readonly zeroCrossingLag: { readonly L3: number | null; readonly L1: number };
  /** Σ k|ψ1_k| / Σ |ψ1_k|, samples: L3's integration time. */
  readonly centreOfMassLag: { readonly L3: number };
  /** L1 to a unit contrast increment, L2 to the same decrement. */
  readonly step: { readonly L1: StepResponse; readonly L2: StepResponse };
  /** max |L1(increment) − L2(decrement)| / peak: 0 when L1 and L2 are mirror images. */
  readonly onOffMismatch: number;
}

/** The signal-to-noise experiment (filters and step responses per noise level) in results.json. */
export interface SnrResult {
  readonly levels: SnrLevel[];
  /** Sample interval, seconds (lags × dtS = seconds). */
  readonly dtS: number;
}

function stepResponse(taps: Float64Array, polarity: 'on' | 'off', sign: number): { trace: Float64Array; response: StepResponse } {
  const stimulus = Float64Array.from({ length: 2 * STEP_SAMPLES }, (_, k) => (k >= STEP_SAMPLES ? sign : 0));
  const trace = new ResuUnit({ taps, polarity }).process(stimulus)[0].subarray(STEP_SAMPLES);
  let peakAt = 0;
  for (let k = 1; k < trace.length; k++) if (trace[k] > trace[peakAt]) peakAt = k;
  return { trace, response: { timeToPeak: peakAt, peak: trace[peakAt] } };
}

/** Runs the SNR experiment. Deterministic for a seed. */
export function runSnrExperiment(scenes: readonly ExperimentScene[], options: SnrExperimentOptions): SnrResult {
  const report = progressReporter('snr', options.onProgress);
  const noiseSds = options.noiseSds ?? SNR_NOISE_SDS;
  const levels = noiseSds.map((noise, i): SnrLevel => {
    report(`learning layer 1 at input noise sd ${noise}`, i / noiseSds.length);
    const layer = learnLayerOne(scenes, { rowStride: options.rowStride, noiseSd: noise, seed: options.seed });
    const up = stepResponse(layer.l1Filter, 'on', 1), down = stepResponse(layer.l1Filter, 'off', -1);
    let mismatch = 0;
    for (let k = 0; k < up.trace.length; k++) mismatch = Math.max(mismatch, Math.abs(up.trace[k] - down.trace[k]));
    return {
      noise,
      rho: plain(layer.fit.correlations.subarray(0, 2)),
      filters: { L3: plain(layer.l3Filter), L1: plain(layer.l1Filter) },
      zeroCrossingLag: { L3: zeroCrossingLag(layer.l3Filter), L1: zeroCrossingLag(layer.l1Filter) ?? NaN },
      centreOfMassLag: { L3: centreOfMassLag(layer.l3Filter) },
      step: { L1: up.response, L2: down.response },
      onOffMismatch: up.response.peak > 0 ? mismatch / up.response.peak : NaN,
    };
  });
  report('done', 1);
  return { levels, dtS: DT_S };
}

const ends = (r: SnrResult): [SnrLevel, SnrLevel] => [r.levels[0], r.levels[r.levels.length - 1]];

/** Fig. 4's SNR adaptation as checks. */
export const SNR_CLAIMS: readonly ClaimDefinition<SnrResult>[] = [
  {
    id: 'snr.slow-down',
    figure: 'Fig. 4',
    claim: 'L1–L3 filters adapt to SNR like the fly\'s: they slow down as the SNR falls',
    expectation: 'the zero-crossing lags of ψ2 (L1/L2) and ψ1 (L3) later at the highest noise (sd 0.5) than at the lowest (sd 0.005); intermediate levels reported',
    evaluate: (r) => {
      const [low, high] = ends(r);
      const values = [low.zeroCrossingLag.L1, high.zeroCrossingLag.L1, low.zeroCrossingLag.L3, high.zeroCrossingLag.L3];
      return {
        measured: `zero crossing ψ2 ${r.levels.map((l) => fmt(l.zeroCrossingLag.L1, 1)).join(' → ')}, ψ1 ${r.levels.map((l) => fmt(l.zeroCrossingLag.L3, 1)).join(' → ')} samples (noise sd ${r.levels.map((l) => l.noise).join(', ')}); |ψ1| centre of mass ${r.levels.map((l) => fmt(l.centreOfMassLag.L3, 1)).join(' → ')}`,
        pass: verdict(values, () => values[1]! > values[0]! && values[3]! > values[2]!),
      };
    },
  },
  {
    id: 'snr.l1-l2',
    figure: 'Fig. 4',
    claim: 'L1 (ON) and L2 (OFF) share the derivative filter: mirror-image responses at every SNR, slowing together',
    expectation: 'L1\'s response to an increment equals L2\'s to the same decrement at every level (max difference ≤ 1e-12 of the peak; holds by construction here: both rectify ψ2), and both peak no earlier at sd 0.5 than at sd 0.005',
    evaluate: (r) => {
      const [low, high] = ends(r);
      const mismatch = Math.max(...r.levels.map((l) => l.onOffMismatch));
      return {
        measured: `time to peak L1 ${r.levels.map((l) => l.step.L1.timeToPeak).join(' → ')}, L2 ${r.levels.map((l) => l.step.L2.timeToPeak).join(' → ')} samples; largest L1/L2 mismatch ${fmt(mismatch, 15)}`,
        pass: verdict([mismatch], () => mismatch <= 1e-12 && r.levels.every((l) => l.step.L1.timeToPeak === l.step.L2.timeToPeak)
          && high.step.L1.timeToPeak >= low.step.L1.timeToPeak),
      };
    },
  },
];
