/**
 * The node body shared by resu-unit (ReSU ON/OFF) and resu-l3 (linear projection): takes filters
 * from a wired "filters" message (or fixed taps), applies ψ_k causally to every channel of each
 * chunk, per series, and forwards the result as a chunk message.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { rectify, UnitBank } from '../../core';
import { parseUnitConfig, UnitNodeOptions } from './config';
import { InputError } from './errors';
import { isFiltersMessage, isReset, readChunkMessage, readFiltersMessage, SeriesTracker, writeChunkMessage } from './messages';
import { compact, countOf, reportConfigError, setupStatefulNode } from './node';

/** Most filter-history values (open series × channels × taps) a unit holds: 64 MB as Float64. */
export const MAX_HELD_VALUES = 8_388_608;
import { typedNumber } from './typed';

export function createUnitNode(RED: NodeAPI, type: 'resu-unit' | 'resu-l3') {
  return function UnitNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: UnitNodeOptions;
    let bank: UnitBank;
    try {
      options = parseUnitConfig(raw, type);
      // a per-message θ is applied after a linear projection; a fixed one inside the unit
      const perMessage = options.thresholdType !== 'num' && options.polarity !== 'linear';
      bank = new UnitBank({ polarity: perMessage ? 'linear' : options.polarity, threshold: options.threshold, mode: 'channelwise' });
      if (options.taps) bank.setFilter(options.taps);
    } catch (err) { reportConfigError(node, err); return; }
    const tracker = new SeriesTracker();
    const threshold = typedNumber(RED, node, 'threshold', options.thresholdSource, options.thresholdType, options.threshold);
    let processed = 0;
    let skipped = 0;
    const held = new Map<string, number>(); // channels with a filter history, per open series
    let heldChannels = 0;
    let filterNote = options.taps ? `fixed ${options.taps.length} taps` : '';
    // filters with no signal: a learner wired into this node but the chunks not (scanner → CCA →
    // ReSU → debug sends nothing). Counted, not timed: no chunk since start or reset. Filters that
    // come after this node's own stream ended are normal (the learner goes on solving on other
    // sources: both pathways of example 4, the aggregator of example 5), so they stay green
    let chunksSeen = 0;

    const { status } = setupStatefulNode(RED, node, {
      async onInput(msg, send) {
        if (isReset(msg)) {
          bank.resetHistories(); tracker.clear(); held.clear();
          heldChannels = 0; processed = 0; skipped = 0; chunksSeen = 0;
          status.clear();
          return;
        }
        if (isFiltersMessage(msg)) {
          const fit = readFiltersMessage(msg);
          const k = options.component;
          if (k > fit.pastFilters.length) throw new InputError(`filters message has ${fit.pastFilters.length} filters; this unit uses ψ${k}`);
          if (fit.channels !== 1) throw new InputError(`filters span ${fit.channels} channels; a layer-1 unit needs single-channel (pooled) filters`);
          // each series keeps channels × (taps − 1) history values: fitFromJSON bounds taps by MAX_LAGS, as the config does
          bank.setFilter(fit.pastFilters[k - 1]);
          filterNote = `ψ${k} (${fit.pastLags} taps, ρ ${fit.correlations[k - 1].toFixed(3)})`;
          if (chunksSeen === 0) status.warn(`has ψ${k}, no signal: wire the chunks into it too`);
          else status.ok(filterNote);
          return;
        }
        const chunk = readChunkMessage(msg);
        chunksSeen++;
        const verdict = tracker.classify(chunk.meta);
        if (!bank.ready) {
          skipped++;
          tracker.advance(chunk.meta, chunk.length);
          status.warn(`waiting for filters (${countOf(skipped, 'chunk')} skipped)`);
          return;
        }
        const theta = await threshold(msg); // validated before any state changes
        const before = held.get(chunk.meta.series) ?? 0;
        if ((heldChannels - before + chunk.data.length) * bank.filterLength > MAX_HELD_VALUES) {
          throw new InputError(`filter histories would exceed ${MAX_HELD_VALUES} values (${held.size} open series); end finished series with msg.chunk.endOfSeries`);
        }
        const out = bank.process(chunk.data, chunk.meta.series, { restart: verdict === 'gap', end: chunk.meta.endOfSeries });
        if (options.thresholdType !== 'num' && options.polarity !== 'linear') for (const values of out) rectify(values, options.polarity, theta);
        tracker.advance(chunk.meta, chunk.length);
        heldChannels += (chunk.meta.endOfSeries ? 0 : chunk.data.length) - before;
        if (chunk.meta.endOfSeries) held.delete(chunk.meta.series); else held.set(chunk.meta.series, chunk.data.length);
        processed += chunk.length;
        const names = chunk.meta.channels.map((name) => `${options.signal}/${name}`);
        send(writeChunkMessage(msg, out, { ...chunk.meta, channels: names, signal: options.signal }));
        status.ok(`${filterNote} · ${compact(processed)} samples`);
      },
      onClose() { bank.reset(); tracker.clear(); held.clear(); },
    });
    if (options.taps) status.ok(filterNote); else status.warn('waiting for filters');
  };
}
