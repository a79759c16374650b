/**
 * Per-series ReSU state: a unit processes several interleaved series (scene rows, probe runs), each
 * with its own filter history, so histories never leak from one series into another. Capped.
 */
import { ShapeError } from './errors';
import { Polarity, ResuUnit } from './units';

export const MAX_UNIT_SERIES = 4096;

/** Options of {@link UnitBank}: the units' polarity and threshold θ; `channelwise` (one filter per channel) or `combined` (taps span all channels). */
export interface UnitBankOptions {
  readonly polarity: Polarity;
  readonly threshold?: number;
  readonly mode?: 'channelwise' | 'combined';
}

/** ReSUs sharing one filter over several interleaved series, each with its own history (capped at 4096 open series). */
export class UnitBank {
  private units = new Map<string, ResuUnit>();
  private taps: Float64Array | null = null;
  private channelsPerFilter = 1;

  constructor(private readonly options: UnitBankOptions) {}

  /** True once a filter was set. */
  get ready(): boolean { return this.taps !== null; }
  get filterLength(): number { return this.taps?.length ?? 0; }
  get openSeries(): number { return this.units.size; }

  /**
   * Sets the filter for all series from the next chunk on. A filter of the same length keeps each
   * series' history (seamless update); another length restarts the histories.
   * @param channels input channels the taps span (1 for a layer-1 temporal filter).
   */
  setFilter(taps: ArrayLike<number>, channels = 1): void {
    const copy = Float64Array.from(taps);
    const sameShape = this.taps !== null && this.taps.length === copy.length && channels === this.channelsPerFilter;
    // validate by building one unit before touching state
    const probe = new ResuUnit({ ...this.options, taps: copy, channels: this.options.mode === 'combined' ? channels : 1 });
    void probe;
    this.taps = copy;
    this.channelsPerFilter = channels;
    if (sameShape) for (const unit of this.units.values()) unit.setTaps(copy);
    else this.units.clear();
  }

  /**
   * Processes a chunk of series `series` (`restart` drops its history first, e.g. after a gap).
   * @throws ShapeError before a filter is set or on a channel mismatch.
   */
  process(data: Float64Array[], series: string, { restart = false, end = false } = {}): Float64Array[] {
    if (!this.taps) throw new ShapeError('no filter yet');
    let unit = restart ? undefined : this.units.get(series);
    if (unit && unit.channels !== this.expectedChannels(data.length)) unit = undefined;
    if (!unit) {
      if (!this.units.has(series) && this.units.size >= MAX_UNIT_SERIES) throw new ShapeError(`too many series in flight (${MAX_UNIT_SERIES})`);
      unit = new ResuUnit({ ...this.options, taps: this.taps, channels: this.expectedChannels(data.length) });
    }
    const out = unit.process(data);
    if (end) this.units.delete(series); else this.units.set(series, unit);
    return out;
  }

  private expectedChannels(inputChannels: number): number {
    if (this.options.mode === 'combined' && inputChannels !== this.channelsPerFilter) {
      throw new ShapeError(`chunk has ${inputChannels} channels; the filter spans ${this.channelsPerFilter}`);
    }
    return inputChannels;
  }

  /** Drops every history (keeps the filter). */
  resetHistories(): void { this.units.clear(); }

  /** Drops histories and the filter. */
  reset(): void { this.units.clear(); this.taps = null; }
}
