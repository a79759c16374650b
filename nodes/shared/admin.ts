/**
 * Admin HTTP endpoints for the editor sidebar, and the live-state registry behind them.
 *
 *   GET  /resu/nodes              ReSU nodes of the running flows: id, type, name, tab, status, hasState,
 *                                 queue {waiting, dropped}                                                (resu.read)
 *   GET  /resu/nodes/:id/state    the node's latest learned state (JSON; see each node's state source),
 *                                 with its input queue {waiting, dropped}                                (resu.read)
 *   POST /resu/nodes/:id/solve    node.receive({ solve: true }): through the node's queue, like a wire   (resu.write)
 *   POST /resu/nodes/:id/reset    node.receive({ reset: true })                                           (resu.write)
 *   GET  /resu/nodes/:id/export   the learned filters as a JSON download (404 before the first solve)     (resu.write)
 *
 * Routes are registered once per RED instance (keyed by its admin app); stateful nodes register a
 * state source with {@link registerStateSource} and are dropped from the registry when they close.
 * Every route answers 404 for an id that is not a deployed ReSU node, as core inject does.
 */
import type { Node, NodeAPI } from 'node-red';

export const READ_PERMISSION = 'resu.read';
export const WRITE_PERMISSION = 'resu.write';
const TYPE_PREFIX = 'resu-';
/** Node types that understand msg.solve. */
const SOLVERS = new Set(['resu-cca', 'resu-t4']);

/** What a stateful node exposes to the editor. Both functions must return plain JSON. */
export interface StateSource {
  /** A small summary of the learned state, polled about once a second by the sidebar. */
  state(): Record<string, unknown>;
  /** The learned filters as a versioned JSON document, or null before the first solve. */
  exportFilters?(): Record<string, unknown> | null;
}

interface Entry { node: Node; source: StateSource }
/** What the admin routes show of a node's input queue. */
export interface QueueInfo { readonly length: number; readonly dropped: number }
interface Registry { entries: Map<string, Entry>; statuses: Map<string, Record<string, unknown>>; queues: Map<string, QueueInfo> }
type StatusEvents = { on(name: string, listener: (event: { id?: unknown; status?: Record<string, unknown> }) => void): void };

/* eslint-disable @typescript-eslint/no-explicit-any */
type Req = { params: Record<string, string> };
type Res = { status(code: number): Res; json(body: unknown): void; end(): void; setHeader(name: string, value: string): void; send(body: string): void };
type AdminApp = { get(path: string, ...handlers: any[]): void; post(path: string, ...handlers: any[]): void };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** One registry per admin app, i.e. per RED instance (the test helper makes a new app per flow load). */
const registries = new WeakMap<object, Registry>();
/** Last status per node id, one map (and one listener) per runtime event emitter. */
const statusMaps = new WeakMap<object, Map<string, Record<string, unknown>>>();

/** Registers the routes (once per RED instance) and returns that instance's registry. */
export function registerAdminRoutes(RED: NodeAPI): Registry {
  const app = RED.httpAdmin as unknown as AdminApp;
  const existing = registries.get(app);
  if (existing) return existing;
  const registry: Registry = { entries: new Map(), statuses: trackStatuses(RED.events as unknown as StatusEvents), queues: new Map() };
  registries.set(app, registry);
  const read = RED.auth.needsPermission(READ_PERMISSION);
  const write = RED.auth.needsPermission(WRITE_PERMISSION);

  app.get('/resu/nodes', read, (_req: Req, res: Res) => {
    const nodes: Record<string, unknown>[] = [];
    RED.nodes.eachNode((config: { id: string; type: string; name?: string; z?: string }) => {
      if (typeof config.type !== 'string' || !config.type.startsWith(TYPE_PREFIX)) return;
      nodes.push({
        id: config.id, type: config.type, name: config.name || '', z: config.z ?? null,
        status: registry.statuses.get(config.id) ?? null, hasState: registry.entries.has(config.id),
        queue: queueSummary(registry.queues.get(config.id)),
      });
    });
    res.json(nodes);
  });

  app.get('/resu/nodes/:id/state', read, (req: Req, res: Res) => {
    const entry = registry.entries.get(req.params.id);
    if (!entry) { notFound(res, req.params.id); return; }
    respond(res, () => ({
      id: entry.node.id, type: entry.node.type, name: (entry.node as { name?: string }).name || '',
      status: registry.statuses.get(entry.node.id) ?? null, queue: queueSummary(registry.queues.get(entry.node.id)), ...entry.source.state(),
    }));
  });

  for (const action of ['solve', 'reset'] as const) {
    app.post(`/resu/nodes/:id/${action}`, write, (req: Req, res: Res) => {
      const node = findResuNode(RED, req.params.id);
      if (!node) { notFound(res, req.params.id); return; }
      if (action === 'solve' && !SOLVERS.has(node.type)) { res.status(400).json({ error: `${node.type} has nothing to solve (only ${[...SOLVERS].join(', ')})` }); return; }
      respond(res, () => { node.receive({ [action]: true }); return { ok: true, action }; });
    });
  }

  app.get('/resu/nodes/:id/export', write, (req: Req, res: Res) => {
    const entry = registry.entries.get(req.params.id);
    const filters = entry?.source.exportFilters?.() ?? null;
    if (!entry || !filters) {
      res.status(404).json({ error: entry ? 'no learned filters yet: train, then solve' : `no ReSU node with state has id ${req.params.id}` });
      return;
    }
    const name = `${entry.node.type}-${entry.node.id}-filters.json`.replace(/[^\w.-]/g, '_');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.send(JSON.stringify(filters, null, 2));
  });
  return registry;
}

/**
 * Makes a node's learned state available to GET /resu/nodes/:id/state and /export; the entry is
 * removed when the node closes (redeploy, removal, shutdown).
 */
export function registerStateSource(RED: NodeAPI, node: Node, source: StateSource): void {
  const registry = registerAdminRoutes(RED);
  const entry = { node, source };
  registry.entries.set(node.id, entry);
  node.on('close', () => {
    if (registry.entries.get(node.id) === entry) registry.entries.delete(node.id);
  });
}

/**
 * Makes a node's input queue (messages waiting, and dropped because it was full) visible in
 * GET /resu/nodes and /state; removed when the node closes.
 */
export function registerQueue(RED: NodeAPI, node: Node, queue: QueueInfo): void {
  const registry = registerAdminRoutes(RED);
  registry.queues.set(node.id, queue);
  node.on('close', () => {
    if (registry.queues.get(node.id) === queue) registry.queues.delete(node.id);
  });
}

function queueSummary(queue: QueueInfo | undefined): { waiting: number; dropped: number } | null {
  return queue ? { waiting: queue.length, dropped: queue.dropped } : null;
}

function findResuNode(RED: NodeAPI, id: string): Node | null {
  const node = RED.nodes.getNode(id) as Node | null;
  return node && typeof node.type === 'string' && node.type.startsWith(TYPE_PREFIX) ? node : null;
}

function notFound(res: Res, id: string): void {
  res.status(404).json({ error: `no deployed ReSU node has id ${id}` });
}

function respond(res: Res, body: () => unknown): void {
  try {
    res.json(body());
  } catch (err) {
    res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Keeps the last status of every node: the runtime emits "node-status" for each update (ours are
 * throttled to ≤ 2 Hz, the initial one comes from the constructor, before getNode(id) finds the
 * node, so ids are not filtered here). An event without status means the node was removed.
 */
function trackStatuses(events: StatusEvents): Map<string, Record<string, unknown>> {
  const existing = statusMaps.get(events);
  if (existing) return existing;
  const statuses = new Map<string, Record<string, unknown>>();
  statusMaps.set(events, statuses);
  events.on('node-status', (event) => {
    if (!event || typeof event.id !== 'string') return;
    if (!event.status) { statuses.delete(event.id); return; }
    const { fill, shape, text } = event.status as { fill?: string; shape?: string; text?: string };
    statuses.set(event.id, { fill: fill ?? null, shape: shape ?? null, text: text ?? '' });
  });
  return statuses;
}

/** Filters shown by the sidebar: the first few components. */
export const SIDEBAR_COMPONENTS = 3;

/**
 * A fit reduced to what the sidebar draws: ρ (all), cumulative MI (bits) and the first filters
 * ψ1…ψk split per channel, taps newest first (tap j is j samples before the newest past sample).
 */
export function fitSummary(fit: {
  correlations: ArrayLike<number>; pastFilters: readonly ArrayLike<number>[]; mutualInformationBits: ArrayLike<number>;
  channels: number; pastLags: number; futureLags: number; pairs: number; weight: number; conditionNumber: { past: number; future: number };
}, components = SIDEBAR_COMPONENTS): Record<string, unknown> {
  const m = fit.pastLags;
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    channels: fit.channels, pastLags: m, futureLags: fit.futureLags,
    pairs: Number.isFinite(fit.pairs) ? fit.pairs : -1, weight: finite(fit.weight),
    correlations: Array.from(fit.correlations),
    cumulativeMutualInformationBits: Array.from(fit.mutualInformationBits),
    conditionNumber: { past: finite(fit.conditionNumber.past), future: finite(fit.conditionNumber.future) },
    filters: fit.pastFilters.slice(0, components).map((row, i) => ({
      component: i + 1,
      taps: Array.from({ length: fit.channels }, (_, c) => Array.from(row).slice(c * m, (c + 1) * m)),
    })),
  };
}
