/**
 * resu-grating: the probe. Emits an edge sequence or a grating through the pixel array in the
 * preferred and then the null direction (chunks marked train: false, so learners do not learn from
 * them), collects the T4 responses wired back to it and reports peak responses and the DSI.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { directionSelectivityIndex, probePair, ProbeRun } from '../core';
import { registerStateSource } from './shared/admin';
import { chartMessages } from './shared/chart';
import { parseProbeConfig, ProbeNodeOptions } from './shared/config';
import { isReset, readChunkMessage, writeChunkMessage } from './shared/messages';
import { reportConfigError, setupStatefulNode } from './shared/node';
import { createSourceRunner, readCommand } from './shared/source';

const LABELS = ['preferred', 'null'] as const;
type Label = typeof LABELS[number];

export = function (RED: NodeAPI) {
  function ResuGratingNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: ProbeNodeOptions;
    let runs: ProbeRun[];
    try {
      options = parseProbeConfig(raw);
      runs = createRuns(options);
    } catch (err) { reportConfigError(node, err); return; }
    let runIndex = 0, position = 0, sequence = 0;
    /**
     * Series names are probe/<label>; after a run was cut off mid-series (stop/start or reset), the
     * next runs are probe/<label>/run-<k>: downstream units still hold the cut series open (they
     * would reject its samples again as repeats), and late responses to the cut run are ignored.
     */
    let restarts = 0;
    const seriesOf = (label: Label): string => (restarts === 0 ? `probe/${label}` : `probe/${label}/run-${restarts}`);
    const peaks: Record<Label, number> = { preferred: 0, null: 0 };
    /** Edge probes: peaks during ON-edge segments (the authors' DSI is on ON edges). */
    const onPeaks: Record<Label, number> = { preferred: 0, null: 0 };
    const finished = new Set<Label>();
    const traces: Record<Label, number[]> = { preferred: [], null: [] };
    /** Next sample index per run, for responses without msg.chunk.startSample. */
    const nextSample: Record<Label, number> = { preferred: 0, null: 0 };
    const MAX_TRACE = 100_000; // samples kept per run for the chart (bounded)
    let lastResult: Record<string, unknown> | null = null;

    const runner = createSourceRunner({
      intervalMs: options.intervalMs,
      produce() {
        if (runIndex >= runs.length) return false;
        const run = runs[runIndex];
        const length = run.channels[0].length;
        const n = Math.min(options.chunkLength, length - position);
        const data = run.channels.map((channel) => channel.subarray(position, position + n));
        const end = position + n >= length;
        node.send([writeChunkMessage({}, data, {
          series: seriesOf(run.label), channels: data.map((_, i) => `px${i}`), samplePeriodS: options.dtS,
          startSample: position, sequence: sequence++, endOfSeries: end, signal: 'contrast', train: false,
        }), null]);
        position += n;
        if (end) { runIndex++; position = 0; sequence = 0; }
        return runIndex < runs.length;
      },
      onStop() { status.idle('probe sent; waiting for T4 responses'); },
      onError(err) { node.error(err, { payload: null, error: err.message }); status.failed(err); },
    });

    const { status } = setupStatefulNode(RED, node, {
      onInput(msg, send) {
        const isData = Array.isArray(msg.payload) || ArrayBuffer.isView(msg.payload);
        if (!isData) {
          const command = isReset(msg) ? 'reset' : readCommand(msg) ?? 'start';
          if (command === 'stop') { runner.stop(); return; }
          runner.stop();
          if (position > 0) restarts++; // a series was cut off: fresh names from now on
          runIndex = 0; position = 0; sequence = 0; finished.clear();
          for (const label of LABELS) { peaks[label] = 0; onPeaks[label] = 0; traces[label] = []; nextSample[label] = 0; }
          if (command === 'start') { status.ok('probing…'); runner.start(); } else status.clear();
          return;
        }
        const chunk = readChunkMessage(msg);
        const label = LABELS.find((l) => chunk.meta.series === seriesOf(l));
        if (!label) return; // responses to other stimuli: not ours
        const start = chunk.meta.startSample ?? nextSample[label];
        nextSample[label] = chunk.meta.endOfSeries ? 0 : start + chunk.length;
        for (const channel of chunk.data) {
          for (let i = 0; i < channel.length; i++) {
            peaks[label] = Math.max(peaks[label], channel[i]);
            if (Math.floor((start + i) / options.segmentLength) % 2 === 0) onPeaks[label] = Math.max(onPeaks[label], channel[i]);
          }
        }
        const trace = traces[label];
        for (let i = 0; i < chunk.length && trace.length < MAX_TRACE; i++) trace.push(Math.max(...chunk.data.map((c) => c[i])));
        if (chunk.meta.endOfSeries) finished.add(label);
        if (finished.size === LABELS.length) {
          finished.clear();
          const dsi = directionSelectivityIndex(peaks.preferred, peaks.null);
          const result = lastResult = {
            probe: options.probe, preferredDirection: options.preferredDirection,
            preferredPeak: peaks.preferred, nullPeak: peaks.null, dsi,
            ...(options.probe === 'edge' ? {
              onEdges: { preferredPeak: onPeaks.preferred, nullPeak: onPeaks.null, dsi: directionSelectivityIndex(onPeaks.preferred, onPeaks.null) },
            } : {}),
          };
          send([null, [{ topic: 'DSI', payload: result }, ...chartMessages([
            { topic: 'T4 preferred', ys: traces.preferred }, { topic: 'T4 null', ys: traces.null },
          ])]]);
          status.ok(`DSI ${dsi.toFixed(2)} (pref ${peaks.preferred.toPrecision(3)}, null ${peaks.null.toPrecision(3)})`);
        }
      },
      onClose() { runner.stop(); },
    });
    registerStateSource(RED, node, { state: () => ({ probe: options.probe, preferredDirection: options.preferredDirection, running: runIndex < runs.length && (position > 0 || runIndex > 0), result: lastResult }) });
    status.idle('ready: send "start"');
  }

  function createRuns(options: ProbeNodeOptions): ProbeRun[] {
    const pair = options.probe === 'edge'
      ? probePair({
        probe: 'edge', preferredDirection: options.preferredDirection, pixels: options.pixels,
        samplesPerSpacing: options.samplesPerSpacing, segmentLength: options.segmentLength, riseSamples: options.riseSamples,
        segments: options.segments, noiseSd: options.noiseSd, seed: options.seed,
      })
      : probePair({
        probe: 'grating', preferredDirection: options.preferredDirection, pixels: options.pixels, spacingDeg: options.spacingDeg,
        periodDeg: options.periodDeg, speedDegPerS: options.speedDegPerS, dtS: options.dtS, durationS: options.durationS,
        noiseSd: options.noiseSd, seed: options.seed,
      });
    return [pair.preferred, pair.null];
  }

  RED.nodes.registerType('resu-grating', ResuGratingNode);
};
