/**
 * resu-noise: adds seeded white noise (sd or SNR) to incoming chunks, or acts as a source of
 * white-noise, linear state-space (OU, the paper's 3-state example) or Gaussian-process streams.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { GaussianProcessSampler, LinearStateSpace, PAPER_OU_PRESET, WhiteNoise } from '../core';
import { NoiseNodeOptions, parseNoiseConfig } from './shared/config';
import { isReset, readChunkMessage, writeChunkMessage, ChunkMeta } from './shared/messages';
import { compact, reportConfigError, setupStatefulNode } from './shared/node';
import { createSourceRunner, readCommand } from './shared/source';

/** A source: returns the next chunk of its current series, or null when exhausted. */
type Produce = () => { data: Float64Array[]; series: string; startSample: number; endOfSeries: boolean; endOfRun: boolean } | null;

export = function (RED: NodeAPI) {
  function ResuNoiseNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: NoiseNodeOptions;
    let noise: WhiteNoise;
    try {
      options = parseNoiseConfig(raw);
      noise = createWhiteNoise(options);
    } catch (err) { reportConfigError(node, err); return; }
    let source: Produce | null = null;
    let emitted = 0;
    let sequence = 0;
    /**
     * A reset that cuts a series short leaves it open downstream (its samples would be rejected as
     * repeats), so from then on series are named <series>/run-<k>.
     */
    let restarts = 0, seriesOpen = false;
    /** The source ran to its end (maxSamples or the last draw): the next start begins again. */
    let exhausted = false;

    const runner = createSourceRunner({
      intervalMs: options.intervalMs,
      produce() {
        source ??= createSource(options);
        const next = source();
        if (!next) { exhausted = true; return false; }
        emitted += next.data[0].length;
        const meta: ChunkMeta = {
          series: restarts === 0 ? next.series : `${next.series}/run-${restarts}`, channels: next.data.map((_, c) => `${options.mode}${c}`), samplePeriodS: options.dtS,
          startSample: next.startSample, sequence: sequence++, endOfSeries: next.endOfSeries, endOfRun: next.endOfRun, signal: options.mode, train: true,
        };
        if (next.endOfSeries) sequence = 0;
        seriesOpen = !next.endOfSeries;
        node.send(writeChunkMessage({}, next.data, meta));
        status.ok(`${options.mode} · ${compact(emitted)} samples`);
        return true;
      },
      onStop(finished) { status.idle(`${finished ? 'finished' : 'stopped'} · ${compact(emitted)} samples`); },
      onError(err) { node.error(err, { payload: null, error: err.message }); status.failed(err); },
    });

    const { status } = setupStatefulNode(RED, node, {
      onInput(msg, send) {
        if (options.mode !== 'add') {
          const command = readCommand(msg) ?? 'start';
          if (command === 'start') {
            if (exhausted && !runner.running) { source = null; emitted = 0; sequence = 0; exhausted = false; } // a finished run starts over
            runner.start();
          }
          else if (command === 'stop') runner.stop();
          else {
            runner.stop();
            if (seriesOpen) restarts++;
            source = null; emitted = 0; sequence = 0; seriesOpen = false; exhausted = false; status.idle('reset');
          }
          return;
        }
        if (isReset(msg)) { noise = createWhiteNoise(options); emitted = 0; status.clear(); return; }
        const chunk = readChunkMessage(msg);
        const noisy = noise.add(chunk.data);
        emitted += chunk.length;
        send(writeChunkMessage(msg, noisy, chunk.meta));
        status.ok(`+ noise sd ${noise.sd.toPrecision(3)} · ${compact(emitted)} samples`);
      },
      onClose() { runner.stop(); source = null; },
    });
    status.idle(options.mode === 'add' ? `adds noise sd ${noise.sd.toPrecision(3)}` : 'ready: send "start"');
  }

  function createWhiteNoise(options: NoiseNodeOptions): WhiteNoise {
    return options.snr > 0
      ? new WhiteNoise({ snr: options.snr, signalSd: options.signalSd, seed: options.seed })
      : new WhiteNoise({ sd: options.sd, seed: options.seed });
  }

  /** Builds the stream of a source mode; each bounded by maxSamples in total. */
  function createSource(options: NoiseNodeOptions): Produce {
    let total = 0;
    const take = (n: number): number => Math.min(n, options.maxSamples - total);
    if (options.mode === 'white' || options.mode === 'ou') {
      const white = new WhiteNoise({ sd: options.sd, seed: options.seed });
      const process = options.mode === 'ou'
        ? new LinearStateSpace({ ...PAPER_OU_PRESET, observationNoiseVariance: options.observationNoiseSd ** 2, seed: options.seed })
        : null;
      return () => {
        const n = take(options.chunkLength);
        if (n <= 0) return null;
        const data = process ? [process.next(n)] : white.nextChannels(n, options.channels);
        const startSample = total;
        total += n;
        const end = total >= options.maxSamples;
        return { data, series: options.mode, startSample, endOfSeries: end, endOfRun: end };
      };
    }
    const sampler = new GaussianProcessSampler({
      kernel: options.gpKernel, alpha: options.gpAlpha, lengthScale: options.gpLengthScale, points: options.gpPoints, seed: options.seed,
    });
    const observation = new WhiteNoise({ sd: options.observationNoiseSd, seed: options.seed + 1 });
    let draw: Float64Array | null = null;
    let drawIndex = -1, position = 0;
    return () => {
      if (!draw || position >= draw.length) {
        if (drawIndex + 1 >= options.gpDraws || total >= options.maxSamples) return null;
        drawIndex++; position = 0;
        draw = observation.add([sampler.draw()])[0];
      }
      const n = take(Math.min(options.chunkLength, draw.length - position));
      if (n <= 0) return null;
      const data = [draw.slice(position, position + n)];
      const startSample = position;
      position += n; total += n;
      const endOfRun = total >= options.maxSamples || (position >= draw.length && drawIndex + 1 >= options.gpDraws);
      return { data, series: `draw-${drawIndex}`, startSample, endOfSeries: position >= draw.length || endOfRun, endOfRun };
    };
  }

  RED.nodes.registerType('resu-noise', ResuNoiseNode);
};
