/**
 * One controller for the learning nodes (resu-cca, resu-t4): everything they share around their
 * model, in one place so the two cannot drift apart:
 *   - the FIFO, message screening and close handling (setupStatefulNode);
 *   - msg.reset, and the switches msg.learning / msg.solve / msg.publish (validated before any
 *     takes effect);
 *   - persistence (restore before the first message, checkpoint after learning, save after
 *     solving and on close; never a non-finite state);
 *   - federation (peers' statistics snapshots: signature, plausibility, share cap; publishing
 *     snapshots on the third output), for a model that keeps statistics;
 *   - solving every K pairs, at the end of a source's run (msg.chunk.endOfRun) and on request (an
 *     automatic solve that fails never fails the chunk);
 *   - the solves' warnings, once per spell (shared/solve-warnings.ts), and a yellow status while
 *     the solves are ill-conditioned;
 *   - status (pairs, ρ, peers, refused snapshots) and the admin state.
 * The node supplies its model and what is specific to it (how a message is learned, what a fit
 * looks like on the wire).
 */
import type { Node, NodeAPI } from 'node-red';
import { isStatisticsMessage, LaggedMoments, NotEnoughDataError } from '../../core';
import { registerStateSource } from './admin';
import { LearningNodeOptions, NODE_SETTINGS } from './config';
import { InputError } from './errors';
import { createFederation } from './federation';
import { isReset } from './messages';
import { compact, Msg, setupStatefulNode } from './node';
import { createPersistence, Persistable, quarantineCorruptState } from './persist';
import { Send } from './queue';
import { credentialsOf } from './settings';
import { createSolveWarnings, ILL_CONDITIONED_HINT, SolveDiagnostics } from './solve-warnings';

/**
 * The model a learning node trains: local statistics (or none), a solver, and its persisted state.
 * A model without statistics (resu-cca's online rule: filters, no moments) neither publishes nor
 * merges snapshots; everything else (solving every K pairs, persistence, status) is the same.
 */
export interface LearningModel<Fit> extends Persistable {
  /** The local statistics (published to peers and merged with theirs); null if the model keeps none. */
  readonly statistics: LaggedMoments | null;
  /** Pairs learned so far (what "solve every K pairs" counts). */
  readonly pairs: number;
  /**
   * Solves and adopts the fit: on `moments` (the local statistics, or merged with the peers'), or
   * from the model's own state when it keeps no statistics (`moments` is then null).
   */
  solve(moments: LaggedMoments | null): Fit;
}

/** What a learning node adds to the controller. */
export interface LearningNodeSpec<Fit> {
  kind: 'cca' | 't4';
  /** Context key of the persisted state. */
  stateKey: string;
  /** Including the shared secret (a credential), '' when unset. */
  options: LearningNodeOptions;
  model: LearningModel<Fit>;
  /** Switches besides learning/solve/publish this node reads (validated as booleans). */
  switches?: readonly string[];
  /**
   * Why a model without statistics does not federate (the message a peer snapshot or msg.publish
   * is refused with); required when `model.statistics` is null.
   */
  notFederated?: string;
  /** Adds to the message of a refused peer snapshot (e.g. which setting must match). */
  explainRefusal?(message: string): string;
  /** Whether restored state carries a usable fit (then the next automatic solve is K pairs on). */
  restoredFitIsCurrent?: boolean;
  /**
   * Handles a message that is neither a reset nor a peer snapshot: validates it completely, then
   * applies switches and learns (calling `learned()` after changing the statistics). Returns
   * 'stop' when no publishing or solving should follow.
   */
  onMessage(msg: Msg, send: Send, context: LearningContext): void | 'stop' | Promise<void | 'stop'>;
  /** The warnings and condition numbers of a fit (warned by the controller, once per spell). */
  diagnostics(fit: Fit): SolveDiagnostics;
  /** Sends a fit on the node's outputs (after every solve). */
  sendFit(fit: Fit, send: Send, peers: number): void;
  /** Node part of the status text, e.g. "learning · 12k pairs · ρ2 0.31"; `active`: green dot, else blue ring. */
  statusText(learning: boolean): { text: string; active: boolean };
  /** Drops node-specific state on msg.reset and close. */
  onReset?(): void;
  onClose?(): void;
  /** Node part of the admin state and the export. */
  state(learning: boolean): Record<string, unknown>;
  exportFilters(): Record<string, unknown> | null;
}

/** What onMessage may use. */
export interface LearningContext {
  learning: boolean;
  /** Marks the statistics as changed (checkpoint). */
  learned(): void;
  /** Saves the state now (e.g. after adopting weights). */
  save(): Promise<void>;
  /** A source's run ended with the chunk just learned (msg.chunk.endOfRun): solve on it. */
  runEnded(): void;
}

const CONTROL = ['learning', 'solve'] as const;

/** Sets up a learning node around `spec`. */
export function createLearningNode<Fit>(RED: NodeAPI, node: Node, spec: LearningNodeSpec<Fit>): void {
  const { options, model } = spec;
  const persistence = createPersistence(node, spec.stateKey, options.persist, options.store, model, options.checkpointS * 1000);
  // the model's statistics are read only where federates() holds
  const federation = createFederation(node.id, options, spec.kind, () => model.statistics as LaggedMoments, options.sharedSecret);
  const federates = (): boolean => model.statistics !== null;
  const solveWarnings = createSolveWarnings((text) => node.warn(text));
  /** Peer snapshots refused because this model keeps no statistics. */
  let refusedUnfederated = 0;
  let pairsAtSolve = 0;
  let runEnded = false;
  void persistence.restored.then(() => { if (spec.restoredFitIsCurrent) pairsAtSolve = model.pairs; });
  const context: LearningContext = {
    learning: options.learning,
    learned: () => persistence.touch(),
    save: () => persistence.save(),
    runEnded: () => { runEnded = true; },
  };

  const { status } = setupStatefulNode(RED, node, {
    async onInput(msg, send) {
      await persistence.restored;
      if (isReset(msg)) {
        model.reset(); federation.reset(); solveWarnings.reset(); spec.onReset?.();
        pairsAtSolve = 0; refusedUnfederated = 0;
        await persistence.save();
        status.clear();
        return;
      }
      if (isStatisticsMessage(msg.payload)) {
        // a peer's snapshot: re-solve on the merged statistics and send the result. A refused one
        // ends with its error (Catch nodes) and is counted in the status, which stays readable
        let offered: ReturnType<typeof federation.offer>;
        try {
          if (!federates()) { refusedUnfederated++; throw new InputError(`statistics snapshots: ${spec.notFederated}`); }
          offered = federation.offer(msg.payload);
        } catch (err) {
          showStatus(true);
          const refusal = err instanceof InputError && spec.explainRefusal && federates() ? new InputError(spec.explainRefusal(err.message)) : err;
          if (refusal instanceof InputError) refusal.statusShown = true;
          throw refusal;
        }
        if (offered === 'applied') await solveAndSend(send, false);
        showStatus();
        return;
      }
      if (msg.publish !== undefined && msg.publish !== true) throw InputError.field('msg.publish', msg.publish, 'true');
      if (msg.publish === true && !federates()) throw new InputError(`msg.publish: ${spec.notFederated}`);
      for (const name of [...CONTROL, ...(spec.switches ?? [])]) {
        if (msg[name] !== undefined && typeof msg[name] !== 'boolean') throw InputError.field(`msg.${name}`, msg[name], 'true or false');
      }
      runEnded = false;
      if ((await spec.onMessage(msg, send, context)) === 'stop') { showStatus(); return; }
      const snapshot = federates() ? federation.snapshot(msg.publish === true) : null;
      if (snapshot) send([null, null, snapshot]);
      // every K pairs, and at the end of a source's run on what came since the last solve
      const unsolved = model.pairs - pairsAtSolve;
      const due = options.solveEveryPairs > 0 && (unsolved >= options.solveEveryPairs || (runEnded && unsolved > 0));
      if (msg.solve === true || (context.learning && due)) {
        if (!(await solveAndSend(send, msg.solve === true, runEnded && context.learning))) return;
      }
      showStatus();
    },
    async onClose(removed) {
      persistence.dispose();
      if (options.persist && !removed) await persistence.save();
      model.reset();
      solveWarnings.reset();
      spec.onClose?.();
    },
  });
  registerStateSource(RED, node, {
    state: () => ({ ...spec.state(context.learning), federation: federates() ? federation.summary() : null }),
    exportFilters: () => spec.exportFilters(),
  });
  showStatus();

  /**
   * `endOfRun`: the solve includes a source's whole run (its last chunk was just learned). Its
   * messages then carry `msg.endOfRun: true`, so a flow can start the next stage once this one has
   * learned everything (example 4 starts the leftward scan for T4b when layer 1 is done).
   */
  async function solveAndSend(send: Send, requested: boolean, endOfRun = false): Promise<boolean> {
    pairsAtSolve = model.pairs;
    let fit: Fit;
    try {
      fit = model.solve(federates() ? federation.merged() : null);
    } catch (err) {
      if (requested) throw err;
      // an automatic solve must not fail the message that triggered it: that message was learned
      // (too little data is normal between chunks; after a peer's snapshot it is worth saying)
      if (!(err instanceof NotEnoughDataError) || federation.peers > 0) {
        node.warn(`automatic solve failed: ${(err as Error).message}`);
        status.warn(`solve failed: ${(err as Error).message}`);
      }
      return false;
    }
    solveWarnings.report(spec.diagnostics(fit));
    const marked: Send = (msgs) => send((msgs as (Record<string, unknown> | null)[]).map((m) => (m ? { ...m, endOfRun: true } : m)));
    spec.sendFit(fit, endOfRun ? marked : send, federation.peers);
    await persistence.save();
    showStatus();
    return true;
  }

  /** `refusedNow`: a peer snapshot was just refused (yellow ring with the count). */
  function showStatus(refusedNow = false): void {
    const { text, active } = spec.statusText(context.learning);
    const peers = federation.peers > 0 ? ` · +${federation.peers} peers` : '';
    const refusedTotal = federation.rejectedTotal + refusedUnfederated;
    const refused = refusedTotal > 0 ? ` · ${compact(refusedTotal)} refused` : '';
    const full = `${text}${peers}${refused}`;
    if (solveWarnings.illConditioned) status.warn(`${ILL_CONDITIONED_HINT} · ${full}`);
    else if (refusedNow) status.warn(full); else if (active) status.ok(full); else status.idle(full);
  }
}

/** Registers a learning node type: its credential settings (the shared secret) are never stored in the flow. */
export function registerLearningNodeType(RED: NodeAPI, type: string, constructor: (this: Node, raw: never) => void): void {
  quarantineCorruptState(RED.settings as never, RED.log);
  RED.nodes.registerType(type, constructor as never, { credentials: credentialsOf(NODE_SETTINGS[type]) } as never);
}
