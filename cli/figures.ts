/**
 * Figures of `resu reproduce`: one Vega-Lite specification per experiment, rendered headless to SVG
 * by vega (pure JS, no canvas: text widths are estimated). The renderer is the pair of minified
 * browser builds the package ships for the editor sidebar (resources/vendor/vega.min.js and
 * vega-lite.min.js, UMD bundles copied by scripts/copy-assets.js), evaluated here as CommonJS: so
 * vega and vega-lite are build-time (dev) dependencies only, and a device installs none of their
 * ≈ 80 packages. Loaded the first time a figure is rendered, never by the nodes or other commands.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import type { ReproductionResults } from '../core/experiments';

type Spec = Record<string, unknown>;
type Row = Record<string, number | string>;

interface VegaModules {
  vega: { parse(spec: unknown): unknown; View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void } };
  vegaLite: { compile(spec: unknown): { spec: unknown } };
}

/** Where the build puts the browser builds: <package>/resources/vendor (this file is dist/cli/figures.js). */
export const VENDOR_DIR = path.resolve(__dirname, '..', '..', 'resources', 'vendor');

let modules: VegaModules | null = null;

/** Evaluates a UMD bundle as a CommonJS module; `dependencies` answer its require() calls. */
function loadBundle(file: string, dependencies: Record<string, unknown>): unknown {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`figures need ${path.relative(path.resolve(VENDOR_DIR, '..', '..'), file)}, which the build copies from the vega packages (npm run build)`);
  }
  const module = { exports: {} as Record<string, unknown> };
  const requireDependency = (name: string): unknown => {
    if (name in dependencies) return dependencies[name];
    throw new Error(`${path.basename(file)} requires ${name}`);
  };
  vm.compileFunction(source, ['exports', 'require', 'module'], { filename: file })(module.exports, requireDependency, module);
  return module.exports;
}

function loadVega(): VegaModules {
  if (!modules) {
    const vega = loadBundle(path.join(VENDOR_DIR, 'vega.min.js'), {}) as VegaModules['vega'];
    const vegaLite = loadBundle(path.join(VENDOR_DIR, 'vega-lite.min.js'), { vega }) as VegaModules['vegaLite'];
    modules = { vega, vegaLite };
  }
  return modules;
}

/** Renders a Vega-Lite specification to an SVG document. */
export async function renderSvg(spec: Spec): Promise<string> {
  const { vega, vegaLite } = loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 300, HEIGHT = 200;

/** A number for a title: "n/a" when it could not be computed. */
function fx(x: number | null, digits = 2): string { return x !== null && Number.isFinite(x) ? x.toFixed(digits) : 'n/a'; }

function q(field: string, title: string, extra: Spec = {}): Spec { return { field, type: 'quantitative', title, ...extra }; }
function n(field: string, title: string, extra: Spec = {}): Spec { return { field, type: 'nominal', title, ...extra }; }

function lineChart(values: Row[], title: string, x: Spec, y: Spec, color?: Spec, extra: Spec = {}): Spec {
  return {
    title, width: WIDTH, height: HEIGHT, data: { values },
    mark: { type: 'line', point: values.length <= 60 ? { size: 12 } : false, strokeWidth: 1.5 },
    encoding: { x, y, ...(color ? { color } : {}) }, ...extra,
  };
}

function figure(title: string, subtitle: string | string[], concat: Spec[], direction: 'hconcat' | 'vconcat' = 'hconcat'): Spec {
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

/** Fig. 4, SNR: layer-1 filters learned at increasing input noise, their zero crossings and L1's step response. */
export function snrFigure(r: ReproductionResults): Spec {
  const label = (noise: number) => `noise sd ${noise}`;
  const filters = (key: 'L3' | 'L1'): Row[] => r.snr.levels.flatMap((l) => l.filters[key].map((w, lag) => ({ lag, weight: w, noise: label(l.noise) })));
  const lags: Row[] = r.snr.levels.flatMap((l) => ([
    [l.zeroCrossingLag.L1, 'ψ2 zero crossing (L1/L2)'], [l.zeroCrossingLag.L3, 'ψ1 zero crossing (L3)'], [l.centreOfMassLag.L3, '|ψ1| centre of mass (L3, not judged)'],
  ] as [number | null, string][]).filter(([lag]) => lag !== null && Number.isFinite(lag)).map(([lag, measure]) => ({ noise: l.noise, lag: lag as number, measure })));
  const step: Row[] = r.snr.levels.flatMap((l) => {
    const psi = l.filters.L1;
    // L1's response to a unit increment: max(Σ_{n ≤ k} ψ2_n, 0)
    let sum = 0;
    return psi.map((w, k) => { sum += w; return { t: k, value: Math.max(sum, 0), noise: label(l.noise) }; });
  });
  return figure(`Layer 1 adapts to SNR on the ${sceneLabel(r)} (paper Fig. 4)`,
    `input noise sd ${r.snr.levels.map((l) => l.noise).join(', ')} on z-scored rows (signal sd 1); zero crossing ψ2 ${r.snr.levels.map((l) => fx(l.zeroCrossingLag.L1, 1)).join(' → ')}, ψ1 ${r.snr.levels.map((l) => fx(l.zeroCrossingLag.L3, 1)).join(' → ')} samples`, [
      { hconcat: [
        lineChart(filters('L3'), 'ψ1 (L3)', q('lag', 'lag (samples before now)'), q('weight', 'filter weight (per unit contrast)'), n('noise', 'noise')),
        lineChart(filters('L1'), 'ψ2 (L1/L2)', q('lag', 'lag (samples before now)'), q('weight', 'filter weight (per unit contrast)'), n('noise', 'noise')),
      ], resolve: { scale: { color: 'independent' } } },
      { hconcat: [
        lineChart(lags, 'Filter time scales vs noise', q('noise', 'input noise sd (signal sd 1)', { scale: { type: 'log' } }), q('lag', 'lag (samples)'), n('measure', 'measure')),
        lineChart(step, 'L1 to a unit increment (= L2 to a decrement)', q('t', 'time after the step (samples)'), q('value', 'L1 response (a.u.)'), n('noise', 'noise')),
      ], resolve: { scale: { color: 'independent' } } },
    ], 'vconcat');
}

/** Fig. 5: responses, DSI per stimulus and normalization, threshold sweep, weights and the connectome. */
export function motionFigure(r: ReproductionResults): Spec {
  const mo = r.motion;
  const step = mo.probe.traceStep;
  const traces: Row[] = [];
  const push = (unit: 'T4a' | 'T4b') => (['preferred', 'null'] as const).forEach((dir) => mo.probe[unit][dir].forEach((v, i) => traces.push({ t: i * step, value: v, unit, direction: dir })));
  push('T4a'); push('T4b');
  const stimulus: Row[] = mo.probe.stimulus.map((v, i) => ({ t: i * step, value: v }));
  const weights: Row[] = (['T4a', 'T4b', 'psi1'] as const).flatMap((unit) => mo.weights[unit].map((w, c) => ({ channel: mo.channels[c], weight: w, unit: unit === 'psi1' ? 'ψ1 (T4a data)' : unit })));
  const connectome: Row[] = (['L1', 'L3'] as const).flatMap((path) => (['left', 'centre', 'right'] as const).flatMap((pos, i) => [
    { input: `${path} ${pos}`, weight: mo.connectome.model[path][i], source: 'model T4a' },
    { input: `${path} ${pos}`, weight: mo.connectome.measured[path][i], source: 'connectome T4a' },
  ]));
  const order = ['L1 left', 'L1 centre', 'L1 right', 'L3 left', 'L3 centre', 'L3 right'];
  const normalizationLabel = (n: string) => (n === 'probe-sd' ? "probe sd + noise 0.02 (authors')" : 'training sds (ours)');
  const dsiRows: Row[] = mo.probes.flatMap((p) => (['probe-sd', 'training'] as const).flatMap((norm) => (['on', 'off', 'all'] as const)
    .filter((cls) => Number.isFinite(p.scores[norm].T4a[cls].dsi))
    .map((cls) => ({ stimulus: p.id, dsi: p.scores[norm].T4a[cls].dsi, stimuli: cls === 'all' ? 'all stimuli' : `${cls.toUpperCase()} stimuli`, normalization: normalizationLabel(norm) }))));
  const sweep: Row[] = (['probe-sd', 'training'] as const).flatMap((norm) => (['T4a', 'T4b'] as const).flatMap((unit) => mo.thresholdSweep[norm][unit]
    .filter((p) => Number.isFinite(p.dsi)).map((p) => ({ kept: p.fractionKept, dsi: p.dsi, curve: `${unit}, ${normalizationLabel(norm)}` }))));
  const dataPoints: Row[] = mo.dataThresholds.flatMap((d) => (['probe-sd', 'training'] as const).flatMap((norm) => (['T4a', 'T4b'] as const)
    .filter((unit) => Number.isFinite(d.scores[norm][unit].dsi) && Number.isFinite(d.scores[norm][unit].fractionKept))
    .map((unit) => ({ kept: d.scores[norm][unit].fractionKept, dsi: d.scores[norm][unit].dsi, quantile: `θ = q${d.quantile} of the training drive` }))));
  const stimuli = mo.probes.map((p) => p.id);
  const p = mo.dsi['probe-sd'], t = mo.dsi.training;
  return figure(`Two-layer motion circuit on the ${sceneLabel(r)} (paper Fig. 5)`,
    `authors' edges, T4a/T4b DSI: ON ${fx(p.T4a.on.dsi)}/${fx(p.T4b.on.dsi)}, OFF ${fx(p.T4a.off.dsi)}/${fx(p.T4b.off.dsi)}, all ${fx(p.T4a.all.dsi)}/${fx(p.T4b.all.dsi)} (probe sd + noise 0.02); `
    + `training sds: ON ${fx(t.T4a.on.dsi)}/${fx(t.T4b.on.dsi)}, all ${fx(t.T4a.all.dsi)}/${fx(t.T4b.all.dsi)}; `
    + `cosine to connectome ${fx(mo.connectome.cosineSimilarity)} (L1 ${fx(mo.connectome.pathwayCosine.L1)}, L3 ${fx(mo.connectome.pathwayCosine.L3)}; authors' weights ≈ ${mo.connectome.reference.cosineSimilarity})`, [
      { resolve: { scale: { color: 'independent', strokeDash: 'independent' } }, hconcat: [
        lineChart(stimulus, "Authors' edge probe (centre pixel; ON, OFF, ON, …)", q('t', 'time (samples)'), q('value', 'luminance (a.u., offset 1)')),
        { title: 'T4 responses, preferred vs null (probe sd + noise 0.02)', width: WIDTH, height: HEIGHT, data: { values: traces }, mark: { type: 'line', strokeWidth: 1.2 },
          encoding: { x: q('t', 'time (samples)'), y: q('value', 'rectified T4 response (a.u.)'), color: n('direction', 'direction'), strokeDash: n('unit', 'unit') } },
      ] },
      { resolve: { scale: { color: 'independent', shape: 'independent' } }, hconcat: [
        { title: 'T4a direction selectivity per stimulus', data: { values: dsiRows }, facet: { column: n('normalization', 'probe normalization') },
          spec: { width: 220, height: HEIGHT, mark: { type: 'point', filled: true, size: 40 },
            encoding: { y: n('stimulus', 'probe stimulus', { sort: stimuli }), x: q('dsi', 'DSI (dimensionless)', { scale: { domain: [-1, 1] } }), color: n('stimuli', 'scored on'), shape: n('stimuli', 'scored on') } } },
        { title: 'Threshold sweep, all stimuli (authors\' edges)', width: WIDTH, height: HEIGHT,
          layer: [
            { data: { values: sweep }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: q('kept', 'fraction of the preferred response kept', { scale: { reverse: true } }), y: q('dsi', 'DSI over all stimuli'), color: n('curve', 'unit, normalization') } },
            { data: { values: dataPoints }, mark: { type: 'point', filled: true, size: 50, color: 'black' }, encoding: { x: q('kept', 'fraction of the preferred response kept'), y: q('dsi', 'DSI over all stimuli'), shape: n('quantile', 'θ from data') } },
          ] },
      ] },
      { resolve: { scale: { color: 'independent' } }, hconcat: [
        { title: 'Learned layer-2 weights (sd-normalized inputs)', width: WIDTH, height: HEIGHT, data: { values: weights }, mark: 'bar',
          encoding: { x: n('channel', 'input channel', { sort: mo.channels }), xOffset: n('unit', 'unit'), y: q('weight', 'synaptic weight (per input sd)'), color: n('unit', 'unit') } },
        { title: 'Model vs connectome (each triplet ÷ Σ|w|)', width: WIDTH, height: HEIGHT, data: { values: connectome }, mark: 'bar',
          encoding: { x: n('input', 'input (pathway, pixel)', { sort: order }), xOffset: n('source', 'source'), y: q('weight', 'normalized weight (dimensionless)'), color: n('source', 'source') } },
      ] },
    ], 'vconcat');
}

/** Live SNR adaptation: correlation of ψ2 with the steady states, the fitted approaches, the adaptation times. */
export function adaptationFigure(r: ReproductionResults): Spec {
  const a = r.adaptation;
  const rows: Row[] = [];
  a.trace.sample.forEach((s, i) => {
    const t = s / a.lagVectorLength;
    rows.push({ t, value: a.trace.correlationLow[i], reference: `ψ2* at noise sd ${a.phases[0]}` });
    rows.push({ t, value: a.trace.correlationHigh[i], reference: `ψ2* at noise sd ${a.phases[1]}` });
  });
  const fits: Row[] = a.switches.filter((s) => s.repeat === 0 && Number.isFinite(s.timeConstant)).flatMap((s, k) => {
    const start = s.sample / a.lagVectorLength, end = k + 1 < a.switchSamples.length ? a.switchSamples[k + 1] / a.lagVectorLength : a.trace.sample[a.trace.sample.length - 1] / a.lagVectorLength;
    return Array.from({ length: 60 }, (_, i) => {
      const dt = ((end - start) * i) / 59;
      return { t: start + dt, value: s.asymptote - (s.asymptote - s.initial) * Math.exp(-dt / s.timeConstant), fit: `fit ${s.direction} #${k + 1}` };
    });
  });
  const switches: Row[] = a.switchSamples.map((s) => ({ t: s / a.lagVectorLength }));
  // a switch that did not complete 90 % of its approach within its phase shows its phase length as a lower bound
  const times: Row[] = a.switches.filter((s) => s.phaseLength > 0).map((s) => ({
    direction: s.direction, time: Number.isFinite(s.adaptationTime) ? s.adaptationTime : s.phaseLength,
    status: Number.isFinite(s.adaptationTime) ? 'fitted T·ln 10' : 'not completed: ≥ phase length', repeat: `repeat ${s.repeat + 1}`,
  }));
  const summary = (['low→high', 'high→low'] as const).map((d) => `${d} ${fx(a.summary[d].median, 1)} (${a.summary[d].completed} of ${a.summary[d].switches} completed)`).join(', ');
  return figure('Live SNR adaptation with a forgetting learner (GP stream)',
    `τ = ${a.timeConstantSamples} samples, m + h = ${a.lagVectorLength}; ${a.repeats} repeats; median fitted 90 % adaptation time (lag-vector lengths): ${summary}`, [{
      width: 2 * WIDTH, height: HEIGHT,
      layer: [
        { data: { values: rows }, mark: { type: 'line', strokeWidth: 1.2 },
          encoding: { x: q('t', 'time (lag-vector lengths m + h)'), y: q('value', '|corr(ψ2(t), steady-state ψ2)|', { scale: { domain: [0, 1] } }), color: n('reference', 'compared with') } },
        { data: { values: fits }, mark: { type: 'line', strokeWidth: 1, strokeDash: [3, 2], color: 'black' }, encoding: { x: q('t', 'time (lag-vector lengths m + h)'), y: q('value', '|corr(ψ2(t), steady-state ψ2)|'), detail: n('fit', 'fit') } },
        { data: { values: switches }, mark: { type: 'rule', strokeDash: [4, 3], color: 'grey' }, encoding: { x: q('t', 'time (lag-vector lengths m + h)') } },
      ],
    }, {
      title: 'Adaptation time per switch', width: 160, height: HEIGHT, data: { values: times }, mark: { type: 'point', filled: true, size: 50 },
      encoding: { x: n('direction', 'switch'), y: q('time', 'lag-vector lengths', { scale: { type: 'log' } }), color: n('repeat', 'repeat'), shape: n('status', 'measure') },
    }]);
}

const SUBTYPES = ['T4a', 'T4b', 'T4c', 'T4d'] as const;
const POLAR_SIZE = 220;

/**
 * One polar tuning plot drawn in Cartesian coordinates (Vega-Lite has no polar line): each curve
 * r(θ), divided by its largest value, becomes the closed polygon (r cos θ, r sin θ), with θ
 * counter-clockwise from +x (0° front-to-back, 90° up), over circles at 0.5 and 1 and spokes every 45°.
 */
function polarPanel(title: string, directionsDeg: readonly number[], curves: { name: string; responses: readonly number[] }[]): Spec {
  const rows: Row[] = [];
  curves.forEach(({ name, responses }) => {
    const peak = Math.max(...responses.map(Math.abs)) || 1;
    [...directionsDeg, directionsDeg[0]].forEach((deg, i) => {
      const r = responses[i % directionsDeg.length] / peak, a = (deg * Math.PI) / 180;
      rows.push({ x: r * Math.cos(a), y: r * Math.sin(a), order: i, curve: name });
    });
  });
  const grid: Row[] = [0.5, 1].flatMap((radius) => Array.from({ length: 73 }, (_, i) => ({ x: radius * Math.cos((i * Math.PI) / 36), y: radius * Math.sin((i * Math.PI) / 36), order: i, ring: `r${radius}` })));
  const spokes: Row[] = Array.from({ length: 8 }, (_, i) => ({ x: 0, y: 0, x2: 1.1 * Math.cos((i * Math.PI) / 4), y2: 1.1 * Math.sin((i * Math.PI) / 4) }));
  const labels: Row[] = [0, 90, 180, 270].map((deg) => ({ x: 1.25 * Math.cos((deg * Math.PI) / 180), y: 1.25 * Math.sin((deg * Math.PI) / 180), text: `${deg}°` }));
  const axis = (field: string, title: string) => q(field, title, { scale: { domain: [-1.35, 1.35] }, axis: null });
  return {
    title, width: POLAR_SIZE, height: POLAR_SIZE,
    layer: [
      { data: { values: grid }, mark: { type: 'line', color: '#ddd', strokeWidth: 1 }, encoding: { x: axis('x', ''), y: axis('y', ''), order: q('order', ''), detail: n('ring', '') } },
      { data: { values: spokes }, mark: { type: 'rule', color: '#ddd' }, encoding: { x: axis('x', ''), y: axis('y', ''), x2: { field: 'x2' }, y2: { field: 'y2' } } },
      { data: { values: labels }, mark: { type: 'text', fontSize: 10, color: '#666' }, encoding: { x: axis('x', ''), y: axis('y', ''), text: { field: 'text' } } },
      { data: { values: rows }, mark: { type: 'line', point: { size: 14 }, strokeWidth: 1.6 },
        encoding: { x: axis('x', ''), y: axis('y', ''), order: q('order', ''), color: n('curve', 'stimulus', { sort: curves.map((c) => c.name) }) } },
    ],
  };
}

/** Beyond the paper: T4a–d tuning curves on the 2-D lattice as polar plots. */
export function motion2dFigure(r: ReproductionResults): Spec {
  const m = r.motion2d;
  const summary = SUBTYPES.map((u) => `${u} ${m[u].vectorDsi.toFixed(2)} @ ${(m[u].preferredDirectionDeg ?? 0).toFixed(0)}°`).join(', ');
  const spec = figure('T4a–d on a 2-D lattice: direction tuning (beyond the paper)',
    `${m.scene}; ${m.lattice.rows}×${m.lattice.columns} ${m.lattice.kind} lattice, ${m.lattice.spacingDeg}° spacing; each curve ÷ its maximum; vector DSI (ON edges) ${summary}; `
    + `Maisak et al. 2013: ${SUBTYPES.map((u) => m.reference.vectorDsi[u].toFixed(2)).join(', ')}`,
    SUBTYPES.map((u) => polarPanel(`${u} (trained ${m[u].motion}, ${m[u].trainingDirectionDeg}°)`, m[u].directionsDeg, [
      { name: 'ON edges (peak)', responses: m[u].responses },
      { name: 'OFF edges (peak)', responses: m[u].offEdgeResponses },
      { name: `gratings ${m.probe.gratingPeriodDeg}° (mean)`, responses: m[u].grating.responses },
    ])));
  // a 2 × 2 grid with one legend: the same three stimuli in every panel
  const { hconcat, ...rest } = spec;
  return { ...rest, concat: hconcat, columns: 2, resolve: { scale: { color: 'shared' } } };
}

/** ±x with two decimals, '0.00' for |x| < 0.005 (no '-0.00'), 'n/a' when undefined. */
export function signed(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return Math.abs(x) < 0.005 ? '0.00' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`;
}

/** Beyond the paper: both units' weights under each scheme of learning from both directions. */
export function bidirectionalFigure(r: ReproductionResults): Spec {
  const b = r.bidirectional;
  const schemes = [['mirrored', 'mirrored moments (authors)'], ['gated', 'gated per pair'], ['gatedEpisode', 'gated per episode']] as const;
  const rows: Row[] = schemes.flatMap(([key, label]) => b[key].units.flatMap((u, i) => u.weights.map((w, c) => ({ channel: b.channels[c], weight: w, unit: `unit ${i + 1} (DSI ${signed(u.dsi)})`, scheme: label }))));
  return figure('Two T4 units learning from motion in both directions (beyond the paper)',
    `${b.scene}, ${b.rows} rows swept both ways, ${b.pairs} pairs; DSI = (R_right − R_left)/(R_right + R_left) on ON edges; `
    + schemes.map(([key, label]) => `${label}: ${b[key].oppositeSelective ? 'opposite' : 'not opposite'}`).join(', '),
    schemes.map(([, label]) => ({
      title: label, width: WIDTH, height: HEIGHT, data: { values: rows.filter((row) => row.scheme === label) }, mark: 'bar',
      encoding: { x: n('channel', 'input channel', { sort: b.channels }), xOffset: n('unit', 'unit'), y: q('weight', 'synaptic weight (per input sd)'), color: n('unit', 'unit') },
    })));
}

/** Learned memory (issue 18, beyond the paper): how much of I(P) a past of m samples keeps, and the BIC order curve. */
export function memoryFigure(r: ReproductionResults): Spec {
  const { ou, natural } = r.memory;
  // no curve when Ĩ(P) ≤ 0 (no information beyond chance) and no points for orders the recursion
  // did not reach (+∞): the figure leaves them out rather than drawing zeros
  const fraction = (curve: readonly number[], source: string): Row[] => {
    const total = curve[curve.length - 1];
    return total > 0 ? curve.map((value, i) => ({ m: i + 1, fraction: value / total, source })) : [];
  };
  const criterion = (values: readonly number[], order: number, source: string): Row[] =>
    values.slice(0, 61).flatMap((value, p) => (Number.isFinite(value) ? [{ p, excess: value - values[order], source }] : []));
  const ouLabel = `OU (h = ${ou.futureLags}), sample`, natLabel = `natural scenes (h = ${natural.futureLags})`;
  const check = r.claims.find((c) => c.id === 'memory.ou-saturation');
  const verdictText = check === undefined || check.pass === null ? 'not evaluated' : check.pass ? 'PASS' : 'FAIL';
  return figure(`Learned memory on the OU process and the ${sceneLabel(r)} (beyond the paper)`, [
    `OU, ${ou.samples} samples: BIC order ${ou.order}, 95/99 % of Ĩ(P) at m = ${ou.saturation95}/${ou.saturation99} (population ${ou.populationSaturation95}/${ou.populationSaturation99}: ${verdictText}); seed ${r.seed}`,
    `natural scenes, ${natural.samples} samples: BIC order ${natural.order}, 95/99 % at m = ${natural.saturation95}/${natural.saturation99} (reported; the paper used m = ${natural.paperPastLags})`], [
      lineChart([
        ...fraction(ou.correctedInformationNats, ouLabel),
        ...fraction(ou.populationInformationNats, `OU (h = ${ou.futureLags}), population`),
        ...fraction(natural.correctedInformationNats, natLabel),
      ], 'Information kept by a past of m samples, Ĩ(m)/Ĩ(P)', q('m', 'past length m (samples)', { scale: { type: 'log', domain: [1, 200], nice: false } }), q('fraction', 'fraction of I(P) (dimensionless)'), n('source', 'input')),
      lineChart([...criterion(ou.criterionValues, ou.order, 'OU'), ...criterion(natural.criterionValues, natural.order, 'natural scenes')],
        'BIC(p) − BIC(chosen order)', q('p', 'AR order p (samples)'), q('excess', 'criterion above its minimum (nats per sample)', { scale: { type: 'symlog', constant: 1e-4 }, axis: { values: [0, 0.001, 0.01, 0.1, 1, 10], format: '~g' } }), n('source', 'input')),
    ]);
}

/** Issue 19: the online rule's held-out ρ (÷ batch) and filter cosine against samples, per stream. */
export function onlineFigure(r: ReproductionResults): Spec {
  const o = r.online;
  const rows = (key: 'rhoRatio' | 'cosine'): Row[] => [o.ou, o.natural].flatMap((s) => s.curves.flatMap((curve) => curve.samples.flatMap((samples, c) => [0, 1].map((i) => ({
    samples, value: curve[key][i][c], filter: `ψ${i + 1}`, run: `${s.stream} ${curve.seed} ψ${i + 1}`, stream: s.stream === 'ou' ? `OU (m = h = ${s.pastLags})` : `scanner (m = h = ${s.pastLags})`,
  })))));
  const panel = (key: 'rhoRatio' | 'cosine', title: string, axis: string, criterion: number): Spec => ({
    title, width: WIDTH, height: HEIGHT,
    layer: [
      { data: { values: rows(key) }, mark: { type: 'line', strokeWidth: 1, point: { size: 10 } },
        encoding: {
          x: q('samples', 'samples of the stream', { scale: { type: 'log' } }),
          y: q('value', axis, { scale: { domain: [0.8, 1.005], clamp: true } }),
          color: n('stream', 'stream', { legend: { symbolType: 'stroke' } }), strokeDash: n('filter', 'filter', { legend: null, scale: { domain: ['ψ1', 'ψ2'], range: [[1, 0], [4, 3]] } }), detail: n('run', 'run'),
        } },
      { data: { values: [{ y: criterion }] }, mark: { type: 'rule', color: 'grey', strokeDash: [4, 3] }, encoding: { y: q('y', axis) } },
    ],
  });
  const worst = (s: typeof o.ou) => `ρ ratio ${s.worst.rhoRatio.map((x) => x.toFixed(3)).join(', ')}, cosine ${s.worst.cosine.map((x) => x.toFixed(3)).join(', ')}`;
  const spec = figure('Online learning rule vs the exact batch CCA (issue 19)',
    `${o.seeds} run(s) per stream; worst at ${o.criteria.samples} samples (ψ1, ψ2): OU ${worst(o.ou)}; scanner ${worst(o.natural)}; grey: criteria ${o.criteria.rhoRatio} and ${o.criteria.cosine}`, [
      panel('rhoRatio', 'Held-out ρ, online pair ÷ batch pair (solid ψ1, dashed ψ2)', 'held-out ρ ratio (online / batch)', o.criteria.rhoRatio),
      panel('cosine', 'Filter cosine, online vs batch (solid ψ1, dashed ψ2)', 'cos(ψ_i online, ψ_i batch)', o.criteria.cosine),
    ]);
  // both panels encode the same streams and filters: one legend
  return { ...spec, resolve: { scale: { color: 'shared', strokeDash: 'shared' } } };
}

/** File name → figure builder, in experiment order. */
export const FIGURES: readonly { readonly file: string; readonly build: (r: ReproductionResults) => Spec }[] = [
  { file: 'ou.svg', build: ouFigure },
  { file: 'gp.svg', build: gpFigure },
  { file: 'natural.svg', build: naturalFigure },
  { file: 'snr.svg', build: snrFigure },
  { file: 'motion.svg', build: motionFigure },
  { file: 'adaptation.svg', build: adaptationFigure },
  { file: 'motion2d.svg', build: motion2dFigure },
  { file: 'bidirectional.svg', build: bidirectionalFigure },
  { file: 'memory.svg', build: memoryFigure },
  { file: 'online.svg', build: onlineFigure },
];
