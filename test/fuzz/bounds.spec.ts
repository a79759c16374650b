/**
 * Parameter bounds (issue 8): every size-related setting is bounded, alone and in combination, so no
 * configuration makes a node allocate gigabytes: the worst combinations are refused at deploy time
 * (red ring, "node not configured: …" for every message), never at the first message.
 */
import * as assert from 'assert';
import { MAX_CHUNK_VALUES } from '../../nodes/shared/messages';
import { MAX_SCENE_PIXELS } from '../../nodes/shared/config';
import { collect, helper, load, nodeModules, recordStatuses, startServer, stopServer } from '../nodes/harness';

const CASES: [string, string, Record<string, unknown>, RegExp][] = [
  ['resu-cca', 'pastLags 1001', { pastLags: 1001 }, /pastLags must be an integer .*≤ 1000/],
  ['resu-cca', 'futureLags 10^6', { futureLags: 1e6 }, /futureLags must be an integer .*≤ 1000/],
  ['resu-cca', 'joint, 64 channels × (1000 + 1000) lags', { pooling: 'joint', channels: 64, pastLags: 1000, futureLags: 1000 }, /futureLags must be .*channels × \(past m \+ future h\) ≤ 1024, here 64 × \(1000 \+ 1000\)/],
  ['resu-cca', 'gap 10^9', { gap: 1e9 }, /gap must be an integer .*≤ 1000/],
  ['resu-unit', '1001 taps', { taps: JSON.stringify(new Array(1001).fill(0.1)) }, /taps/],
  ['resu-t4', 'delay 10^6', { delay: 1e6 }, /delay must be an integer .*≤ 1000/],
  ['resu-scanner', '1024 pixels × chunkLength 100000', { pixels: 1024, chunkLength: 100000 }, new RegExp(`chunkLength must be .*at most ${Math.floor(MAX_CHUNK_VALUES / 1024)} for 1024 pixels`)],
  ['resu-scanner', 'a 16384 × 4096 panorama', { sceneWidth: 16384, sceneHeight: 4096 }, new RegExp(`sceneHeight must be .*at most ${MAX_SCENE_PIXELS / 16384} for 16384 scene width \\(${MAX_SCENE_PIXELS} scene pixels\\)`)],
  ['resu-scanner', 'pixels 10^6', { pixels: 1e6 }, /pixels must be an integer .*≤ 1024/],
  ['resu-noise', 'white noise, 1024 channels × chunkLength 100000', { mode: 'white', channels: 1024, chunkLength: 100000 }, new RegExp(`chunkLength must be .*at most ${Math.floor(MAX_CHUNK_VALUES / 1024)} for 1024 channels`)],
  ['resu-noise', 'gpPoints 10^5', { mode: 'gp', gpPoints: 1e5 }, /gpPoints must be an integer .*≤ 4096/],
  ['resu-grating', 'edge: 10000 segments × 10^6 samples × 1024 pixels', { probe: 'edge', segments: 10000, segmentLength: 1e6, pixels: 1024, normalization: 'training' }, /at most 10000000/],
  ['resu-grating', 'grating: 10^5 s at 1 µs', { probe: 'grating', durationS: 1e5, dtS: 1e-6, normalization: 'training' }, /at most 10000000/],
  ['resu-grating', 'a "probe sd" run of 9 × 10^6 values (sent as one chunk)', { probe: 'edge', segments: 3000, segmentLength: 1000 }, /run of at most 4000000 values .* one chunk/],
];

describe('parameter bounds: no configuration allocates gigabytes', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  for (const [type, what, config, pattern] of CASES) {
    it(`${type}: ${what} is refused at deploy time`, async function () {
      const statuses = recordStatuses();
      const rss = process.memoryUsage().rss;
      try {
        await load(nodeModules(type), [
          { id: 'bound-node', type, ...config, wires: [[]] },
          { id: 'bound-catch', type: 'catch', scope: null, uncaught: false, wires: [['bound-errors']] },
          { id: 'bound-errors', type: 'helper' },
        ]);
      } finally { statuses.restore(); }
      const red = statuses.calls.filter((c) => c.id === 'bound-node');
      assert.deepStrictEqual(red.map((c) => [c.status.fill, c.status.shape]), [['red', 'ring']]);
      const errors = collect('bound-errors', 1);
      helper.getNode('bound-node').receive({ payload: [1, 2, 3], command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, /node not configured: /);
      assert.match(err.error.message, pattern);
      assert.ok(process.memoryUsage().rss - rss < 256 * 1048576, 'nothing big was allocated');
    });
  }

  it('resu-unit: filter histories are capped in total (open series × channels × taps); ending a series frees its share', async function () {
    await load(nodeModules('resu-unit'), [
      { id: 'bound-unit', type: 'resu-unit', taps: JSON.stringify(new Array(1000).fill(0.001)), wires: [['bound-out']] },
      { id: 'bound-out', type: 'helper' },
      { id: 'bound-catch', type: 'catch', scope: null, uncaught: false, wires: [['bound-errors']] },
      { id: 'bound-errors', type: 'helper' },
    ]);
    const node = helper.getNode('bound-unit');
    const wide = (series: string, end = false) => ({ payload: Array.from({ length: 4096 }, () => [0.5]), topic: series, chunk: { endOfSeries: end } });
    const out = collect('bound-out', 4);
    const errors = collect('bound-errors', 1);
    node.receive(wide('a')); // 4096 channels × 1000 taps held
    node.receive(wide('b')); // 8,192,000 held: still under 8,388,608
    node.receive(wide('c')); // would exceed: rejected
    const [err] = await errors;
    assert.match(err.error.message, /filter histories would exceed 8388608 values \(2 open series\); end finished series with msg\.chunk\.endOfSeries/);
    node.receive(wide('a', true)); // a ends: its share is free again
    node.receive(wide('c'));
    assert.deepStrictEqual((await out).map((m) => m.topic), ['a', 'b', 'a', 'c']);
  });
});
