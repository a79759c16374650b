/**
 * resu-scanner: the stimulus scanner. A row of pixels looks at a scene (the built-in dead-leaves
 * panorama or an image file) translating at a set angular velocity, and emits chunk messages. With
 * a lattice (2-D, docs/motion-2d.md) a square or hexagonal pixel lattice scans the built-in torus or
 * the image in any direction (core's Scanner2d); its chunks carry the lattice and pixel positions.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ContrastImage, sampleCount, Scanner, Scanner2d } from '../core';
import { MAX_SCENE_PIXELS, parseScannerConfig, ScannerNodeOptions } from './shared/config';
import { createContrastDeadLeaves, createContrastDeadLeavesTorus, loadContrastImageFile } from './shared/image-file';
import { writeChunkMessage } from './shared/messages';
import { compact, reportConfigError, setupStatefulNode } from './shared/node';
import { createSourceRunner, readCommand } from './shared/source';

export = function (RED: NodeAPI) {
  function ResuScannerNode(this: Node, raw: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, raw);
    const node = this;
    let options: ScannerNodeOptions;
    try {
      options = parseScannerConfig(raw);
    } catch (err) { reportConfigError(node, err); return; }
    const planar = options.lattice !== 'none';
    let scanner: Scanner | Scanner2d | null = null;
    // the scene is prepared off the event loop; closing the node stops a preparation in progress
    const closing = new AbortController();
    let pass = 0;
    let emitted = 0;
    const sequences = new Map<string, number>();
    // round-off safe: 0.29 s / 0.01 s is 29 samples, not floor(28.999…) = 28
    const maxSamples = sampleCount(options.maxDurationS, options.dtS);

    const runner = createSourceRunner({
      intervalMs: options.intervalMs,
      produce() {
        if (!scanner || emitted >= maxSamples) return false;
        let chunk = scanner.next(Math.min(options.chunkLength, maxSamples - emitted));
        if (!chunk && options.loop) { scanner.reset(); pass++; chunk = scanner.next(Math.min(options.chunkLength, maxSamples - emitted)); }
        if (!chunk) return false;
        // 2-D: the direction in the name, so scanners moving different ways can share downstream nodes
        const name = planar ? `dir${options.directionDeg}/${chunk.series}` : chunk.series;
        const series = pass === 0 ? name : `${name}/pass-${pass}`;
        const sequence = sequences.get(series) ?? 0;
        emitted += chunk.channels[0].length;
        // the duration cap ends the run: close the series so a restart (from sample 0) is a new series downstream
        const endOfRun = emitted >= maxSamples || (!options.loop && scanner.remainingSamples === 0);
        const endOfSeries = chunk.endOfSeries || endOfRun;
        if (endOfSeries) sequences.delete(series); else sequences.set(series, sequence + 1);
        node.send(writeChunkMessage({}, chunk.channels, {
          series, channels: chunk.channels.map((_, i) => `px${i}`), samplePeriodS: options.dtS,
          startSample: chunk.startSample, sequence, endOfSeries, endOfRun, signal: 'contrast', train: true, ...(planar ? { lattice: latticeMeta(options) } : {}),
        }));
        status.ok(`running · ${compact(emitted)} samples · ${(emitted * options.dtS).toFixed(1)} s`);
        return emitted < maxSamples;
      },
      onStop(finished) {
        const text = `${finished ? 'finished' : 'stopped'} · ${compact(emitted)} samples`;
        status.idle(text);
      },
      onError(err) { node.error(err, { payload: null, error: err.message }); status.failed(err); },
    });

    const { status } = setupStatefulNode(RED, node, {
      async onInput(msg) {
        const command = readCommand(msg) ?? 'start';
        if (command === 'stop') { runner.stop(); return; }
        if (command === 'reset') { runner.stop(); rewind(); status.idle('reset'); return; }
        if (!scanner) {
          status.idle(options.source === 'image' ? 'loading image…' : 'building scene…');
          const scene = await loadScene(options, closing.signal);
          scanner = planar ? new Scanner2d(scene, scanner2dOptions(options)) : new Scanner(scene, scannerOptions(options));
        }
        if (emitted >= maxSamples || scanner.remainingSamples === 0) rewind(); // a finished run starts over
        runner.start();
      },
      onClose() { closing.abort(); runner.stop(); scanner = null; sequences.clear(); },
    });

    /**
     * Back to the first row. Downstream nodes still hold a row left unfinished open (and would reject
     * its samples again as repeats), so once that has happened series names are never reused: the
     * next pass is named `row-<r>/pass-<p>` with a fresh p.
     */
    function rewind(): void {
      scanner?.reset();
      if (sequences.size > 0 || (pass > 0 && emitted > 0)) pass++;
      emitted = 0;
      sequences.clear();
    }
    if (options.autoStart) setImmediate(() => node.receive({ command: 'start' }));
    else status.idle('ready: send "start"');
  }

  RED.nodes.registerType('resu-scanner', ResuScannerNode);
};

/** The scene as contrast, prepared in a worker thread (image files: regular files only, ≤ MAX_SCENE_PIXELS pixels). */
function loadScene(options: ScannerNodeOptions, signal: AbortSignal): Promise<ContrastImage> {
  if (options.source === 'deadLeaves' && options.lattice !== 'none') {
    // 2-D: a sceneWidth × sceneWidth torus, 360° both ways, which a lattice can scan in any direction
    return createContrastDeadLeavesTorus({ size: options.sceneWidth, seed: options.seed, contrast: { fovDeg: 360, wrapVertically: true } }, signal);
  }
  if (options.source === 'deadLeaves') {
    return createContrastDeadLeaves({ width: options.sceneWidth, height: options.sceneHeight, seed: options.seed, contrast: { fovDeg: 360 } }, signal);
  }
  return loadContrastImageFile(options.imagePath, { maxPixels: MAX_SCENE_PIXELS, contrast: { fovDeg: options.fovDeg }, signal })
    .catch((err: Error) => { throw new Error(`cannot use image: ${err.message}`); });
}

function scannerOptions(options: ScannerNodeOptions) {
  return {
    pixels: options.pixels, spacingDeg: options.spacingDeg, dtS: options.dtS, direction: options.direction,
    zScoreRows: options.zScoreRows, ...(options.speedDegPerS > 0 ? { speedDegPerS: options.speedDegPerS } : {}),
  };
}

function latticeMeta(options: ScannerNodeOptions) {
  return { kind: options.lattice as 'square' | 'hexagonal', rows: options.rows, columns: options.columns, spacingDeg: options.spacingDeg };
}

function scanner2dOptions(options: ScannerNodeOptions) {
  return {
    lattice: latticeMeta(options), directionDeg: options.directionDeg, dtS: options.dtS, paths: options.paths, zScorePaths: options.zScoreRows,
    ...(options.speedDegPerS > 0 ? { speedDegPerS: options.speedDegPerS } : {}),
  };
}
