/**
 * resu-grating: the probe. Emits an edge sequence or a set of gratings (periods × speeds) through the
 * pixel array, each in the preferred and then the null direction (chunks marked train: false, so
 * learners do not learn from them), scores the T4 responses wired back to it with core's
 * ProbeScorer and reports the DSI for ON, OFF and all stimuli. With a lattice (2-D) it moves the
 * stimuli over the lattice in a list of directions and reports every unit's tuning curve
 * (shared/direction-probe.ts).
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { directionSelectivityIndex, probePair, ProbeRun, ProbeScore, ProbeScorer, scoreDirections } from '../core';
import { registerStateSource } from './shared/admin';
import { chartMessage, decimate } from './shared/chart';
import { parseProbeConfig, PROBE_SCALING_NOISE_SD, ProbeNodeOptions } from './shared/config';
import { isReset, readChunkMessage, writeChunkMessage } from './shared/messages';
import { reportConfigError, setupStatefulNode } from './shared/node';
import { createSourceRunner, readCommand } from './shared/source';
import { DirectionProbe } from './shared/direction-probe';

const LABELS = ['preferred', 'null'] as const;
type Label = typeof LABELS[number];
/** Response samples kept per run of the first stimulus, for the charts and the sidebar (bounded). */
const MAX_TRACE = 100_000;
/** Points of each trace in the sidebar state. */
const SIDEBAR_POINTS = 300;

/** One stimulus: its description and the options of its pair of runs (generated when it is sent). */
interface Stimulus { id: string; waveform: string; periodDeg?: number; speedDegPerS?: number; pair: () => { preferred: ProbeRun; null: ProbeRun } }

export = function (RED: NodeAPI) {
  function ResuGratingNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: ProbeNodeOptions;
    let stimuli: Stimulus[];
    /** The 2-D probe, with a lattice; null for a row of pixels. */
    let planar: DirectionProbe | null = null;
    try {
      options = parseProbeConfig(raw);
      stimuli = createStimuli(options);
      if (options.lattice === 'none') stimuli[0].pair(); // the first stimulus validates the shared settings now, not at the first start
      else planar = new DirectionProbe({ ...options, lattice: { kind: options.lattice, rows: options.rows, columns: options.columns, spacingDeg: options.spacingDeg } });
    } catch (err) { reportConfigError(node, err); return; }
    const runCount = planar ? planar.runCount : 2 * stimuli.length;
    const probeSd = options.normalization === 'probe-sd';
    /** Runs in emission order: stimulus s preferred, s null, s + 1 preferred, … */
    let runIndex = 0, position = 0, sequence = 0;
    let current: { index: number; runs: { preferred: ProbeRun; null: ProbeRun } } | null = null;
    /**
     * Series names are probe/<label> for one stimulus, probe/s<k>/<label> for several; after a run was
     * cut off mid-series (stop/start or reset) the next runs get /run-<r>: downstream units still hold
     * the cut series open (they would reject its samples as repeats), and late responses are ignored.
     */
    let restarts = 0;
    const seriesOf = (stimulus: number, label: Label): string => `probe/${stimuli.length > 1 ? `s${stimulus}/` : ''}${label}${restarts === 0 ? '' : `/run-${restarts}`}`;
    let scorers: (ProbeScorer | null)[] = [];
    const finished = new Set<string>();
    const traces: Record<Label, number[]> = { preferred: [], null: [] };
    /** Next sample index per series, for responses without msg.chunk.startSample. */
    const nextSample = new Map<string, number>();
    let lastResult: Record<string, unknown> | null = null;
    /** The current runs' responses have all been scored (their DSI is on the status). */
    let scored = false;

    const runsOf = (index: number): { preferred: ProbeRun; null: ProbeRun } => {
      if (!current || current.index !== index) current = { index, runs: stimuli[index].pair() };
      return current.runs;
    };
    /** The scorer of a stimulus needs its runs' ON/OFF windows: built from the runs when first used. */
    const scorerOf = (index: number): ProbeScorer => {
      if (!scorers[index]) {
        const runs = runsOf(index);
        scorers[index] = new ProbeScorer({ preferred: runs.preferred.polarityAt, null: runs.null.polarityAt }, { settleSamples: options.settleSamples });
      }
      return scorers[index]!;
    };

    const runner = createSourceRunner({
      intervalMs: options.intervalMs,
      produce() {
        if (runIndex >= runCount) return false;
        const stimulus = Math.floor(runIndex / 2), label = LABELS[runIndex % 2];
        const run = planar ? planar.run(runIndex) : runsOf(stimulus)[label];
        if (!planar) scorerOf(stimulus);
        const length = run.channels[0].length;
        // 'probe-sd': the whole run in one chunk, so T4 scales by the run's sd
        const n = probeSd ? length : Math.min(options.chunkLength, length - position);
        const data = run.channels.map((channel) => channel.subarray(position, position + n));
        const end = position + n >= length;
        const msg = writeChunkMessage({}, data, {
          series: planar ? planar.seriesOf(runIndex, restarts) : seriesOf(stimulus, label), channels: data.map((_, i) => `px${i}`), samplePeriodS: options.dtS,
          startSample: position, sequence: sequence++, endOfSeries: end, endOfRun: false, signal: 'contrast', train: false, ...(planar ? planar.meta : {}),
        });
        if (probeSd) Object.assign(msg, { probeScaling: { mode: 'probe-sd', noiseSd: PROBE_SCALING_NOISE_SD, seed: options.seed + runIndex } });
        node.send([msg, null]);
        position += n;
        if (end) { runIndex++; position = 0; sequence = 0; }
        return runIndex < runCount;
      },
      onStop() { if (!scored) status.idle('probe sent; waiting for T4 responses'); },
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
          runIndex = 0; position = 0; sequence = 0; scorers = []; finished.clear(); nextSample.clear(); scored = false; planar?.reset();
          for (const label of LABELS) traces[label] = [];
          if (command === 'start') { status.ok('probing…'); runner.start(); } else status.clear();
          return;
        }
        const chunk = readChunkMessage(msg);
        if (planar) { scoreTuning(chunk, send); return; }
        const match = findSeries(chunk.meta.series);
        if (!match) return; // responses to other stimuli: not ours
        const { stimulus, label } = match;
        const key = chunk.meta.series;
        const start = chunk.meta.startSample ?? nextSample.get(key) ?? 0;
        nextSample.set(key, chunk.meta.endOfSeries ? 0 : start + chunk.length);
        scorerOf(stimulus).add(label, start, chunk.data);
        if (stimulus === 0) {
          const trace = traces[label];
          for (let i = 0; i < chunk.length && trace.length < MAX_TRACE; i++) trace.push(Math.max(...chunk.data.map((c) => c[i])));
        }
        if (chunk.meta.endOfSeries) finished.add(key);
        if (finished.size === 2 * stimuli.length) {
          finished.clear();
          scored = true;
          // an undefined DSI (no response at all) is NaN in core; the message carries null, as JSON would
          const result = lastResult = JSON.parse(JSON.stringify(resultOf(stimuli.map((_, k) => scorerOf(k).score())))) as Record<string, unknown>;
          send([null, [{ topic: 'DSI', payload: result }, chartMessage('T4 responses', [
            { name: 'T4 preferred', ys: traces.preferred }, { name: 'T4 null', ys: traces.null },
          ])]]);
          const what = options.probe === 'edge' ? 'edges' : 'stimuli';
          const on = result.on as { dsi: number | null }, all = result.all as { dsi: number | null };
          status.ok(`DSI ON ${what} ${dsiText(on.dsi)} · all ${what} ${dsiText(all.dsi)}`);
        }
      },
      onClose() { runner.stop(); current = null; scorers = []; planar?.dispose(); },
    });

    /** 2-D: scores a response chunk; once every unit has answered every run, sends and shows the tuning. */
    function scoreTuning(chunk: ReturnType<typeof readChunkMessage>, send: (msg: unknown) => void): void {
      if (planar!.accept(chunk, restarts) !== 'complete') return;
      scored = true;
      // an undefined DSI or direction (no response at all) is NaN / null in core; the message carries null, as JSON would
      const result = lastResult = JSON.parse(JSON.stringify({ normalization: options.normalization, ...planar!.result() })) as Record<string, unknown>;
      send([null, { topic: 'tuning', payload: result }]);
      const units = result.units as { name: string; vectorDsi: number | null; preferredDirectionDeg: number | null }[];
      const direction = (deg: number | null): string => (deg === null ? 'n/a' : `${Math.round(deg)}°`);
      // up to four units shown whole ("T4a 0.68 @0° · …" is ≈ 63 characters, four named units ≈ 85); names cut at 16
      const label = (name: string): string => (name.length > 16 ? `${name.slice(0, 15)}…` : name);
      status.ok(units.slice(0, 4).map((u) => `${label(u.name)} ${dsiText(u.vectorDsi)} @${direction(u.preferredDirectionDeg)}`).join(' · ') + (units.length > 4 ? ` · +${units.length - 4}` : ''), 120);
    }

    function findSeries(series: string): { stimulus: number; label: Label } | null {
      for (let k = 0; k < stimuli.length; k++) for (const label of LABELS) if (series === seriesOf(k, label)) return { stimulus: k, label };
      return null;
    }

    /** The DSI message: per stimulus, and over all of them (peaks pooled by taking the largest). */
    function resultOf(scores: ProbeScore[]): Record<string, unknown> {
      const pooled = (cls: keyof ProbeScore, which: 'preferredPeak' | 'nullPeak') => Math.max(...scores.map((s) => s[cls][which]));
      const peaks = (which: 'preferredPeak' | 'nullPeak') => ({ on: pooled('on', which), off: pooled('off', which), all: pooled('all', which) });
      const overall = scoreDirections(peaks('preferredPeak'), peaks('nullPeak'));
      return {
        probe: options.probe, preferredDirection: options.preferredDirection, normalization: options.normalization,
        ...overall,
        preferredPeak: overall.all.preferredPeak, nullPeak: overall.all.nullPeak, dsi: directionSelectivityIndex(overall.all.preferredPeak, overall.all.nullPeak),
        stimuli: stimuli.map((s, k) => ({ id: s.id, waveform: s.waveform, ...(s.periodDeg === undefined ? {} : { periodDeg: s.periodDeg, speedDegPerS: s.speedDegPerS }), ...scores[k] })),
      };
    }

    registerStateSource(RED, node, {
      state: () => ({
        probe: options.probe, preferredDirection: options.preferredDirection, normalization: options.normalization, lattice: options.lattice,
        running: runIndex < runCount && (position > 0 || runIndex > 0), result: lastResult,
        traces: { stimulus: stimuli[0].id, preferred: decimate(traces.preferred, undefined, SIDEBAR_POINTS), null: decimate(traces.null, undefined, SIDEBAR_POINTS) },
      }),
    });
    status.idle('ready: send "start"');
  }

  /** "0.71", or "n/a" without any response (the DSI is undefined, not 0). */
  function dsiText(dsi: number | null): string {
    return dsi !== null && Number.isFinite(dsi) ? dsi.toFixed(2) : 'n/a';
  }

  function createStimuli(options: ProbeNodeOptions): Stimulus[] {
    const { preferredDirection, pixels, noiseSd, seed } = options;
    if (options.probe === 'edge') {
      return [{
        id: 'edges', waveform: 'smoothed square',
        pair: () => probePair({ probe: 'edge', preferredDirection, pixels, samplesPerSpacing: options.samplesPerSpacing, segmentLength: options.segmentLength, riseSamples: options.riseSamples, segments: options.segments, noiseSd, seed }),
      }];
    }
    return options.periodsDeg.flatMap((periodDeg, p) => options.speedsDegPerS.map((speedDegPerS, v): Stimulus => ({
      id: `${options.waveform} ${periodDeg}° ${speedDegPerS}°/s`, waveform: options.waveform, periodDeg, speedDegPerS,
      pair: () => probePair({
        probe: 'grating', preferredDirection, pixels, spacingDeg: options.spacingDeg, periodDeg, speedDegPerS, waveform: options.waveform,
        dtS: options.dtS, durationS: options.durationS, noiseSd, seed: seed + p * options.speedsDegPerS.length + v,
      }),
    })));
  }

  RED.nodes.registerType('resu-grating', ResuGratingNode);
};
