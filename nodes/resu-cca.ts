/**
 * resu-cca: CCA learner node. Accumulates lagged moments from chunk messages, solves every K pairs
 * and on request, and emits the learned filters as a "filters" message.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { fitToJSON, isStatisticsMessage, PastFutureLearner, CcaFit, NotEnoughDataError, solvePastFutureCca } from '../core';
import { fitSummary, registerStateSource } from './shared/admin';
import { correlationChart, filterChart } from './shared/chart';
import { parseLearnerConfig, LearnerNodeOptions } from './shared/config';
import { InputError } from './shared/errors';
import { createFederation } from './shared/federation';
import { isReset, readChunkMessage, SeriesTracker } from './shared/messages';
import { compact, reportConfigError, setupStatefulNode } from './shared/node';
import { createPersistence, quarantineCorruptState } from './shared/persist';

const STATE_KEY = 'resu-cca-state';

export = function (RED: NodeAPI) {
  function ResuCcaNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: LearnerNodeOptions;
    let learner: PastFutureLearner;
    try {
      options = parseLearnerConfig(raw);
      learner = createLearner(options);
    } catch (err) { reportConfigError(node, err); return; }
    const tracker = new SeriesTracker();
    let learning = options.learning;
    let lastFit: CcaFit | null = null;
    let pairsAtLastSolve = 0;
    const persistence = createPersistence(node, STATE_KEY, options.persist, options.store, learner, options.checkpointS * 1000);
    const federation = createFederation(node.id, options, 'cca', () => learner.moments);

    const { status } = setupStatefulNode(RED, node, {
      async onInput(msg, send) {
        await persistence.restored;
        if (isReset(msg)) { learner.reset(); federation.reset(); tracker.clear(); lastFit = null; pairsAtLastSolve = 0; await persistence.save(); showStatus(); return; }
        if (isStatisticsMessage(msg.payload)) {
          // a peer's snapshot: re-solve on the merged statistics and push the filters back
          if (federation.offer(msg.payload)) solveAndSend(send, false);
          showStatus();
          return;
        }
        if (msg.publish !== undefined && msg.publish !== true) throw InputError.field('msg.publish', msg.publish, 'true');
        if (msg.learning !== undefined && typeof msg.learning !== 'boolean') throw InputError.field('msg.learning', msg.learning, 'true or false');
        if (msg.solve !== undefined && typeof msg.solve !== 'boolean') throw InputError.field('msg.solve', msg.solve, 'true or false');
        const isControl = msg.solve !== undefined || msg.learning !== undefined || msg.publish !== undefined;
        const isData = Array.isArray(msg.payload) || ArrayBuffer.isView(msg.payload);
        const chunk = isData || !isControl
          ? readChunkMessage(msg, { expectedChannels: options.pooling === 'joint' ? options.channels : undefined })
          : null;
        if (typeof msg.learning === 'boolean') learning = msg.learning;
        if (chunk && learning && chunk.meta.train) {
          const verdict = tracker.classify(chunk.meta);
          learner.update(chunk.data, chunk.meta.series, { restart: verdict === 'gap', end: chunk.meta.endOfSeries });
          tracker.advance(chunk.meta, chunk.length);
          persistence.touch();
        }
        const snapshot = federation.snapshot(msg.publish === true);
        if (snapshot) send([null, null, snapshot]);
        const wantsSolve = msg.solve === true;
        const due = options.solveEveryPairs > 0 && learner.moments.pairs - pairsAtLastSolve >= options.solveEveryPairs;
        if (wantsSolve || (learning && due)) {
          if (!solveAndSend(send, wantsSolve)) return;
          await persistence.save();
        }
        showStatus();
      },
      async onClose(removed) {
        persistence.dispose();
        if (options.persist && !removed) await persistence.save();
        learner.reset();
      },
    });
    registerStateSource(RED, node, {
      state: () => ({ learning, pairs: learner.moments.pairs, samplesSeen: learner.moments.samplesSeen, pooling: options.pooling, fit: lastFit && fitSummary(lastFit) }),
      exportFilters: () => (lastFit ? { ...fitToJSON(lastFit), gap: options.gap, pooling: options.pooling } : null),
    });
    showStatus();

    function solveAndSend(send: (msg: unknown) => void, requested: boolean): boolean {
      pairsAtLastSolve = learner.moments.pairs;
      let fit: CcaFit;
      try {
        fit = federation.peers > 0 ? solvePastFutureCca(federation.merged(), learner.ccaOptions) : learner.solve();
      } catch (err) {
        if (requested) throw err;
        // an automatic solve must not fail the chunk that triggered it: that chunk was learned
        if (!(err instanceof NotEnoughDataError)) node.warn(`automatic solve failed: ${(err as Error).message}`);
        return false;
      }
      lastFit = fit;
      for (const warning of fit.warnings) node.warn(warning);
      const payload = { ...fitToJSON(fit), gap: options.gap, pooling: options.pooling, samplesSeen: learner.moments.samplesSeen, peers: federation.peers };
      send([{ topic: 'filters', payload }, filterChart(fit), null, correlationChart(fit)]);
      return true;
    }

    function showStatus(): void {
      const state = learning ? '' : 'frozen · ';
      const rho = lastFit ? ` · ρ1 ${lastFit.correlations[0].toFixed(3)}` : '';
      const peers = federation.peers > 0 ? ` · +${federation.peers} peers` : '';
      const text = `${state}${compact(learner.moments.pairs)} pairs${rho}${peers}`;
      if (learning) status.ok(text); else status.idle(text);
    }
  }

  function createLearner(options: LearnerNodeOptions): PastFutureLearner {
    return new PastFutureLearner({
      pooling: options.pooling, channels: options.channels, pastLags: options.pastLags, futureLags: options.futureLags,
      gap: options.gap, center: options.center, timeConstantSamples: options.timeConstantSamples, cca: { ridge: options.ridge },
    });
  }

  quarantineCorruptState(RED.settings as never, RED.log);
  RED.nodes.registerType('resu-cca', ResuCcaNode);
};
