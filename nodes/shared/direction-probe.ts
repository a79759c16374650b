/**
 * The probe node's 2-D mode (docs/motion-2d.md): stimuli moving over a pixel lattice in a list of
 * directions, and the tuning curve of every unit whose responses come back. Stimuli and windows are
 * core's (directionRun2d, edgePolarity2d, gratingPolarity2d); scoring is core's one ON/OFF rule
 * (DirectionTuningScorer) and summary (summarizeDirectionTuning).
 *
 * Units are told apart by their channel names, "<unit>/px<centre>" (a T4 node names its channels
 * so: its name, or "T4", and the lattice pixel at the centre of each triplet): the channels of one
 * unit pool (largest peak), each scored in the windows of its own centre pixel.
 */
import {
  createLattice, DirectionRun, directionRun2d, DirectionRunOptions, DirectionTuningScorer, edgePolarity2d, gratingPolarity2d, Lattice, PolarityAt,
  summarizeDirectionTuning,
} from '../../core';
import type { ProbeNodeOptions } from './config';
import { InputError } from './errors';
import { LatticeMeta } from './lattice-meta';
import { Chunk } from './messages';

/** Most units (T4 nodes' units) one probe scores. */
export const MAX_PROBE_UNITS = 64;

/** What the 2-D probe needs from the node's settings: the probe's, with the lattice resolved. */
export type DirectionProbeOptions = Pick<ProbeNodeOptions,
  'probe' | 'directionsDeg' | 'samplesPerSpacing' | 'segmentLength' | 'riseSamples' | 'segments' | 'noiseSd' | 'waveform' | 'periodsDeg' | 'speedsDegPerS'
  | 'dtS' | 'durationS' | 'settleSamples' | 'seed'> & { lattice: LatticeMeta };

/** One stimulus (an edge sequence, or one grating period × speed) without its direction. */
interface Stimulus { id: string; options: DirectionRunOptions; windows: (directionDeg: number) => PolarityAt }

export class DirectionProbe {
  readonly lattice: Lattice;
  /** msg.chunk.lattice of the probe's chunks (positions are added when they are sent). */
  readonly meta: { lattice: LatticeMeta };
  private readonly stimuli: Stimulus[];
  private scorers: DirectionTuningScorer[] = [];
  private readonly units = new Map<string, number>();
  /** Runs whose responses ended, per unit. */
  private ended: Set<number>[] = [];
  /** Next sample per series and channel name: a second sender of the same names repeats samples. */
  private readonly nextSample = new Map<string, number>();
  private current: { index: number; run: DirectionRun } | null = null;

  /** @throws ConfigError (from core) for settings the stimuli refuse. */
  constructor(private readonly options: DirectionProbeOptions) {
    this.lattice = createLattice(options.lattice);
    const { kind, rows, columns, spacingDeg } = this.lattice;
    this.meta = { lattice: { kind, rows, columns, spacingDeg } };
    this.stimuli = createStimuli(options, this.lattice);
    this.run(0); // validates the shared settings now, not at the first start
    this.reset();
  }

  /** Runs in emission order: stimulus 0 in every direction, then stimulus 1, … */
  get runCount(): number { return this.stimuli.length * this.options.directionsDeg.length; }

  /** The series of run `index`; after a run was cut off (restarts > 0) later runs are /run-<r>. */
  seriesOf(index: number, restarts: number): string {
    const directions = this.options.directionsDeg.length;
    const stimulus = Math.floor(index / directions), direction = this.options.directionsDeg[index % directions];
    return `probe/${this.stimuli.length > 1 ? `s${stimulus}/` : ''}d${direction}${restarts === 0 ? '' : `/run-${restarts}`}`;
  }

  /** The stimulus of run `index` (one run is kept: the one being sent). */
  run(index: number): DirectionRun {
    if (!this.current || this.current.index !== index) {
      const directions = this.options.directionsDeg.length;
      const stimulus = this.stimuli[Math.floor(index / directions)];
      this.current = { index, run: directionRun2d(stimulus.options, this.options.directionsDeg[index % directions]) };
    }
    return this.current.run;
  }

  /**
   * Scores a response chunk if its series is one of the current runs'.
   * @returns 'ignored' (another series), 'scored', or 'complete' when every unit that has answered
   *   has now answered every run.
   * @throws InputError for channel names that do not name a unit and a lattice pixel, too many
   *   units, or samples of a unit that were already scored (two senders with the same names).
   */
  accept(chunk: Chunk, restarts: number): 'ignored' | 'scored' | 'complete' {
    const run = this.findRun(chunk.meta.series, restarts);
    if (run === null) return 'ignored';
    const parsed = chunk.meta.channels.map((name, c) => parseUnitChannel(name, c, this.lattice.points.length));
    const fresh = new Set(parsed.map((p) => p.unit).filter((unit) => !this.units.has(unit)));
    if (this.units.size + fresh.size > MAX_PROBE_UNITS) throw new InputError(`responses from more than ${MAX_PROBE_UNITS} units; at most ${MAX_PROBE_UNITS} are scored`);
    const key = (name: string): string => `${chunk.meta.series}\u0000${name}`;
    const start = chunk.meta.startSample ?? this.nextSample.get(key(chunk.meta.channels[0])) ?? 0;
    chunk.meta.channels.forEach((name) => {
      const expected = this.nextSample.get(key(name));
      if (expected !== undefined && start < expected) {
        throw new InputError(`channel ${JSON.stringify(name)} of series ${JSON.stringify(chunk.meta.series)} repeats samples already scored (from ${start}, next expected ${expected}): give each T4 node its own name`);
      }
    });
    for (const unit of fresh) { this.units.set(unit, this.units.size); this.ended.push(new Set()); }
    const directions = this.options.directionsDeg.length;
    this.scorers[Math.floor(run / directions)].add(run % directions, start, chunk.data, {
      units: parsed.map((p) => this.units.get(p.unit)!), centres: parsed.map((p) => p.centre),
    });
    chunk.meta.channels.forEach((name) => {
      if (chunk.meta.endOfSeries) this.nextSample.delete(key(name)); else this.nextSample.set(key(name), start + chunk.length);
    });
    if (!chunk.meta.endOfSeries) return 'scored';
    for (const p of parsed) this.ended[this.units.get(p.unit)!].add(run);
    return this.ended.every((runs) => runs.size === this.runCount) ? 'complete' : 'scored';
  }

  /**
   * Every unit's tuning: peaks per direction (ON, OFF, all; the largest over the stimuli) and the
   * summary of the ON curve, plus per stimulus when there are several.
   */
  result(): Record<string, unknown> {
    const directionsDeg = [...this.options.directionsDeg];
    const names = [...this.units.keys()];
    const pooled = (u: number, key: 'on' | 'off' | 'all'): number[] => directionsDeg.map((_, d) => Math.max(...this.scorers.map((s) => s.curve(u)[key][d])));
    const units = names.map((name, u) => {
      const on = pooled(u, 'on'), off = pooled(u, 'off'), all = pooled(u, 'all');
      const { vectorDsi, preferredDirectionDeg, peakDirectionDeg, dsi } = summarizeDirectionTuning(directionsDeg, on);
      const overall = summarizeDirectionTuning(directionsDeg, all);
      return {
        name, on, off, all, vectorDsi, preferredDirectionDeg, peakDirectionDeg, dsi,
        allStimuli: { vectorDsi: overall.vectorDsi, preferredDirectionDeg: overall.preferredDirectionDeg, dsi: overall.dsi },
      };
    });
    const { probe } = this.options;
    return {
      probe, lattice: this.meta.lattice, directionsDeg, units,
      ...(this.stimuli.length > 1 ? {
        stimuli: this.stimuli.map((stimulus, s) => ({ id: stimulus.id, units: names.map((name, u) => ({ name, ...this.scorers[s].curve(u) })) })),
      } : {}),
    };
  }

  /** Forgets the responses (a new start). */
  reset(): void {
    this.scorers = this.stimuli.map((stimulus) => new DirectionTuningScorer(
      this.options.directionsDeg.map((directionDeg) => ({ directionDeg, polarityAt: stimulus.windows(directionDeg) })),
      { settleSamples: this.options.settleSamples },
    ));
    this.units.clear();
    this.ended = [];
    this.nextSample.clear();
  }

  /** Drops the kept stimulus (close). */
  dispose(): void { this.current = null; this.reset(); }

  private findRun(series: string, restarts: number): number | null {
    for (let index = 0; index < this.runCount; index++) if (this.seriesOf(index, restarts) === series) return index;
    return null;
  }
}

/** "<unit>/px<pixel>" → the unit's name and the pixel whose windows score the channel. */
function parseUnitChannel(name: string, c: number, pixels: number): { unit: string; centre: number } {
  const match = /^(.*)\/px(\d+)$/.exec(name);
  const centre = match ? Number(match[2]) : NaN;
  if (!match || !(centre < pixels)) {
    throw InputError.field(`msg.chunk.channels[${c}]`, name, `"<unit>/px<pixel>" with a pixel of the probe's ${pixels}-pixel lattice (a T4 node's response channel)`);
  }
  return { unit: match[1], centre };
}

function createStimuli(options: DirectionProbeOptions, lattice: Lattice): Stimulus[] {
  const positions = lattice.points, spacingDeg = lattice.spacingDeg, { noiseSd, seed } = options;
  if (options.probe === 'edge') {
    const edges = { positions, spacingDeg, samplesPerSpacing: options.samplesPerSpacing, segmentLength: options.segmentLength, riseSamples: options.riseSamples, segments: options.segments, noiseSd, seed };
    return [{ id: 'edges', options: { probe: 'edge', ...edges }, windows: (directionDeg) => edgePolarity2d({ ...edges, directionDeg }) }];
  }
  return options.periodsDeg.flatMap((periodDeg, p) => options.speedsDegPerS.map((speedDegPerS, v): Stimulus => {
    const grating = { positions, periodDeg, speedDegPerS, waveform: options.waveform, dtS: options.dtS, durationS: options.durationS, noiseSd, seed: seed + p * options.speedsDegPerS.length + v };
    return { id: `${options.waveform} ${periodDeg}° ${speedDegPerS}°/s`, options: { probe: 'grating', ...grating }, windows: (directionDeg) => gratingPolarity2d({ ...grating, directionDeg }) };
  }));
}
