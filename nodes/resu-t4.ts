/**
 * resu-t4: T4 pooling. Aligns L1 and L3 chunks of a pixel row, learns the six spatial weights by
 * uncentered past–future CCA with a delay, and outputs the rectified T4 responses.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { connectomeComparison, fitToJSON, isStatisticsMessage, MAX_OPEN_SERIES, NotEnoughDataError, T4_CHANNELS, T4Fit, T4InputScaling, T4Layer } from '../core';
import { fitSummary, registerStateSource } from './shared/admin';
import { ChunkAligner } from './shared/align';
import { parseT4Config, T4NodeOptions } from './shared/config';
import { InputError } from './shared/errors';
import { createFederation } from './shared/federation';
import { isFiltersMessage, isReset, readChunkMessage, readFiltersMessage, SeriesTracker, writeChunkMessage } from './shared/messages';
import { compact, reportConfigError, setupStatefulNode } from './shared/node';
import { createPersistence, quarantineCorruptState } from './shared/persist';

const STATE_KEY = 'resu-t4-state';
const SWITCHES = ['learning', 'applying', 'solve'] as const;

export = function (RED: NodeAPI) {
  function ResuT4Node(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: T4NodeOptions;
    let layer: T4Layer;
    try {
      options = parseT4Config(raw);
      layer = new T4Layer({ delay: options.delay, component: options.component, threshold: options.threshold, thresholdQuantile: options.thresholdQuantile, ridge: options.ridge });
    } catch (err) { reportConfigError(node, err); return; }
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    const tracker = new SeriesTracker();
    const state = { learning: options.learning, applying: options.applying, pairsAtSolve: 0, lastFit: null as T4Fit | null };
    const persistence = createPersistence(node, STATE_KEY, options.persist, options.store, layer, options.checkpointS * 1000);
    /**
     * Mirror of the statistics' open series (one per chunk series and triplet): a chunk that would
     * open more than the core's MAX_OPEN_SERIES is rejected before any triplet is learned.
     */
    const federation = createFederation(node.id, options, 't4', () => layer.statistics);
    const openTriplets = new Map<string, number>();
    let openKeys = 0;
    // restored pairs count as solved (their weights came back too): the next automatic solve is K pairs on
    void persistence.restored.then(() => {
      state.pairsAtSolve = layer.pairs;
      for (const { key } of layer.toJSON().moments.openSeries) {
        const series = key.slice(0, key.lastIndexOf('\u0000'));
        openTriplets.set(series, (openTriplets.get(series) ?? 0) + 1);
        openKeys++;
      }
    });

    const { status } = setupStatefulNode(RED, node, {
      async onInput(msg, send) {
        await persistence.restored;
        if (isStatisticsMessage(msg.payload)) {
          // a peer's snapshot: re-solve on the merged statistics and send the weights
          if (federation.offer(msg.payload) && federation.peers > 0) await solveAndSend(send, false);
          return;
        }
        if (msg.publish !== undefined && msg.publish !== true) throw InputError.field('msg.publish', msg.publish, 'true');
        if (isReset(msg)) { federation.reset(); layer.reset(); aligner.clear(); tracker.clear(); openTriplets.clear(); openKeys = 0; state.lastFit = null; state.pairsAtSolve = 0; await persistence.save(); status.clear(); return; }
        for (const name of SWITCHES) {
          if (msg[name] !== undefined && typeof msg[name] !== 'boolean') throw InputError.field(`msg.${name}`, msg[name], 'true or false');
        }
        if (isFiltersMessage(msg)) { adoptFilters(msg); await persistence.save(); return; }
        const isData = Array.isArray(msg.payload) || ArrayBuffer.isView(msg.payload);
        const scaling = readProbeScaling(msg.probeScaling);
        // validate the whole message before any switch takes effect (a rejected message changes nothing)
        const chunk = isData || (SWITCHES.every((name) => msg[name] === undefined) && msg.publish === undefined) ? readChunkMessage(msg) : null;
        const signal = chunk?.meta.signal;
        if (chunk && signal !== 'L1' && signal !== 'L3') throw InputError.field('msg.chunk.signal', signal, '"L1" or "L3" (wire a ReSU ON unit and an L3 projection)');
        if (chunk && chunk.data.length < 3) throw new InputError(`msg.payload has ${chunk.data.length} pixel channels; T4 needs at least 3`);
        if (chunk) {
          // reject now what could only fail once paired: the pending partner must stay untouched
          const pendingPixels = aligner.pendingChannels(chunk.meta.series);
          if (pendingPixels !== null && pendingPixels !== chunk.data.length) {
            throw new InputError(`msg.payload has ${chunk.data.length} pixel channels; the pending chunks of series ${JSON.stringify(chunk.meta.series)} have ${pendingPixels}`);
          }
          const learningNext = typeof msg.learning === 'boolean' ? msg.learning : state.learning;
          if (state.learning && learningNext && chunk.meta.train) tracker.classify(chunk.meta); // repeats are rejected on arrival
        }
        if (typeof msg.learning === 'boolean') {
          // frozen stretches are not learned: forget series positions so learning resumes with a fresh series
          if (state.learning && !msg.learning) tracker.clear();
          state.learning = msg.learning;
        }
        if (typeof msg.applying === 'boolean') state.applying = msg.applying;
        if (chunk && (signal === 'L1' || signal === 'L3')) {
          const pair = aligner.push(signal, chunk);
          if (pair) {
            const { L1: l1, L3: l3 } = pair;
            if (l1.data.length !== l3.data.length) throw new InputError(`L1 chunk has ${l1.data.length} pixels and L3 chunk ${l3.data.length}; they must match`);
            if (state.learning && l1.meta.train && l3.meta.train) {
              const verdict = tracker.classify(l1.meta);
              const series = l1.meta.series;
              const before = openTriplets.get(series) ?? 0, current = l1.data.length - 2;
              if (openKeys - before + Math.max(before, current) > MAX_OPEN_SERIES) {
                throw new InputError(`too many series in flight (${openTriplets.size} open, ${openKeys} triplet series); end series with msg.chunk.endOfSeries`);
              }
              // 'new' also restarts: the series may still be open from before a learning pause
              layer.learn(l3.data, l1.data, series, { restart: verdict !== 'continue', end: l1.meta.endOfSeries });
              tracker.advance(l1.meta, l1.length);
              persistence.touch();
              // centres 1…current were opened (and closed again at the end of the series)
              const after = l1.meta.endOfSeries ? Math.max(before - current, 0) : Math.max(before, current);
              openKeys += after - before;
              if (after === 0) openTriplets.delete(series); else openTriplets.set(series, after);
            }
            if (state.applying && layer.currentWeights) {
              const responses = layer.apply(l3.data, l1.data, scaling);
              const names = responses.map((_, i) => `T4/px${i + 1}`);
              send([{ ...writeChunkMessage({ ...msg, _msgid: msg._msgid }, responses, { ...l1.meta, channels: names, signal: 'T4' }), dropped: aligner.dropped }, null, null]);
            }
          }
        }
        const snapshot = federation.snapshot(msg.publish === true);
        if (snapshot) send([null, null, snapshot]);
        const due = options.solveEveryPairs > 0 && layer.pairs - state.pairsAtSolve >= options.solveEveryPairs;
        if (msg.solve === true || (state.learning && due)) {
          if (!(await solveAndSend(send, msg.solve === true))) return;
        }
        showStatus();
      },
      async onClose(removed) {
        persistence.dispose();
        if (options.persist && !removed) await persistence.save();
        layer.reset(); aligner.clear(); tracker.clear();
      },
    });
    registerStateSource(RED, node, {
      state: () => {
        const weights = layer.currentWeights;
        return {
          learning: state.learning, applying: state.applying, pairs: layer.pairs, component: options.component, delay: options.delay, channels: [...T4_CHANNELS],
          weights: weights && Array.from(weights), connectome: weights && connectomeComparison(weights),
          fit: state.lastFit && { ...fitSummary(state.lastFit.fit), normalizedWeights: Array.from(state.lastFit.normalizedWeights), connectome: connectomeComparison(state.lastFit.normalizedWeights) },
        };
      },
      exportFilters: () => (state.lastFit ? fitPayload(state.lastFit) : null),
    });
    showStatus();

    async function solveAndSend(send: (msg: unknown) => void, requested: boolean): Promise<boolean> {
      state.pairsAtSolve = layer.pairs;
      try {
        state.lastFit = layer.solveWith(federation.merged());
      } catch (err) {
        if (requested) throw err;
        // an automatic solve must not fail the chunk that triggered it: that chunk was learned
        if (!(err instanceof NotEnoughDataError)) { node.warn(`automatic solve failed: ${(err as Error).message}`); status.warn(`solve failed: ${(err as Error).message}`); }
        return false;
      }
      for (const warning of state.lastFit.fit.warnings) node.warn(warning);
      send([null, { topic: 'T4 weights', payload: { ...fitPayload(state.lastFit), peers: federation.peers }, dropped: aligner.dropped }, null]);
      await persistence.save();
      showStatus();
      return true;
    }

    function adoptFilters(msg: Record<string, unknown>): void {
      const fit = readFiltersMessage(msg);
      if (fit.channels !== 6 || fit.pastLags !== 1) throw new InputError(`filters message spans ${fit.channels} channels × ${fit.pastLags} lags; T4 weights need 6 channels × 1 lag`);
      if (fit.pastFilters.length < options.component) throw new InputError(`filters message has ${fit.pastFilters.length} directions; this T4 uses direction ${options.component}`);
      layer.setWeights(fit.pastFilters[options.component - 1]);
      showStatus();
    }

    function fitPayload(result: T4Fit): Record<string, unknown> {
      return {
        ...fitToJSON(result.fit),
        t4: {
          channels: [...T4_CHANNELS], component: options.component, delay: options.delay, threshold: result.threshold, thresholdQuantile: options.thresholdQuantile,
          weights: Array.from(result.weights), normalizedWeights: Array.from(result.normalizedWeights),
          connectome: connectomeComparison(result.normalizedWeights),
        },
      };
    }

    function showStatus(): void {
      const rho = state.lastFit ? ` · ρ2 ${state.lastFit.correlations[options.component - 1].toFixed(3)}` : '';
      const theta = options.thresholdQuantile > 0 && state.lastFit ? ` · θ ${layer.threshold.toPrecision(3)} (q${options.thresholdQuantile})` : '';
      const dropped = aligner.dropped > 0 ? ` · ${compact(aligner.dropped)} dropped` : '';
      const mode = `${state.learning ? 'learning' : 'frozen'}${state.applying && layer.currentWeights ? '+applying' : ''}`;
      const text = `${mode} · ${compact(layer.pairs)} pairs${rho}${theta}${dropped}`;
      if (state.learning || layer.currentWeights) status.ok(text); else status.idle(text);
    }
  }

  /**
   * msg.probeScaling, set by the probe node on its chunks (and carried through the unit nodes): how
   * the six inputs are scaled before the weights ({@link T4InputScaling}); absent: as trained.
   */
  function readProbeScaling(raw: unknown): T4InputScaling {
    if (raw === undefined) return { mode: 'training' };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw InputError.field('msg.probeScaling', raw, 'an object {mode, noiseSd, seed}');
    const { mode, noiseSd, seed } = raw as Record<string, unknown>;
    if (mode !== 'training' && mode !== 'probe-sd') throw InputError.field('msg.probeScaling.mode', mode, '"training" or "probe-sd"');
    if (noiseSd !== undefined && !(typeof noiseSd === 'number' && Number.isFinite(noiseSd) && noiseSd >= 0 && noiseSd <= 1e6)) throw InputError.field('msg.probeScaling.noiseSd', noiseSd, 'a number in [0, 1e6]');
    if (seed !== undefined && !(typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0)) throw InputError.field('msg.probeScaling.seed', seed, 'an integer ≥ 0');
    return { mode, noiseSd: noiseSd as number | undefined, seed: seed as number | undefined };
  }

  quarantineCorruptState(RED.settings as never, RED.log);
  RED.nodes.registerType('resu-t4', ResuT4Node);
};
