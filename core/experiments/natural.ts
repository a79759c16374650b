/**
 * Experiment 3 (paper Fig. 4, docs/method.md §3): layer-1 filters learned on translating scenes. Each
 * row of each scene is scanned by one pixel at 5/13 ° per step (13 steps per 5° pixel spacing, the
 * authors' ≈ 0.39°/step), z-scored per row, white noise of sd 0.05 added; past–future CCA with
 * m = h = 50, every row its own series, all rows and scenes pooled. ψ1 → L3 (linear), ψ2 → L1
 * (ON-ReSU) and L2 (OFF-ReSU); their responses to a contrast staircase show the L3 low-pass and
 * the L1/L2 transient ON/OFF behaviour.
 */
import { CcaFit } from '../cca';
import { PastFutureLearner } from '../learner';
import { WhiteNoise } from '../stimuli/noise';
import { Scanner } from '../stimuli/scanner';
import { ResuUnit } from '../units';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ExperimentScene, ProgressCallback, countSignChanges, plain, progressReporter } from './common';

/** Pixel spacing, degrees (the fly's inter-ommatidial angle). */
export const SPACING_DEG = 5;
/** Scan steps per pixel spacing during training (the authors' 13). */
export const TRAINING_SAMPLES_PER_SPACING = 13;
/** Sample interval of the scans, seconds (only sets the unit of speed). */
export const DT_S = 0.01;
/** Scene speed of every scan: 5° per 13 steps ≈ 0.385°/step = 38.5°/s at dt = 10 ms. */
export const SCAN_SPEED_DEG_PER_S = SPACING_DEG / TRAINING_SAMPLES_PER_SPACING / DT_S;

/** Options of {@link learnLayerOne}. */
export interface LayerOneOptions {
  /** Use every `rowStride`-th image row (1: all rows). */
  readonly rowStride: number;
  /** m = h. Default 50. */
  readonly lags?: number;
  /** White noise added to the z-scored rows. Default 0.05. */
  readonly noiseSd?: number;
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** Layer-1 filters and how they were learned. */
export interface LayerOne {
  readonly fit: CcaFit;
  /** ψ1 (L3). */
  readonly l3Filter: Float64Array;
  /** ψ2 (L1 = ON, L2 = OFF), oriented so its newest lobe is positive (responds to increments). */
  readonly l1Filter: Float64Array;
  /** True when ψ2 had to be negated to make its newest lobe positive. */
  readonly l1Flipped: boolean;
  readonly rows: number;
  readonly samples: number;
}

/** Image rows scanned for a scene: every rowStride-th, starting half a stride in. */
export function sceneRows(height: number, rowStride: number): number[] {
  const rows: number[] = [];
  for (let r = Math.floor((rowStride - 1) / 2); r < height; r += rowStride) rows.push(r);
  return rows.length > 0 ? rows : [0];
}

/** Learns the layer-1 filters from the scenes (all pooled). Deterministic for a seed. */
export function learnLayerOne(scenes: readonly ExperimentScene[], options: LayerOneOptions): LayerOne {
  const m = options.lags ?? 50;
  const report = progressReporter('natural', options.onProgress);
  const learner = new PastFutureLearner({ pastLags: m, futureLags: m });
  const noise = new WhiteNoise({ sd: options.noiseSd ?? 0.05, seed: options.seed });
  let rows = 0, samples = 0;
  report(`learning layer-1 filters on ${scenes.length} scene(s)`, 0);
  scenes.forEach((scene, s) => {
    const rowsBefore = rows;
    const scanner = new Scanner(scene.contrast, {
      pixels: 1, spacingDeg: SPACING_DEG, speedDegPerS: SCAN_SPEED_DEG_PER_S, dtS: DT_S,
      direction: 'right', rows: sceneRows(scene.contrast.height, options.rowStride), zScoreRows: true,
    });
    for (let chunk = scanner.next(8192); chunk !== null; chunk = scanner.next(8192)) {
      learner.update(noise.add(chunk.channels), `${s}:${chunk.series}`, { end: chunk.endOfSeries });
      samples += chunk.channels[0].length;
      if (chunk.endOfSeries) {
        rows++;
        report(`scanning ${scene.name}, row ${chunk.row}`, (s + (rows - rowsBefore) / scanner.rows.length) / scenes.length);
      }
    }
  });
  const fit = learner.solve();
  report('done', 1);
  const l3Filter = Float64Array.from(fit.pastFilters[0]);
  const l1Filter = Float64Array.from(fit.pastFilters[1]);
  const l1Flipped = newestLobeSign(l1Filter) < 0;
  if (l1Flipped) for (let i = 0; i < l1Filter.length; i++) l1Filter[i] = -l1Filter[i];
  return { fit, l3Filter, l1Filter, l1Flipped, rows, samples };
}

/** Sign of the first lobe (the taps up to the first sign change) by its summed weight. */
function newestLobeSign(filter: Float64Array): number {
  let sum = 0;
  const first = Math.sign(filter[0]) || 1;
  for (let i = 0; i < filter.length && Math.sign(filter[i]) !== -first; i++) sum += filter[i];
  return sum < 0 ? -1 : 1;
}

/** A contrast staircase and the L1, L2, L3 responses to it. */
export interface StaircaseResponses {
  /** Contrast in units of the training rows' sd, one value per sample. */
  readonly stimulus: number[];
  readonly L1: number[];
  readonly L2: number[];
  readonly L3: number[];
}

/** Staircase levels (held `stepSamples` each): up in steps, down through zero to negative, back. */
export const STAIRCASE_LEVELS = [0, 0.5, 1, 1.5, 1, 0.5, 0, -0.5, -1, -1.5, -1, -0.5, 0] as const;

/** Responses of L3 = ψ1·p, L1 = max(ψ2·p, 0), L2 = max(−ψ2·p, 0) to the staircase (ResuUnit). */
export function staircaseResponses(layer: LayerOne, stepSamples = 150): StaircaseResponses {
  const stimulus = new Float64Array(STAIRCASE_LEVELS.length * stepSamples);
  STAIRCASE_LEVELS.forEach((level, i) => stimulus.fill(level, i * stepSamples, (i + 1) * stepSamples));
  const run = (taps: Float64Array, polarity: 'on' | 'off' | 'linear'): number[] => plain(new ResuUnit({ taps, polarity }).process(stimulus)[0]);
  return { stimulus: plain(stimulus), L1: run(layer.l1Filter, 'on'), L2: run(layer.l1Filter, 'off'), L3: run(layer.l3Filter, 'linear') };
}

/** The natural-scene experiment (layer-1 filters L1/L2/L3, Fig. 4) in results.json. */
export interface NaturalResult {
  /** Scene names ("built-in dead-leaves scene …" or file names). */
  readonly source: string[];
  readonly builtIn: boolean;
  /** Canonical correlations, descending (the first 10). */
  readonly rho: number[];
  /** L3 = ψ1 and L1 = ψ2 (newest lobe positive), m taps each, newest first. */
  readonly filters: { readonly L3: number[]; readonly L1: number[] };
  /** ψ2 was negated to make its newest lobe positive. */
  readonly l1Flipped: boolean;
  /** Sign changes of ψ1 and ψ2 over all taps. */
  readonly signChanges: { readonly L3: number; readonly L1: number };
  readonly staircase: StaircaseResponses;
  readonly rows: number;
  readonly samples: number;
  readonly pastLags: number;
  readonly futureLags: number;
  readonly speedDegPerStep: number;
}

/** Packs the layer-1 result for results.json. */
export function naturalResult(scenes: readonly ExperimentScene[], layer: LayerOne): NaturalResult {
  return {
    source: scenes.map((s) => s.name),
    builtIn: scenes.every((s) => s.builtIn),
    rho: plain(layer.fit.correlations.subarray(0, 10)),
    filters: { L3: plain(layer.l3Filter), L1: plain(layer.l1Filter) },
    l1Flipped: layer.l1Flipped,
    signChanges: { L3: countSignChanges(layer.l3Filter), L1: countSignChanges(layer.l1Filter) },
    staircase: staircaseResponses(layer),
    rows: layer.rows,
    samples: layer.samples,
    pastLags: layer.fit.pastLags,
    futureLags: layer.fit.futureLags,
    speedDegPerStep: SCAN_SPEED_DEG_PER_S * DT_S,
  };
}

/** Maximal runs of same-signed taps (zeros join the current run): sign and energy of each. */
export function lobes(filter: readonly number[]): { sign: number; energy: number }[] {
  const out: { sign: number; energy: number }[] = [];
  for (const w of filter) {
    const s = Math.sign(w);
    if (out.length === 0 || (s !== 0 && s !== out[out.length - 1].sign)) out.push({ sign: s, energy: 0 });
    out[out.length - 1].energy += w * w;
  }
  return out;
}

const total = (values: readonly number[]): number => values.reduce((a, x) => a + x, 0);
const totalAbs = (values: readonly number[]): number => values.reduce((a, x) => a + Math.abs(x), 0);
/** Largest value of `values` in the `width` samples from `start`. */
const windowMax = (values: readonly number[], start: number, width = 50): number => Math.max(...values.slice(start, start + width));
const STAIRCASE_STEP = 150;

/** Fig. 4 (layer 1 on the training scenes) as checks. */
export const NATURAL_CLAIMS: readonly ClaimDefinition<NaturalResult>[] = [
  {
    id: 'natural.l3-low-pass',
    figure: 'Fig. 4',
    claim: 'the first filter (L3) is essentially low-pass',
    expectation: 'DC gain Σψ1 ≥ 0.3 Σ|ψ1| and the newest tap the largest',
    evaluate: (r) => {
      const { L3 } = r.filters;
      return {
        measured: `Σψ1 ${fmt(total(L3))} of Σ|ψ1| ${fmt(totalAbs(L3))}; largest tap at lag ${L3.indexOf(Math.max(...L3))}`,
        pass: verdict(L3, () => total(L3) >= 0.3 * totalAbs(L3) && L3.indexOf(Math.max(...L3)) === 0),
      };
    },
  },
  {
    id: 'natural.l1-derivative',
    figure: 'Fig. 4',
    claim: 'the second filter (L1/L2) is a smoothed temporal derivative',
    expectation: 'a + lobe then a − lobe carrying ≥ 80 % of the energy, later lobes smaller, |Σψ2| ≤ 0.1 Σ|ψ2| (no DC gain)',
    evaluate: (r) => {
      const { L1 } = r.filters, parts = lobes(L1), energy = total(parts.map((p) => p.energy));
      const firstTwo = parts.length >= 2 ? (parts[0].energy + parts[1].energy) / energy : NaN;
      return {
        measured: `lobes ${parts.slice(0, 4).map((p) => (p.sign > 0 ? '+' : '−')).join('')}…, first two ${fmt(100 * firstTwo, 0)} % of the energy; |Σψ2| / Σ|ψ2| ${fmt(Math.abs(total(L1)) / totalAbs(L1), 3)}`,
        pass: verdict([firstTwo], () => parts[0].sign === 1 && parts[1].sign === -1 && firstTwo >= 0.8
          && parts.slice(2).every((p) => p.energy < parts[1].energy) && Math.abs(total(L1)) <= 0.1 * totalAbs(L1)),
      };
    },
  },
  {
    id: 'natural.on-off',
    figure: 'Fig. 4',
    claim: 'L1 (ON-rectified) responds to contrast increments, L2 (OFF-rectified) to decrements; L3 follows the level',
    expectation: 'staircase up-step: peak L1 > 1.5 × L2; down-step: L2 > 1.5 × L1 (the derivative\'s negative lobe gives the other unit a rebound of about half); L3 higher on the highest step than the first, negative on the lowest',
    evaluate: (r) => {
      const { L1, L2, L3 } = r.staircase, up = STAIRCASE_STEP, down = 7 * STAIRCASE_STEP;
      const values = [windowMax(L1, up), windowMax(L2, up), windowMax(L2, down), windowMax(L1, down)];
      return {
        measured: `up-step L1 ${fmt(values[0])} vs L2 ${fmt(values[1])}; down-step L2 ${fmt(values[2])} vs L1 ${fmt(values[3])}`,
        pass: verdict(values, () => values[0] > 1.5 * values[1] && values[2] > 1.5 * values[3]
          && L3[3 * STAIRCASE_STEP + 140] > L3[STAIRCASE_STEP + 140] && L3[9 * STAIRCASE_STEP + 140] < 0),
      };
    },
  },
];
