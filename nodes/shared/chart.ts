/**
 * Chart-ready messages for FlowFuse Dashboard 2 `ui-chart`. One message per chart: `msg.payload` is
 * an array of `{x, y, series}` points carrying every series of that chart, `msg.action = "replace"`.
 *
 * Why one message per chart: in Dashboard 2 (checked in 1.31.0, nodes/widgets/ui_chart.js and the
 * UIChart component) `action: "replace"` clears the whole chart (its data store and every series),
 * not one series; a message per series therefore left only the last one. A chart whose *Series* is
 * the point key `series` files every point of the one message under its own series, so one replace
 * redraws all of them at once. The chart also needs X = key `x` and Y = key `y`.
 *
 * Long series are decimated (min/max per bucket, so peaks survive); a message holds at most
 * {@link MAX_CHART_POINTS} points, shared among its series.
 */
import type { CcaFit } from '../../core';

/** Points per chart message at most: ui-chart redraws slowly with thousands of points. */
export const MAX_CHART_POINTS = 600;
/** Filters ψ1 … ψk charted after a solve (the paper's L3, L1/L2 and the next one). */
export const CHARTED_FILTERS = 3;

export interface ChartPoint { x: number; y: number }
export interface SeriesPoint extends ChartPoint { series: string }
export interface ChartSeries { name: string; ys: ArrayLike<number>; xs?: ArrayLike<number> }
export interface ChartMessage { topic: string; payload: SeriesPoint[]; action: 'replace' }

/** Decimates y(x) to at most `maxPoints` points (≥ 2), keeping each bucket's minimum and maximum. */
export function decimate(ys: ArrayLike<number>, xs?: ArrayLike<number>, maxPoints = MAX_CHART_POINTS): ChartPoint[] {
  const n = ys.length;
  const x = (i: number): number => (xs ? xs[i] : i);
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => ({ x: x(i), y: ys[i] }));
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out: ChartPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets), end = Math.floor(((b + 1) * n) / buckets);
    let lo = start, hi = start;
    for (let i = start; i < end; i++) {
      if (ys[i] < ys[lo]) lo = i;
      if (ys[i] > ys[hi]) hi = i;
    }
    const [first, second] = lo <= hi ? [lo, hi] : [hi, lo];
    out.push({ x: x(first), y: ys[first] });
    if (second !== first) out.push({ x: x(second), y: ys[second] });
  }
  return out;
}

/** One ui-chart message drawing all `series` of one chart (replacing whatever it showed). */
export function chartMessage(topic: string, series: ChartSeries[], maxPoints = MAX_CHART_POINTS): ChartMessage {
  const perSeries = Math.max(2, Math.floor(maxPoints / Math.max(1, series.length)));
  const payload = series.flatMap(({ name, ys, xs }) => decimate(ys, xs, perSeries).map((p) => ({ ...p, series: name })));
  return { topic, payload, action: 'replace' };
}

/**
 * The chart of the first {@link CHARTED_FILTERS} filters: x = −lag in samples (the newest tap at 0,
 * older taps negative). Jointly pooled filters (C > 1 channels) give one series per channel,
 * `ψ1 ch0`, `ψ1 ch1`, …
 */
export function filterChart(fit: Pick<CcaFit, 'pastFilters' | 'channels' | 'pastLags'>): ChartMessage {
  const lags = Array.from({ length: fit.pastLags }, (_, k) => (k === 0 ? 0 : -k)); // no −0: JSON makes it 0 anyway
  const series = fit.pastFilters.slice(0, CHARTED_FILTERS).flatMap((taps, i) => (fit.channels === 1
    ? [{ name: `ψ${i + 1}`, ys: taps, xs: lags }]
    : Array.from({ length: fit.channels }, (_, c) => ({ name: `ψ${i + 1} ch${c}`, ys: taps.subarray(c * fit.pastLags, (c + 1) * fit.pastLags), xs: lags }))));
  return chartMessage('ψ', series);
}

/** The chart of the canonical correlations: x = k (1 … rank), y = ρk, one series `ρ`. */
export function correlationChart(fit: Pick<CcaFit, 'correlations'>): ChartMessage {
  return chartMessage('ρ', [{ name: 'ρ', ys: fit.correlations, xs: Array.from(fit.correlations, (_, k) => k + 1) }]);
}
