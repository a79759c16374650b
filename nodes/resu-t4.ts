/**
 * resu-t4: T4 pooling. Aligns L1 and L3 chunks of a pixel row, learns the six spatial weights by
 * uncentered past–future CCA with a delay, and outputs the rectified T4 responses. On a lattice it
 * pools the triplets along one axis (shared/t4-pooling.ts); trained on motion in both directions it
 * learns two units (core's T4PairTrainer: the authors' mirrored moments, or output-gated plasticity).
 * Persistence, peers, solving and status: shared/learning-node.ts.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { connectomeComparison, fitToJSON, LaggedMoments, mirrorT4Weights, T4_CHANNELS, T4Fit, T4InputScaling, T4Layer, T4PairFit, T4PairTrainer } from '../core';
import { fitSummary } from './shared/admin';
import { ChunkAligner } from './shared/align';
import { parseT4Config, T4NodeOptions } from './shared/config';
import { InputError } from './shared/errors';
import { createLearningNode, registerLearningNodeType } from './shared/learning-node';
import { isFiltersMessage, readChunkMessage, readFiltersMessage, SeriesTracker, writeChunkMessage } from './shared/messages';
import { compact, reportConfigError } from './shared/node';
import { poolingTriplets, responseNames } from './shared/t4-pooling';

export = function (RED: NodeAPI) {
  function ResuT4Node(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: T4NodeOptions;
    let layer: T4Layer;
    /** Two units from motion in both directions (training other than 'single'), else null. */
    let twoUnits: T4PairTrainer | null;
    try {
      // the shared secret is a credential: Node-RED keeps it out of the flow
      options = parseT4Config(raw, (node as { credentials?: unknown }).credentials);
      layer = new T4Layer({ delay: options.delay, component: options.component, threshold: options.threshold, thresholdQuantile: options.thresholdQuantile, ridge: options.ridge });
      twoUnits = options.training === 'single' ? null : new T4PairTrainer(layer, { scheme: options.training, seed: options.seed });
    } catch (err) { reportConfigError(node, err); return; }
    /** Response channels are named "<label>[:<unit>]/px<centre>": the probe tells units apart by them. */
    const label = (typeof raw.name === 'string' && raw.name.trim()) || 'T4';
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    const tracker = new SeriesTracker();
    let applying = options.applying;
    let lastFit: T4Fit | T4PairFit | null = null;
    const model = {
      get statistics(): LaggedMoments { return layer.statistics; },
      get pairs(): number { return layer.pairs; },
      solve: (moments: LaggedMoments | null) => {
        const pooled = moments ?? layer.statistics;
        return (lastFit = twoUnits ? twoUnits.solveWith(pooled) : layer.solveWith(pooled));
      },
      toJSON: () => layer.toJSON(),
      load: (saved: unknown) => layer.load(saved),
      reset: () => { layer.reset(); twoUnits?.buffer?.reset(); aligner.clear(); tracker.clear(); lastFit = null; },
    };

    createLearningNode(RED, node, {
      kind: 't4', stateKey: 'resu-t4-state', options, model, switches: ['applying'],
      // restored weights came back with the statistics: the next automatic solve is K pairs on
      restoredFitIsCurrent: true,
      async onMessage(msg, send, context) {
        if (isFiltersMessage(msg)) { adoptFilters(msg); await context.save(); return 'stop'; }
        const isData = Array.isArray(msg.payload) || ArrayBuffer.isView(msg.payload);
        const scaling = readProbeScaling(msg.probeScaling);
        // validate the whole message before any switch takes effect (a rejected message changes nothing)
        const switched = msg.learning !== undefined || msg.applying !== undefined || msg.solve !== undefined || msg.publish !== undefined;
        const chunk = isData || !switched ? readChunkMessage(msg) : null;
        const signal = chunk?.meta.signal;
        if (chunk && signal !== 'L1' && signal !== 'L3') throw InputError.field('msg.chunk.signal', signal, '"L1" or "L3" (wire a ReSU ON unit and an L3 projection)');
        if (chunk && chunk.data.length < 3) throw new InputError(`msg.payload has ${chunk.data.length} pixel channels; T4 needs at least 3`);
        if (chunk) poolingTriplets(options.pooling, chunk.meta.lattice, chunk.data.length); // refused on arrival, not once paired
        if (chunk) {
          // reject now what could only fail once paired: the pending partner must stay untouched
          const pendingPixels = aligner.pendingChannels(chunk.meta.series);
          if (pendingPixels !== null && pendingPixels !== chunk.data.length) {
            throw new InputError(`msg.payload has ${chunk.data.length} pixel channels; the pending chunks of series ${JSON.stringify(chunk.meta.series)} have ${pendingPixels}`);
          }
          const learningNext = typeof msg.learning === 'boolean' ? msg.learning : context.learning;
          if (context.learning && learningNext && chunk.meta.train) tracker.classify(chunk.meta); // repeats are rejected on arrival
        }
        if (typeof msg.learning === 'boolean') {
          // frozen stretches are not learned: forget series positions so learning resumes with a fresh series
          if (context.learning && !msg.learning) tracker.clear();
          context.learning = msg.learning;
        }
        if (typeof msg.applying === 'boolean') applying = msg.applying;
        const pair = chunk && (signal === 'L1' || signal === 'L3') ? aligner.push(signal, chunk) : null;
        if (!pair) return;
        const { L1: l1, L3: l3 } = pair;
        if (l1.data.length !== l3.data.length) throw new InputError(`L1 chunk has ${l1.data.length} pixels and L3 chunk ${l3.data.length}; they must match`);
        const triplets = poolingTriplets(options.pooling, l1.meta.lattice, l1.data.length);
        if (context.learning && l1.meta.train && l3.meta.train) {
          const verdict = tracker.classify(l1.meta);
          // 'new' also restarts: the series may still be open from before a learning pause; core
          // refuses a chunk that would open more triplet series than it keeps
          (twoUnits ?? layer).learn(l3.data, l1.data, l1.meta.series, { restart: verdict !== 'continue', end: l1.meta.endOfSeries, triplets });
          tracker.advance(l1.meta, l1.length);
          context.learned();
          if (l1.meta.endOfRun || l3.meta.endOfRun) context.runEnded();
        }
        if (applying && layer.currentWeights) {
          const responses = layer.apply(l3.data, l1.data, scaling, triplets);
          const names = responseNames(label, triplets, l1.data.length, responses.length / (triplets ? triplets.length : l1.data.length - 2));
          // the responses are units, not the lattice's pixels: no lattice on them
          send([{ ...writeChunkMessage({ ...msg, _msgid: msg._msgid }, responses, { ...l1.meta, lattice: null, channels: names, signal: 'T4' }), dropped: aligner.dropped }, null, null]);
        }
      },
      diagnostics: (fit) => fit.fit,
      sendFit(fit, send, peers) {
        send([null, { topic: 'T4 weights', payload: { ...fitPayload(fit), peers }, dropped: aligner.dropped }, null]);
      },
      statusText(learning) {
        const rho = lastFit ? ` · ρ2 ${lastFit.correlations[options.component - 1].toFixed(3)}` : '';
        const theta = options.thresholdQuantile > 0 && lastFit ? ` · θ ${layer.threshold.toPrecision(3)} (q${options.thresholdQuantile})` : '';
        const dropped = aligner.dropped > 0 ? ` · ${compact(aligner.dropped)} dropped` : '';
        const mode = `${learning ? 'learning' : 'frozen'}${applying && layer.currentWeights ? '+applying' : ''}`;
        const kept = twoUnits?.buffer ? ` · kept ${compact(twoUnits.buffer.samples)}${twoUnits.buffer.dropped > 0 ? ` (full, ${compact(twoUnits.buffer.dropped)} not kept)` : ''}` : '';
        return { text: `${mode} · ${compact(layer.pairs)} pairs${rho}${theta}${kept}${dropped}`, active: learning || layer.currentWeights !== null };
      },
      state: (learning) => {
        const weights = layer.currentWeights;
        return {
          learning, applying, pairs: layer.pairs, component: options.component, delay: options.delay, channels: [...T4_CHANNELS],
          pooling: options.pooling, training: options.training, units: layer.unitWeights?.map((w) => Array.from(w)) ?? null,
          mirrorDeviation: lastFit && 'units' in lastFit ? lastFit.mirrorDeviation : null,
          weights: weights && Array.from(weights), connectome: weights && connectomeComparison(weights),
          fit: lastFit && { ...fitSummary(lastFit.fit), normalizedWeights: Array.from(lastFit.normalizedWeights), connectome: connectomeComparison(lastFit.normalizedWeights) },
        };
      },
      exportFilters: () => (lastFit ? fitPayload(lastFit) : null),
    });

    function adoptFilters(msg: Record<string, unknown>): void {
      const fit = readFiltersMessage(msg);
      if (fit.channels !== 6 || fit.pastLags !== 1) throw new InputError(`filters message spans ${fit.channels} channels × ${fit.pastLags} lags; T4 weights need 6 channels × 1 lag`);
      if (fit.pastFilters.length < options.component) throw new InputError(`filters message has ${fit.pastFilters.length} directions; this T4 uses direction ${options.component}`);
      const weights = fit.pastFilters[options.component - 1];
      // two units: the given one and its mirror image (the pair of the authors' mirrored scheme)
      if (twoUnits) layer.setUnitWeights([weights, mirrorT4Weights(weights)]); else layer.setWeights(weights);
    }

    function fitPayload(result: T4Fit | T4PairFit): Record<string, unknown> {
      return {
        ...fitToJSON(result.fit),
        t4: {
          channels: [...T4_CHANNELS], component: options.component, delay: options.delay, threshold: result.threshold, thresholdQuantile: options.thresholdQuantile,
          weights: Array.from(result.weights), normalizedWeights: Array.from(result.normalizedWeights),
          connectome: connectomeComparison(result.normalizedWeights), pooling: options.pooling, training: options.training,
          ...('units' in result ? { units: result.units.map((w) => Array.from(w)), mirrorDeviation: result.mirrorDeviation } : {}),
        },
      };
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

  registerLearningNodeType(RED, 'resu-t4', ResuT4Node);
};
