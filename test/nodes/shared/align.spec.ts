/**
 * nodes/shared/align.ts: pairing L1 and L3 chunks by series and start sample, the caps on what it
 * holds (chunks per series and signal, series, sample values), its accounting, its errors and the
 * release of everything on clear (what resu-t4 calls on reset and close).
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { ChunkAligner, DEFAULT_ALIGN_CAP, DEFAULT_ALIGN_MAX_VALUES } from '../../../nodes/shared/align';
import { InputError } from '../../../nodes/shared/errors';
import { Chunk } from '../../../nodes/shared/messages';

const FC_SEED = 160416;

/** A chunk of `channels` channels × `length` samples, every value `value`. */
function chunk(series: string, startSample: number | null, length = 4, channels = 3, value = 1): Chunk {
  return {
    data: Array.from({ length: channels }, () => new Float64Array(length).fill(value)),
    length,
    meta: { series, channels: Array.from({ length: channels }, (_, i) => `px${i}`), samplePeriodS: null, startSample, sequence: null, endOfSeries: false, endOfRun: false, signal: null, train: true },
  };
}

/** Sample values in the chunks the aligner still holds, counted from its pending lists. */
function heldValues(aligner: ChunkAligner<'L1' | 'L3'>): number {
  const pending = (aligner as unknown as { pending: Map<string, Map<string, Chunk[]>> }).pending;
  let total = 0;
  for (const bySignal of pending.values()) for (const list of bySignal.values()) for (const c of list) total += c.length * c.data.length;
  return total;
}

describe('nodes/shared/align (ChunkAligner)', function () {
  it('pairs the chunks of both signals with the same series and start sample, whichever comes first', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    const l1 = chunk('row', 0, 4, 3, 1), l3 = chunk('row', 0, 4, 3, 3);
    assert.equal(aligner.push('L1', l1), null);
    assert.equal(aligner.pendingChunks, 1);
    assert.equal(aligner.pendingChannels('row'), 3);
    assert.equal(aligner.pendingChannels('other'), null);
    const pair = aligner.push('L3', l3)!;
    assert.equal(pair.L1, l1);
    assert.equal(pair.L3, l3);
    // the other order, interleaved with a second series
    assert.equal(aligner.push('L3', chunk('row', 4)), null);
    assert.equal(aligner.push('L3', chunk('col', 0)), null);
    assert.equal(aligner.push('L1', chunk('col', 0))!.L1.meta.series, 'col');
    assert.equal(aligner.push('L1', chunk('row', 4))!.L3.meta.startSample, 4);
    assert.deepEqual([aligner.pendingChunks, aligner.pendingValues, aligner.dropped], [0, 0, 0]);
    assert.equal(aligner.pendingChannels('row'), null, 'a matched series holds nothing');
  });

  it('pairs chunks without positions in arrival order', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    aligner.push('L1', chunk('s', null, 4, 3, 1));
    aligner.push('L1', chunk('s', null, 4, 3, 2));
    assert.equal(aligner.push('L3', chunk('s', null))!.L1.data[0][0], 1);
    assert.equal(aligner.push('L3', chunk('s', null))!.L1.data[0][0], 2);
  });

  it('drops (and counts) a chunk whose partner can no longer come: the other signal is already past it', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    aligner.push('L1', chunk('s', 0));
    aligner.push('L1', chunk('s', 4));
    const pair = aligner.push('L3', chunk('s', 4))!; // L3 of samples 0…3 was lost
    assert.equal(pair.L1.meta.startSample, 4);
    assert.equal(aligner.dropped, 1);
    assert.equal(aligner.push('L1', chunk('s', 8)), null);
    assert.equal(aligner.push('L3', chunk('s', 12)), null, 'L1 at 8 is dropped, L3 at 12 waits');
    assert.deepEqual([aligner.dropped, aligner.pendingChunks], [2, 1]);
  });

  it('two chunks starting together but of different lengths: InputError, both dropped, the aligner keeps working', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    aligner.push('L1', chunk('s', 0, 4));
    assert.throws(() => aligner.push('L3', chunk('s', 0, 5)), (err: Error) => err instanceof InputError
      && /L1 and L3 chunks of series "s" starting at sample 0 have 4 and 5 samples; both signals must be chunked alike \(dropped\)/.test(err.message));
    assert.deepEqual([aligner.dropped, aligner.pendingChunks, aligner.pendingValues], [2, 0, 0]);
    aligner.push('L1', chunk('s', 4));
    assert.ok(aligner.push('L3', chunk('s', 4)));
  });

  it(`holds at most ${DEFAULT_ALIGN_CAP} chunks per series and signal by default, the newest`, function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    for (let i = 0; i < DEFAULT_ALIGN_CAP + 10; i++) aligner.push('L1', chunk('s', 4 * i));
    assert.deepEqual([aligner.pendingChunks, aligner.dropped], [DEFAULT_ALIGN_CAP, 10]);
    assert.equal(aligner.pendingValues, DEFAULT_ALIGN_CAP * 12);
    assert.equal(aligner.push('L3', chunk('s', 4 * 9)), null, 'the oldest ten are gone');
    assert.equal(aligner.push('L3', chunk('s', 4 * 10))!.L1.meta.startSample, 40, 'the oldest kept is the 11th');
    // another series has its own cap
    const small = new ChunkAligner(['L1', 'L3'] as const, 2);
    for (const series of ['a', 'b']) for (let i = 0; i < 3; i++) small.push('L3', chunk(series, i));
    assert.deepEqual([small.pendingChunks, small.dropped], [4, 2]);
  });

  it('holds at most maxSeries series: a new one drops the oldest series with everything it held', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const, 64, 3);
    for (const series of ['a', 'b', 'c']) { aligner.push('L1', chunk(series, 0)); aligner.push('L1', chunk(series, 4)); }
    assert.equal(aligner.pendingChunks, 6);
    aligner.push('L3', chunk('d', 0));
    assert.deepEqual([aligner.pendingChunks, aligner.dropped, aligner.pendingValues], [5, 2, 5 * 12]);
    assert.equal(aligner.pendingChannels('a'), null, 'series a was the oldest');
    assert.equal(aligner.push('L3', chunk('a', 0)), null, 'its chunks are gone');
    assert.ok(aligner.push('L3', chunk('c', 0)), 'c is still there');
  });

  it('holds at most maxValues sample values over all series: the oldest pending chunks go first', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const, 64, 1024, 100); // chunks of 12 values
    for (let i = 0; i < 8; i++) aligner.push('L1', chunk('a', 4 * i));
    assert.deepEqual([aligner.pendingValues, aligner.dropped], [96, 0]);
    aligner.push('L1', chunk('b', 0));
    assert.deepEqual([aligner.pendingValues, aligner.dropped], [96, 1], 'one of series a made room');
    assert.equal(aligner.push('L3', chunk('a', 0)), null, 'a at 0 was the one dropped');
    assert.equal(aligner.dropped, 2, 'and the L3 chunk at 0, its partner gone, with it');
    // a single chunk above the cap is not held at all
    const big = chunk('c', 0, 10, 11);
    aligner.push('L1', big);
    assert.ok(aligner.pendingValues <= 100);
    assert.equal(aligner.pendingChannels('c'), null);
    assert.equal(DEFAULT_ALIGN_MAX_VALUES, 8_388_608, '64 MB of Float64 by default (docs/reliability.md)');
  });

  it('clear releases everything it holds and resets the counts (resu-t4 calls it on reset and close)', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const, 2);
    for (const series of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) aligner.push('L1', chunk(series, 4 * i, 100, 8));
    assert.ok(aligner.pendingValues > 0 && aligner.dropped > 0);
    aligner.clear();
    assert.deepEqual([aligner.pendingChunks, aligner.pendingValues, aligner.dropped, heldValues(aligner)], [0, 0, 0, 0]);
    assert.equal((aligner as unknown as { pending: Map<string, unknown> }).pending.size, 0, 'no series entry left');
    assert.equal(aligner.push('L3', chunk('a', 8, 100, 8)), null, 'nothing to pair with after a clear');
  });

  it('keeps its accounting under any sequence of pushes (fast-check): every chunk is paired, held or counted as dropped; the caps hold', function () {
    fc.assert(fc.property(
      fc.record({
        cap: fc.integer({ min: 1, max: 4 }),
        maxSeries: fc.integer({ min: 1, max: 3 }),
        maxValues: fc.integer({ min: 1, max: 200 }),
        pushes: fc.array(fc.record({
          signal: fc.constantFrom('L1' as const, 'L3' as const),
          series: fc.constantFrom('a', 'b', 'c', 'd'),
          start: fc.option(fc.integer({ min: 0, max: 6 }).map((k) => 4 * k), { nil: null }),
          length: fc.constantFrom(4, 4, 4, 5),
          channels: fc.integer({ min: 1, max: 4 }),
        }), { maxLength: 60 }),
      }),
      ({ cap, maxSeries, maxValues, pushes }) => {
        const aligner = new ChunkAligner(['L1', 'L3'] as const, cap, maxSeries, maxValues);
        let paired = 0, errors = 0;
        for (const p of pushes) {
          try {
            const pair = aligner.push(p.signal, chunk(p.series, p.start, p.length, p.channels));
            if (pair) {
              paired++;
              assert.equal(pair.L1.meta.series, pair.L3.meta.series);
              assert.equal(pair.L1.length, pair.L3.length);
              if (pair.L1.meta.startSample !== null && pair.L3.meta.startSample !== null) assert.equal(pair.L1.meta.startSample, pair.L3.meta.startSample);
            }
          } catch (err) {
            assert.ok(err instanceof InputError, String(err));
            errors++;
          }
          assert.equal(aligner.pendingValues, heldValues(aligner), 'pendingValues counts what is held');
          assert.ok(aligner.pendingValues <= maxValues, `${aligner.pendingValues} values held > ${maxValues}`);
          assert.ok(aligner.pendingChunks <= maxSeries * 2 * cap);
        }
        assert.equal(2 * paired + aligner.dropped + aligner.pendingChunks, pushes.length, `${errors} length errors`);
      },
    ), { seed: FC_SEED, numRuns: 300 });
  });

  it('a chunk borrowed from its message is copied when it has to wait, never when it is paired at once', function () {
    const aligner = new ChunkAligner(['L1', 'L3'] as const);
    const waiting = { ...chunk('s', 0), borrowed: true };
    aligner.push('L1', waiting);
    waiting.data[0][0] = 99; // the sender refills its array
    const partner = { ...chunk('s', 0), borrowed: true };
    const pair = aligner.push('L3', partner)!;
    assert.equal(pair.L1.data[0][0], 1, 'the held copy kept the value it had');
    assert.equal(pair.L3, partner, 'the chunk paired at once is passed on as it is');
  });
});
