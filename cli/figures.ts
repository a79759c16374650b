/**
 * Figures of `resu reproduce`: one Vega-Lite specification per experiment, rendered headless to SVG
 * by vega (pure JS, no canvas: text widths are estimated). vega and vega-lite are ES modules with
 * top-level await, so they cannot be `require`d from this CommonJS build; they are loaded with a
 * real dynamic `import()` the first time a figure is rendered, which keeps them out of the nodes'
 * (and every other command's) runtime path.
 */
import { pathToFileURL } from 'url';
import type { ReproductionResults } from '../core/experiments';

type Spec = Record<string, unknown>;
type Row = Record<string, number | string>;

interface VegaModules {
  vega: { parse(spec: unknown): unknown; View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void } };
  vegaLite: { compile(spec: unknown): { spec: unknown } };
}

let modules: Promise<VegaModules> | null = null;

/** import() that TypeScript's CommonJS output leaves alone (it would turn a literal import() into require()). */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

function loadVega(): Promise<VegaModules> {
  if (!modules) {
    const load = async (name: string) => importModule(pathToFileURL(require.resolve(name)).href);
    modules = Promise.all([load('vega'), load('vega-lite')]).then(([vega, vegaLite]) => ({
      vega: vega as unknown as VegaModules['vega'],
      vegaLite: vegaLite as unknown as VegaModules['vegaLite'],
    }));
  }
  return modules;
}

/** Renders a Vega-Lite specification to an SVG document. */
export async function renderSvg(spec: Spec): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 300, HEIGHT = 200;

function q(field: string, title: string, extra: Spec = {}): Spec { return { field, type: 'quantitative', title, ...extra }; }
function n(field: string, title: string, extra: Spec = {}): Spec { return { field, type: 'nominal', title, ...extra }; }

function lineChart(values: Row[], title: string, x: Spec, y: Spec, color?: Spec, extra: Spec = {}): Spec {
  return {
    title, width: WIDTH, height: HEIGHT, data: { values },
    mark: { type: 'line', point: values.length <= 60 ? { size: 12 } : false, strokeWidth: 1.5 },
    encoding: { x, y, ...(color ? { color } : {}) }, ...extra,
  };
}

function figure(title: string, subtitle: string, concat: Spec[], direction: 'hconcat' | 'vconcat' = 'hconcat'): Spec {
  return { $schema: SCHEMA, title: { text: title, subtitle, anchor: 'start', fontSize: 15 }, [direction]: concat, resolve: { scale: { color: 'independent' } }, config: { view: { stroke: '#ccc' }, font: 'sans-serif', legend: { labelLimit: 320 } } };
}

function filterRows(filters: readonly (readonly number[])[], names: readonly string[]): Row[] {
  return filters.flatMap((taps, f) => taps.map((w, lag) => ({ lag, weight: w, filter: names[f] })));
}

/** Fig. 2B: canonical correlations (sample vs population) and the filters of the OU process. */
export function ouFigure(r: ReproductionResults): Spec {
  const spectrum: Row[] = [
    ...r.ou.rho.slice(0, 10).map((rho, i) => ({ component: i + 1, rho, source: 'sample' })),
    ...r.ou.populationRho.slice(0, 10).map((rho, i) => ({ component: i + 1, rho, source: 'population (Lyapunov)' })),
  ];
  return figure('Ornstein–Uhlenbeck process (paper Fig. 2B)', `3-state OU, m = h = ${r.ou.pastLags}, ${r.ou.samples} samples, seed ${r.seed}`, [
    lineChart(spectrum, 'Canonical correlations', q('component', 'component index i'), q('rho', 'canonical correlation ρ_i (dimensionless)'), n('source', 'estimate')),
    lineChart([
      ...filterRows(r.ou.filters, ['ψ1', 'ψ2', 'ψ3']).map((row) => ({ ...row, estimate: 'sample' })),
      ...filterRows(r.ou.populationFilters, ['ψ1', 'ψ2', 'ψ3']).map((row) => ({ ...row, estimate: 'population' })),
    ], 'Past filters (solid: sample, dashed: population)', q('lag', 'lag (samples before now)'), q('weight', 'filter weight (per unit input)'), n('filter', 'filter'),
    { encoding: { x: q('lag', 'lag (samples before now)'), y: q('weight', 'filter weight (per unit input)'), color: n('filter', 'filter'), strokeDash: n('estimate', 'estimate', { scale: { domain: ['sample', 'population'], range: [[1, 0], [4, 3]] } }), detail: n('estimate', 'estimate') } }),
  ]);
}

/** Fig. 3: ψ1 and ψ2 of the GP at three noise levels, and the canonical spectra. */
export function gpFigure(r: ReproductionResults): Spec {
  const label = (noise: number) => `noise sd ${noise}`;
  const psi = (k: number): Row[] => r.gp.flatMap((g) => g.filters[k].map((w, lag) => ({ lag, weight: w, noise: label(g.noise) })));
  const spectra: Row[] = r.gp.flatMap((g) => g.rho.map((rho, i) => ({ component: i + 1, rho, noise: label(g.noise) })));
  const s = r.gpSettings;
  return figure('Gaussian process: filters vs observation noise (paper Fig. 3)',
    `rational-quadratic kernel α = ℓ = 1, ${s.draws} draws × ${s.points} points, m = ${s.pastLags}, h = ${s.futureLags}, gap ${s.gap}; `
    + `sign changes of ψ2 (first 60 taps): ${r.gp.map((g) => `${g.signChanges} at sd ${g.noise}`).join(', ')}`, [
      lineChart(psi(0), 'ψ1 (low-pass)', q('lag', 'lag (samples before now)'), q('weight', 'filter weight (per unit input)'), n('noise', 'noise')),
      lineChart(psi(1), 'ψ2 (many lobes at low noise → broad derivative)', q('lag', 'lag (samples before now)'), q('weight', 'filter weight (per unit input)'), n('noise', 'noise')),
      lineChart(spectra, 'Canonical correlations', q('component', 'component index i'), q('rho', 'canonical correlation ρ_i (dimensionless)'), n('noise', 'noise')),
    ]);
}

function sceneLabel(r: ReproductionResults): string {
  if (r.natural.builtIn) return r.natural.source.length > 1 ? `built-in dead-leaves scenes (${r.natural.source.length} panoramas)` : 'built-in dead-leaves scene';
  return r.natural.source.join(', ');
}

/** Fig. 4: layer-1 filters and the L1/L2/L3 responses to a contrast staircase. */
export function naturalFigure(r: ReproductionResults): Spec {
  const nat = r.natural;
  const filters = filterRows([nat.filters.L3, nat.filters.L1], ['L3 = ψ1', 'L1/L2 = ψ2']);
  const step = 3;
  const series: Row[] = [];
  (['stimulus', 'L3', 'L1', 'L2'] as const).forEach((name) => {
    const values = name === 'stimulus' ? nat.staircase.stimulus : nat.staircase[name];
    for (let t = 0; t < values.length; t += step) series.push({ t, value: values[t], signal: name === 'stimulus' ? 'stimulus (contrast, row sd units)' : name });
  });
  return figure(`Layer 1 on the ${sceneLabel(r)} (paper Fig. 4)`,
    `${nat.rows} rows, ${nat.samples} samples at ${nat.speedDegPerStep.toFixed(3)}°/step, m = h = ${nat.pastLags}; ρ1 = ${nat.rho[0].toFixed(3)}, ρ2 = ${nat.rho[1].toFixed(3)}`, [
      lineChart(filters, 'Temporal filters (newest tap first)', q('lag', 'lag (samples before now)'), q('weight', 'filter weight (per unit contrast)'), n('filter', 'filter')),
      {
        title: 'Responses to a contrast staircase', data: { values: series },
        facet: { row: { field: 'signal', type: 'nominal', title: null, sort: ['stimulus (contrast, row sd units)', 'L3', 'L1', 'L2'] } },
        spec: { width: WIDTH, height: 60, mark: { type: 'line', strokeWidth: 1.2 }, encoding: { x: q('t', 'time (samples)'), y: q('value', 'response (a.u.)') } },
        resolve: { scale: { y: 'independent' } },
      },
    ]);
}

/** Fig. 5: T4 responses in preferred and null directions, weights, and the connectome comparison. */
export function motionFigure(r: ReproductionResults): Spec {
  const mo = r.motion;
  const step = mo.probe.traceStep;
  const traces: Row[] = [];
  const push = (unit: 'T4a' | 'T4b') => (['preferred', 'null'] as const).forEach((dir) => mo.probe[unit][dir].forEach((v, i) => traces.push({ t: i * step, value: v, unit, direction: dir })));
  push('T4a'); push('T4b');
  const stimulus: Row[] = mo.probe.stimulus.map((v, i) => ({ t: i * step, value: v }));
  const weights: Row[] = (['T4a', 'T4b'] as const).flatMap((unit) => mo.weights[unit].map((w, c) => ({ channel: mo.channels[c], weight: w, unit })));
  const connectome: Row[] = (['L1', 'L3'] as const).flatMap((path) => (['left', 'centre', 'right'] as const).flatMap((pos, i) => [
    { input: `${path} ${pos}`, weight: mo.connectome.model[path][i], source: 'model T4a' },
    { input: `${path} ${pos}`, weight: mo.connectome.measured[path][i], source: 'connectome T4a' },
  ]));
  const order = ['L1 left', 'L1 centre', 'L1 right', 'L3 left', 'L3 centre', 'L3 right'];
  return figure(`Two-layer motion circuit on the ${sceneLabel(r)} (paper Fig. 5)`,
    `DSI (ON edges) T4a ${mo.dsi.T4a.toFixed(2)}, T4b ${mo.dsi.T4b.toFixed(2)}; ON+OFF peaks ${mo.dsiAllEdges.T4a.toFixed(2)}, ${mo.dsiAllEdges.T4b.toFixed(2)}; `
    + `delay ${mo.delay}, training ${mo.trainingSamplesPerSpacing} and probe ${mo.probe.samplesPerSpacing} samples per pixel spacing; cosine to connectome ${mo.connectome.cosineSimilarity.toFixed(2)}`, [
      { resolve: { scale: { color: 'independent', strokeDash: 'independent' } }, hconcat: [
        lineChart(stimulus, 'Edge probe (centre pixel; ON, OFF, ON, …)', q('t', 'time (samples)'), q('value', 'luminance (a.u., offset 1)')),
        { title: 'T4 responses, preferred vs null direction', width: WIDTH, height: HEIGHT, data: { values: traces }, mark: { type: 'line', strokeWidth: 1.2 },
          encoding: { x: q('t', 'time (samples)'), y: q('value', 'rectified T4 response (a.u.)'), color: n('direction', 'direction'), strokeDash: n('unit', 'unit') } },
      ] },
      { resolve: { scale: { color: 'independent' } }, hconcat: [
        { title: 'Learned T4 weights (sd-normalized inputs)', width: WIDTH, height: HEIGHT, data: { values: weights }, mark: 'bar',
          encoding: { x: n('channel', 'input channel', { sort: mo.channels }), xOffset: n('unit', 'unit'), y: q('weight', 'synaptic weight (per input sd)'), color: n('unit', 'unit') } },
        { title: 'Model vs connectome (each triplet ÷ Σ|w|)', width: WIDTH, height: HEIGHT, data: { values: connectome }, mark: 'bar',
          encoding: { x: n('input', 'input (pathway, pixel)', { sort: order }), xOffset: n('source', 'source'), y: q('weight', 'normalized weight (dimensionless)'), color: n('source', 'source') } },
      ] },
    ], 'vconcat');
}

/** Live SNR adaptation: correlation of ψ2 with the low- and high-noise steady states over time. */
export function adaptationFigure(r: ReproductionResults): Spec {
  const a = r.adaptation;
  const rows: Row[] = [];
  a.trace.sample.forEach((s, i) => {
    const t = s / a.lagVectorLength;
    rows.push({ t, value: a.trace.correlationLow[i], reference: `ψ2* at noise sd ${a.phases[0]}` });
    rows.push({ t, value: a.trace.correlationHigh[i], reference: `ψ2* at noise sd ${a.phases[1]}` });
  });
  const switches: Row[] = a.switchSamples.map((s, i) => ({ t: s / a.lagVectorLength, label: `noise sd ${a.phases[i]} → ${a.phases[i + 1]}` }));
  const times = a.lagVectorLengths.map((x, i) => `${x === null ? 'not reached' : x} (sd ${a.phases[i]} → ${a.phases[i + 1]})`).join(', ');
  return figure('Live SNR adaptation with a forgetting learner (GP stream)',
    `τ = ${a.timeConstantSamples} samples, m + h = ${a.lagVectorLength}; lag-vector lengths to |corr| ≥ 0.9 with the new steady state ψ2*: ${times}`, [{
      width: 2 * WIDTH, height: HEIGHT,
      layer: [
        { data: { values: rows }, mark: { type: 'line', strokeWidth: 1.2 },
          encoding: { x: q('t', 'time (lag-vector lengths m + h)'), y: q('value', '|corr(ψ2(t), steady-state ψ2)|', { scale: { domain: [0, 1] } }), color: n('reference', 'compared with') } },
        { data: { values: switches }, mark: { type: 'rule', strokeDash: [4, 3], color: 'black' }, encoding: { x: q('t', 'time (lag-vector lengths m + h)') } },
        { data: { values: [{ y: 0.9 }] }, mark: { type: 'rule', color: 'grey' }, encoding: { y: q('y', '|corr(ψ2(t), steady-state ψ2)|') } },
      ],
    }]);
}

/** File name → figure builder, in experiment order. */
export const FIGURES: readonly { readonly file: string; readonly build: (r: ReproductionResults) => Spec }[] = [
  { file: 'ou.svg', build: ouFigure },
  { file: 'gp.svg', build: gpFigure },
  { file: 'natural.svg', build: naturalFigure },
  { file: 'motion.svg', build: motionFigure },
  { file: 'adaptation.svg', build: adaptationFigure },
];
