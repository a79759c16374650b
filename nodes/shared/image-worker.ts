/**
 * Worker thread of shared/image-file.ts: decodes an image (pixel cap checked from the header first)
 * and, when asked, converts it to contrast, or builds the dead-leaves panorama or torus; posts the result
 * with its pixel buffer transferred. Errors are posted as their message (never file content: the
 * decoder's messages are already stripped of it).
 */
import { parentPort, workerData } from 'worker_threads';
import { createDeadLeavesImage, createDeadLeavesTorus, decodeImage, toContrastImage } from '../../core';
import type { SceneRequest } from './image-file';

function build(request: SceneRequest) {
  if (request.kind === 'deadLeaves') {
    const image = createDeadLeavesImage({ width: request.width, height: request.height, seed: request.seed });
    return toContrastImage(image, request.contrast);
  }
  if (request.kind === 'deadLeavesTorus') return toContrastImage(createDeadLeavesTorus(request.size, request.seed), request.contrast);
  const image = decodeImage(request.bytes, request.name, { maxPixels: request.maxPixels });
  return request.contrast ? toContrastImage(image, request.contrast) : image;
}

try {
  const result = build(workerData as SceneRequest);
  parentPort!.postMessage({ ok: true, result }, [result.data.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
