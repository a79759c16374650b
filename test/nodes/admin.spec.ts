import * as assert from 'assert';
import { ar1, AnyMsg, collect, helper, load, nodeModules, startServer, stopServer } from './harness';

const modules = nodeModules('resu-cca', 'resu-t4', 'resu-grating', 'resu-unit');

function flow(): Record<string, unknown>[] {
  return [
    { id: 'learner', type: 'resu-cca', name: 'layer 1', pastLags: 3, futureLags: 2, solveEveryPairs: 0, wires: [['filters'], ['chart']] },
    { id: 'filters', type: 'helper' },
    { id: 'chart', type: 'helper' },
    { id: 't4', type: 'resu-t4', wires: [[], []] },
    { id: 'probe', type: 'resu-grating', wires: [[], []] },
    { id: 'unit', type: 'resu-unit', wires: [[]] },
  ];
}

/** Queues one AR(1) chunk; later messages (a solve from a wire or the admin route) run after it. */
function train(length = 4000): void {
  helper.getNode('learner').receive({ payload: ar1(length, 0.6, 5) });
}

/** GETs the state until `ready` holds (the queue runs asynchronously); bounded by a count, not a time. */
async function stateWhen(id: string, ready: (body: AnyMsg) => boolean, tries = 200): Promise<AnyMsg> {
  for (let i = 0; i < tries; i++) {
    const res = await helper.request().get(`/resu/nodes/${id}/state`).expect(200);
    if (ready(res.body)) return res.body;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`state of ${id} never became ready`);
}

describe('admin endpoints (/resu/nodes)', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('lists the deployed ReSU nodes with type and name', async function () {
    await load(modules, flow());
    const res = await helper.request().get('/resu/nodes').expect(200);
    const byId = new Map(res.body.map((n: AnyMsg) => [n.id, n]));
    assert.deepStrictEqual([...byId.keys()].sort(), ['learner', 'probe', 't4', 'unit']);
    const learner = byId.get('learner') as AnyMsg;
    assert.strictEqual(learner.type, 'resu-cca');
    assert.strictEqual(learner.name, 'layer 1');
    assert.strictEqual(learner.hasState, true);
    assert.match(learner.status.text, /pairs/); // the last status the node showed
    assert.strictEqual((byId.get('unit') as AnyMsg).hasState, false);
  });

  it('shows no filters before a solve, then the learned ψ1, ψ2, ρ and cumulative MI after one', async function () {
    await load(modules, flow());
    const before = await helper.request().get('/resu/nodes/learner/state').expect(200);
    assert.strictEqual(before.body.type, 'resu-cca');
    assert.strictEqual(before.body.fit, null);
    train();
    const filters = collect('filters', 1);
    helper.getNode('learner').receive({ solve: true });
    const [msg] = await filters;
    const res = await helper.request().get('/resu/nodes/learner/state').expect(200);
    const fit = res.body.fit;
    assert.ok(fit, 'fit present after solve');
    assert.strictEqual(res.body.pairs, 4000 - 5 + 1);
    assert.deepStrictEqual(fit.correlations, msg.payload.correlations);
    assert.deepStrictEqual(fit.cumulativeMutualInformationBits, msg.payload.mutualInformationBits);
    assert.strictEqual(fit.filters[0].component, 1);
    assert.deepStrictEqual(fit.filters[0].taps, [msg.payload.pastFilters[0]]); // one channel, newest tap first
    assert.deepStrictEqual(fit.filters[1].taps, [msg.payload.pastFilters[1]]);
  });

  it('answers 404 for an unknown id on every route', async function () {
    await load(modules, flow());
    await helper.request().get('/resu/nodes/nope/state').expect(404);
    await helper.request().post('/resu/nodes/nope/solve').expect(404);
    await helper.request().post('/resu/nodes/nope/reset').expect(404);
    await helper.request().get('/resu/nodes/nope/export').expect(404);
    await helper.request().get('/resu/nodes/unit/state').expect(404); // a ReSU node without learned state
    await helper.request().post('/resu/nodes/unit/solve').expect(400); // units have nothing to solve
  });

  it('POST solve goes through the node and sends a filters message', async function () {
    await load(modules, flow());
    train();
    const filters = collect('filters', 1);
    const res = await helper.request().post('/resu/nodes/learner/solve').expect(200);
    assert.strictEqual(res.body.action, 'solve');
    const [msg] = await filters;
    assert.strictEqual(msg.topic, 'filters');
    assert.strictEqual(msg.payload.format, 'resu-cca-fit');
  });

  it('exports the filters as a JSON download after a solve, and POST reset clears them', async function () {
    await load(modules, flow());
    await helper.request().get('/resu/nodes/learner/export').expect(404); // nothing learned yet
    train();
    const filters = collect('filters', 1);
    await helper.request().post('/resu/nodes/learner/solve').expect(200);
    await filters;
    const res = await helper.request().get('/resu/nodes/learner/export').expect(200);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="resu-cca-learner-filters\.json"/);
    const exported = JSON.parse(res.text);
    assert.strictEqual(exported.format, 'resu-cca-fit');
    assert.strictEqual(exported.pastFilters.length, exported.correlations.length);
    await helper.request().post('/resu/nodes/learner/reset').expect(200);
    const after = await stateWhen('learner', (body) => body.fit === null);
    assert.strictEqual(after.pairs, 0);
  });

  it('reports T4 and probe state before learning', async function () {
    await load(modules, flow());
    const t4 = await helper.request().get('/resu/nodes/t4/state').expect(200);
    assert.strictEqual(t4.body.type, 'resu-t4');
    assert.strictEqual(t4.body.weights, null);
    assert.strictEqual(t4.body.channels.length, 6);
    const probe = await helper.request().get('/resu/nodes/probe/state').expect(200);
    assert.strictEqual(probe.body.result, null);
  });

  it('the editor plugin registers the routes before any ReSU node is deployed', async function () {
    await load(nodeModules('resu-sidebar'), [{ id: 'other', type: 'helper' }]);
    const res = await helper.request().get('/resu/nodes').expect(200);
    assert.deepStrictEqual(res.body, []);
    await helper.request().post('/resu/nodes/other/solve').expect(404); // not a ReSU node
  });

  it('drops a node from the registry when it is closed', async function () {
    await load(modules, flow());
    await helper.request().get('/resu/nodes/learner/state').expect(200);
    await helper.getNode('learner').close(true);
    await helper.request().get('/resu/nodes/learner/state').expect(404);
  });
});
