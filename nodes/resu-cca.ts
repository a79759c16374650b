/**
 * resu-cca: CCA learner node. Learns from chunk messages by the batch rule (lagged moments, fixed or
 * automatic past length) or the online rule (shared/cca-model.ts), solves every K pairs and on
 * request, and emits the learned filters as a "filters" message. Persistence, peers (batch rule),
 * solving and status: shared/learning-node.ts.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { fitSummary } from './shared/admin';
import { CcaNodeModel } from './shared/cca-model';
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
    let model: CcaNodeModel;
    try {
      // the shared secret is a credential: Node-RED keeps it out of the flow
      options = parseLearnerConfig(raw, (node as { credentials?: unknown }).credentials);
      model = new CcaNodeModel(options);
    } catch (err) { reportConfigError(node, err); return; }
    const tracker = new SeriesTracker();

    createLearningNode(RED, node, {
      kind: 'cca', stateKey: 'resu-cca-state', options, model,
      notFederated: 'statistics snapshots federate the batch rule only; this learner uses the online rule (it keeps filters, not moments, and averaging online filters is not exact)',
      explainRefusal: (message) => (options.pastLags === 'auto' && /pastLags/.test(message)
        ? `${message} (with Past m "auto" the moments are kept at Largest past P = ${options.maxPastLags} lags: every peer needs the same maxPastLags)`
        : message),
      onMessage(msg, _send, context) {
        const isControl = msg.solve !== undefined || msg.learning !== undefined || msg.publish !== undefined;
        const isData = Array.isArray(msg.payload) || ArrayBuffer.isView(msg.payload);
        const chunk = isData || !isControl
          ? readChunkMessage(msg, { expectedChannels: options.pooling === 'joint' ? options.channels : undefined })
          : null;
        if (typeof msg.learning === 'boolean') context.learning = msg.learning;
        if (chunk && context.learning && chunk.meta.train) {
          const verdict = tracker.classify(chunk.meta);
          model.update(chunk.data, chunk.meta.series, { restart: verdict === 'gap', end: chunk.meta.endOfSeries });
          tracker.advance(chunk.meta, chunk.length);
          context.learned();
          if (chunk.meta.endOfRun) context.runEnded();
        }
      },
      diagnostics: (fit) => fit,
      sendFit(fit, send, peers) {
        send([{ topic: 'filters', payload: model.filtersPayload(peers) }, filterChart(fit), null, correlationChart(fit)]);
      },
      statusText(learning) {
        const fit = model.lastFit;
        const rho = fit ? ` · ρ1 ${fit.correlations[0].toFixed(3)}` : '';
        const memory = model.memoryLabel() ? ` · ${model.memoryLabel()}` : '';
        const rule = model.rule === 'online' ? 'online · ' : '';
        return { text: `${learning ? '' : 'frozen · '}${rule}${compact(model.pairs)} pairs${memory}${rho}`, active: learning };
      },
      onReset: () => tracker.clear(),
      onClose: () => tracker.clear(),
      state: (learning) => ({
        learning, rule: model.rule, pairs: model.pairs, samplesSeen: model.samplesSeen, pooling: options.pooling,
        fit: model.lastFit && fitSummary(model.lastFit), memory: model.memory, history: model.learningCurve,
      }),
      exportFilters: () => (model.lastFit ? model.filtersPayload() : null),
    });
  }

  registerLearningNodeType(RED, 'resu-cca', ResuCcaNode);
};
