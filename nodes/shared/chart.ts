/**
 * Chart-ready messages for FlowFuse Dashboard 2 `ui-chart`: msg.topic = series name,
 * msg.payload = array of {x, y} points, msg.action = "replace". Long series are decimated
 * (min/max per bucket, so peaks survive) to a bounded number of points.
 */
export const DEFAULT_CHART_POINTS = 200;

export interface ChartPoint { x: number; y: number }

/** Decimates y(x) to at most `maxPoints` points, keeping each bucket's minimum and maximum. */
export function decimate(ys: ArrayLike<number>, xs?: ArrayLike<number>, maxPoints = DEFAULT_CHART_POINTS): ChartPoint[] {
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

/** One ui-chart message per named series. */
export function chartMessages(series: { topic: string; ys: ArrayLike<number>; xs?: ArrayLike<number> }[], maxPoints = DEFAULT_CHART_POINTS): Record<string, unknown>[] {
  return series.map(({ topic, ys, xs }) => ({ topic, payload: decimate(ys, xs, maxPoints), action: 'replace' }));
}
