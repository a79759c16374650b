/**
 * nodes/shared/persist.ts createPersistence with fake timers and a mock context store: restoring
 * (and starting fresh on a bad state), the checkpoint timer (one save at most `checkpointMs` after
 * the first change, of the state at that time), explicit saves, errors, dispose.
 * (quarantineCorruptState is covered by test/fuzz/persist-repair.spec.ts.)
 */
import { strict as assert } from 'assert';
import * as FakeTimers from '@sinonjs/fake-timers';
import type { Node } from 'node-red';
import { createPersistence, Persistable } from '../../../nodes/shared/persist';

interface FakeStore {
  values: Map<string, unknown>;
  sets: { key: string; value: unknown; store: string | undefined; at: number }[];
  gets: { key: string; store: string | undefined }[];
  failGet?: Error;
  failSet?: Error;
}

/** A node whose context() answers from `store` on the next tick, as Node-RED's stores call back. */
function fakeNode(clock: FakeTimers.Clock, store: FakeStore): Node & { warnings: string[] } {
  const warnings: string[] = [];
  const context = {
    get(key: string, name: string | undefined, callback: (err: Error | null, value: unknown) => void) {
      store.gets.push({ key, store: name });
      Promise.resolve().then(() => callback(store.failGet ?? null, store.failGet ? undefined : store.values.get(key)));
    },
    set(key: string, value: unknown, name: string | undefined, callback: (err?: Error | null) => void) {
      store.sets.push({ key, value: JSON.parse(JSON.stringify(value)), store: name, at: clock.now });
      if (!store.failSet) store.values.set(key, value);
      Promise.resolve().then(() => callback(store.failSet ?? null));
    },
  };
  return { warnings, context: () => context, warn: (message: string) => { warnings.push(message); } } as unknown as Node & { warnings: string[] };
}

/** A learner whose state is a counter. */
function counter(): Persistable & { count: number; loads: unknown[]; resets: number } {
  return {
    count: 0, loads: [], resets: 0,
    toJSON() { return { count: this.count }; },
    load(saved: unknown) {
      const count = (saved as { count?: unknown } | null)?.count;
      if (typeof count !== 'number') throw new Error('not a counter state');
      this.loads.push(saved); this.count = count;
    },
    reset() { this.count = 0; this.resets++; },
  };
}

describe('nodes/shared/persist (createPersistence)', function () {
  let clock: FakeTimers.Clock;
  let store: FakeStore;
  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    store = { values: new Map(), sets: [], gets: [] };
  });
  afterEach(function () { clock.uninstall(); });

  it('disabled: reads nothing, writes nothing, starts no timer', async function () {
    const node = fakeNode(clock, store), target = counter();
    const persistence = createPersistence(node, 'resu-t4-state', false, '', target, 1000);
    await persistence.restored;
    target.count = 5;
    persistence.touch();
    assert.equal(clock.countTimers(), 0);
    await persistence.save();
    await clock.tickAsync(5000);
    assert.deepEqual([store.gets.length, store.sets.length, target.loads.length], [0, 0, 0]);
  });

  it('restores the saved state from the named store (the default store for ""); nothing saved: nothing loaded', async function () {
    store.values.set('resu-cca-state', { count: 7 });
    const target = counter();
    await createPersistence(fakeNode(clock, store), 'resu-cca-state', true, 'disk', target).restored;
    assert.equal(target.count, 7);
    assert.deepEqual(store.gets, [{ key: 'resu-cca-state', store: 'disk' }]);
    const fresh = counter();
    await createPersistence(fakeNode(clock, store), 'resu-t4-state', true, '', fresh).restored;
    assert.deepEqual([fresh.loads.length, fresh.resets], [0, 0]);
    assert.equal(store.gets[1].store, undefined);
  });

  it('a state that does not load, or a store that fails, gives a warning and a fresh start, never a rejection', async function () {
    store.values.set('k', { count: 'seven' });
    const node = fakeNode(clock, store), target = counter();
    target.count = 3;
    await createPersistence(node, 'k', true, '', target).restored;
    assert.deepEqual([target.count, target.resets], [0, 1]);
    assert.deepEqual(node.warnings, ['persisted state ignored, starting fresh: not a counter state']);
    store.failGet = new Error('store offline');
    const other = fakeNode(clock, store), second = counter();
    await createPersistence(other, 'k', true, '', second).restored;
    assert.deepEqual(other.warnings, ['persisted state ignored, starting fresh: store offline']);
    assert.equal(second.resets, 1);
  });

  it('touch saves one checkpoint checkpointMs after the first change, with the state at that time, then waits for the next change', async function () {
    const node = fakeNode(clock, store), target = counter();
    const persistence = createPersistence(node, 'k', true, 'disk', target, 30_000);
    await persistence.restored;
    target.count = 1; persistence.touch();
    await clock.tickAsync(10_000);
    target.count = 2; persistence.touch();
    target.count = 3; persistence.touch();
    assert.equal(clock.countTimers(), 1, 'one checkpoint timer, however many changes');
    await clock.tickAsync(19_999);
    assert.equal(store.sets.length, 0);
    await clock.tickAsync(1);
    assert.deepEqual(store.sets, [{ key: 'k', value: { count: 3 }, store: 'disk', at: 30_000 }]);
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(60_000);
    assert.equal(store.sets.length, 1, 'no change, no save');
    target.count = 4; persistence.touch();
    await clock.tickAsync(30_000);
    assert.deepEqual(store.sets.map((s) => [s.at, s.value]), [[30_000, { count: 3 }], [120_000, { count: 4 }]]);
  });

  it('checkpointMs 0: touch saves nothing (only explicit saves)', async function () {
    const target = counter();
    const persistence = createPersistence(fakeNode(clock, store), 'k', true, '', target, 0);
    await persistence.restored;
    target.count = 9; persistence.touch();
    assert.equal(clock.countTimers(), 0);
    await persistence.save();
    assert.deepEqual(store.sets.map((s) => s.value), [{ count: 9 }]);
  });

  it('an explicit save takes the pending checkpoint with it; a failing store warns and does not reject', async function () {
    const node = fakeNode(clock, store), target = counter();
    const persistence = createPersistence(node, 'k', true, '', target, 1000);
    await persistence.restored;
    target.count = 1; persistence.touch();
    await persistence.save();
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(5000);
    assert.equal(store.sets.length, 1, 'saved once');
    store.failSet = new Error('disk full');
    target.count = 2; persistence.touch();
    await clock.tickAsync(1000);
    await persistence.save();
    assert.deepEqual(node.warnings, ['could not persist state: disk full', 'could not persist state: disk full']);
    assert.equal(store.sets.length, 3);
  });

  it('dispose stops the checkpoint timer: nothing is saved after it', async function () {
    const target = counter();
    const persistence = createPersistence(fakeNode(clock, store), 'k', true, '', target, 1000);
    await persistence.restored;
    target.count = 1; persistence.touch();
    persistence.dispose();
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(10_000);
    assert.equal(store.sets.length, 0);
    persistence.dispose();
  });

  it('a touch after dispose starts no checkpoint (a message finishing after close)', async function () {
    const target = counter();
    const persistence = createPersistence(fakeNode(clock, store), 'k', true, '', target, 1000);
    await persistence.restored;
    persistence.dispose();
    target.count = 1; persistence.touch();
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(10_000);
    assert.equal(store.sets.length, 0);
  });

  it('a save while the stored state is still loading (close during restore) waits for it and keeps it', async function () {
    store.values.set('k', { count: 41 });
    const target = counter();
    const persistence = createPersistence(fakeNode(clock, store), 'k', true, '', target, 1000);
    persistence.dispose();
    // the store answers on a later tick: before it does, the learner still holds a fresh state
    assert.equal(target.count, 0);
    await persistence.save();
    assert.equal(target.count, 41);
    assert.deepEqual(store.sets.map((set) => set.value), [{ count: 41 }]);
    assert.deepEqual(store.values.get('k'), { count: 41 });
  });
});
