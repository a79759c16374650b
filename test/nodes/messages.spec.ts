/**
 * shared/messages.ts against hostile messages (issue 13): too deep, too long, unreadable, sparse,
 * foreign-realm DataViews, huge positions, long names, overflowing samples, an own "__proto__".
 */
import * as assert from 'assert';
import * as vm from 'vm';
import {
  defuseMessage, MAX_MESSAGE_DEPTH, readChunkMessage, screenMessage, SeriesTracker, writeChunkMessage,
} from '../../nodes/shared/messages';

function nested(depth: number): unknown {
  let value: unknown = [1];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('shared/messages against hostile messages (issue 13)', function () {
  describe('screenMessage', function () {
    it('rejects nesting deeper than MAX_MESSAGE_DEPTH, iteratively (2·10⁵ levels do not overflow the check)', function () {
      assert.strictEqual(MAX_MESSAGE_DEPTH, 64);
      assert.strictEqual(screenMessage({ payload: nested(MAX_MESSAGE_DEPTH) }), null);
      const problem = screenMessage({ topic: 'statistics', payload: nested(200_000) });
      assert.ok(problem);
      assert.strictEqual(problem.key, 'payload');
      assert.strictEqual(problem.error.message, 'msg.payload is nested deeper than 64 levels');
    });

    it('rejects an array claiming 2³² − 1 elements without walking it, and a throwing getter', function () {
      const sparse: unknown[] = [];
      sparse.length = 2 ** 32 - 1;
      assert.match(screenMessage({ payload: sparse })!.error.message, /msg\.payload holds an array of 4294967295 elements; at most 4000000/);
      const withGetter: Record<string, unknown> = { payload: [1, 2] };
      Object.defineProperty(withGetter, 'trap', { enumerable: true, get() { throw new Error('boom'); } });
      assert.strictEqual(screenMessage(withGetter)!.error.message, 'msg.trap cannot be read: boom');
      const deepGetter = { payload: [1], meta: { inner: {} } };
      Object.defineProperty(deepGetter.meta.inner, 'x', { enumerable: true, get() { throw new Error('deep boom'); } });
      assert.strictEqual(screenMessage(deepGetter)!.error.message, 'msg.meta has a property that cannot be read: deep boom');
    });

    it('accepts typed arrays, shared and circular objects, and skips msg.req / msg.res', function () {
      const shared = { a: 1 };
      const circular: Record<string, unknown> = { name: 'c' };
      circular.self = circular;
      const req = { socket: { deep: nested(10_000) } };
      assert.strictEqual(screenMessage({ payload: [new Float64Array(10), new Float64Array(10)], x: shared, y: shared, circular, req, res: req }), null);
    });

    it('defuseMessage replaces the offending property so the message can be copied', function () {
      const msg: Record<string, unknown> = { payload: nested(5000), topic: 't' };
      const problem = screenMessage(msg)!;
      assert.ok(defuseMessage(msg, problem.key, problem.note));
      assert.strictEqual(msg.payload, '[removed by ReSU: nested deeper than 64 levels]');
      assert.strictEqual(msg.topic, 't');
      assert.strictEqual(screenMessage(msg), null);
      assert.strictEqual(JSON.stringify(msg).length < 100, true);
    });
  });

  describe('readChunkMessage', function () {
    it('rejects a DataView of another realm (it passed as an empty chunk)', function () {
      const foreign = vm.runInNewContext('new DataView(new ArrayBuffer(16))');
      assert.ok(!(foreign instanceof DataView));
      assert.throws(() => readChunkMessage({ payload: foreign }), /msg\.payload must be an array of samples or an array of channel arrays/);
      assert.throws(() => readChunkMessage({ payload: [[1, 2], foreign] }), /msg\.payload\[1\] must be an array of numbers/);
      // a typed array of another realm is fine
      const chunk = readChunkMessage({ payload: vm.runInNewContext('new Float32Array([1, 2, 3])') });
      assert.deepStrictEqual(Array.from(chunk.data[0]), [1, 2, 3]);
    });

    it('rejects a sparse array of length 2³² − 1 from its length alone', function () {
      const sparse: unknown[] = [];
      sparse.length = 2 ** 32 - 1;
      assert.throws(() => readChunkMessage({ payload: sparse }), /msg\.payload has 4294967295 channels; at most 4096/);
      const flat: number[] = [1];
      flat.length = 2 ** 32 - 1;
      assert.throws(() => readChunkMessage({ payload: flat }), /msg\.payload has 4294967295 samples; at most 1000000 per chunk/);
    });

    it('rejects samples beyond ±1e50, naming the index', function () {
      assert.throws(() => readChunkMessage({ payload: [1, 1e200] }), /^InputError: msg\.payload\[1\] must be a number within ±1e50 \(the sample magnitude limit\) \(got 1e\+200\)$/);
      assert.throws(() => readChunkMessage({ payload: [[0], [Float64Array.of(-1e51)[0]]] }), /msg\.payload\[1\]\[0\] must be a number within ±1e50/);
      assert.throws(() => readChunkMessage({ payload: Float64Array.of(1, NaN) }), /msg\.payload\[1\] must be a finite number \(got NaN\)/);
      assert.strictEqual(readChunkMessage({ payload: [1e50, -1e50] }).length, 2);
    });

    it('caps series, channel and signal names at 1024 characters', function () {
      const long = 'x'.repeat(10 * 1024 * 1024);
      assert.throws(() => readChunkMessage({ payload: [1], topic: long }), /^InputError: msg\.topic must be at most 1024 characters long \(got 10485760\) \(got "x{40}…"\)$/);
      assert.throws(() => readChunkMessage({ payload: [1], chunk: { series: long } }), /msg\.chunk\.series must be at most 1024 characters long/);
      assert.throws(() => readChunkMessage({ payload: [1], chunk: { channels: [long] } }), /msg\.chunk\.channels\[0\] must be at most 1024/);
      assert.throws(() => readChunkMessage({ payload: [1], chunk: { signal: long } }), /msg\.chunk\.signal must be at most 1024/);
      assert.strictEqual(readChunkMessage({ payload: [1], topic: 'y'.repeat(1024) }).meta.series.length, 1024);
    });

    it('refuses positions whose next sample would not be exact, so a chunk is never learned twice', function () {
      for (const startSample of [1e300, 2 ** 53, Number.MAX_SAFE_INTEGER - 2]) {
        assert.throws(() => readChunkMessage({ payload: [1, 2, 3], chunk: { series: 's', startSample } }), /msg\.chunk\.startSample must be a non-negative integer \(at most 9007199254740988, so that it plus the chunk's 3 samples stays exact\)/);
      }
      assert.throws(() => readChunkMessage({ payload: [1], chunk: { sequence: 2 ** 53 } }), /msg\.chunk\.sequence must be a non-negative integer \(at most 2⁵³ − 1\)/);
      // at the largest allowed start the tracker expects exactly the next sample and refuses a repeat
      const start = Number.MAX_SAFE_INTEGER - 3;
      const chunk = readChunkMessage({ payload: [1, 2, 3], chunk: { series: 's', startSample: start } });
      const tracker = new SeriesTracker();
      assert.strictEqual(tracker.classify(chunk.meta), 'new');
      tracker.advance(chunk.meta, chunk.length);
      assert.throws(() => tracker.classify(chunk.meta), /repeats or precedes samples already seen/);
    });
  });

  describe('writeChunkMessage', function () {
    it('does not turn an own "__proto__" key into the prototype of the output message', function () {
      const msg = JSON.parse('{"payload": [1, 2], "user": 7, "__proto__": {"reset": true}}');
      assert.ok(Object.prototype.hasOwnProperty.call(msg, '__proto__'));
      const chunk = readChunkMessage(msg);
      const out = writeChunkMessage(msg, chunk.data, chunk.meta);
      assert.strictEqual(Object.getPrototypeOf(out), Object.prototype);
      assert.strictEqual(out.reset, undefined);
      assert.strictEqual(out.user, 7);
    });
  });
});
