/**
 * resu-cca: CCA learner node. Accumulates lagged moments from chunk messages, solves every K pairs
 * and on request, and emits the learned filters as a "filters" message. Persistence, peers,
 * solving and status: shared/learning-node.ts.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { CcaFit, fitToJSON, PastFutureLearner, solvePastFutureCca } from '../core';
import { fitSummary } from './shared/admin';
import { correlationChart, filterChart } from './shared/chart';
import { LearnerNodeOptions, parseLearnerConfig } from './shared/config';
import { createLearningNode, registerLearningNodeType } from './shared/learning-node';
import { readChunkMessage, SeriesTracker } from './shared/messages';
import { compact, reportConfigError } from './shared/node';

export = function (RED: NodeAPI) {
  function ResuCcaNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: LearnerNodeOptions;
    let learner: PastFutureLearner;
    try {
      // the shared secret is a credential: Node-RED keeps it out of the flow
      options = parseLearnerConfig(raw, (node as { credentials?: unknown }).credentials);
      learner = createLearner(options);
    } catch (err) { reportConfigError(node, err); return; }
    const tracker = new SeriesTracker();
    let lastFit: CcaFit | null = null;
    const model = {
      get statistics() { return learner.moments; },
      solve: (moments: typeof learner.moments) => (lastFit = solvePastFutureCca(moments, learner.ccaOptions)),
      toJSON: () => learner.toJSON(),
      load: (saved: unknown) => learner.load(saved),
      reset: () => { learner.reset(); tracker.clear(); lastFit = null; },
    };

    createLearningNode(RED, node, {
      kind: 'cca', stateKey: 'resu-cca-state', options, model,
      onMessage(msg, _send, context) {
        const isControl = msg.solve !== undefined || msg.learning !== undefined || msg.publish !== undefined;
        const isData = Array.isArray(msg.payload) || ArrayBuffer.isView(msg.payload);
        const chunk = isData || !isControl
          ? readChunkMessage(msg, { expectedChannels: options.pooling === 'joint' ? options.channels : undefined })
          : null;
        if (typeof msg.learning === 'boolean') context.learning = msg.learning;
        if (chunk && context.learning && chunk.meta.train) {
          const verdict = tracker.classify(chunk.meta);
          learner.update(chunk.data, chunk.meta.series, { restart: verdict === 'gap', end: chunk.meta.endOfSeries });
          tracker.advance(chunk.meta, chunk.length);
          context.learned();
        }
      },
      sendFit(fit, send, peers) {
        for (const warning of fit.warnings) node.warn(warning);
        const payload = { ...fitToJSON(fit), gap: options.gap, pooling: options.pooling, samplesSeen: learner.moments.samplesSeen, peers };
        send([{ topic: 'filters', payload }, filterChart(fit), null, correlationChart(fit)]);
      },
      statusText(learning) {
        const rho = lastFit ? ` · ρ1 ${lastFit.correlations[0].toFixed(3)}` : '';
        return { text: `${learning ? '' : 'frozen · '}${compact(learner.moments.pairs)} pairs${rho}`, active: learning };
      },
      state: (learning) => ({ learning, pairs: learner.moments.pairs, samplesSeen: learner.moments.samplesSeen, pooling: options.pooling, fit: lastFit && fitSummary(lastFit) }),
      exportFilters: () => (lastFit ? { ...fitToJSON(lastFit), gap: options.gap, pooling: options.pooling } : null),
    });
  }

  function createLearner(options: LearnerNodeOptions): PastFutureLearner {
    return new PastFutureLearner({
      pooling: options.pooling, channels: options.channels, pastLags: options.pastLags, futureLags: options.futureLags,
      gap: options.gap, center: options.center, timeConstantSamples: options.timeConstantSamples, cca: { ridge: options.ridge },
    });
  }

  registerLearningNodeType(RED, 'resu-cca', ResuCcaNode);
};
