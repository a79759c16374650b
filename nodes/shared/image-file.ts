/**
 * The one image loader of the package (resu-scanner, `resu scan`, `resu reproduce`). It reads a
 * file the way a runtime that must never stall can afford to:
 *   - opened read-only and non-blocking (O_NONBLOCK), so a FIFO opens at once instead of waiting
 *     for a writer (a FIFO path once froze the whole runtime), and checked on the opened handle
 *     (fstat): only a regular file is read, never a FIFO, socket, directory or device (/dev/zero
 *     grew memory at 500 MB/s); checking the handle, not the path, leaves no window to swap it;
 *   - at most `maxBytes` read, whatever the file claims or grows to;
 *   - decoded (and, for the scanner, converted to contrast) in a worker thread, with the pixel
 *     count capped from the header before decoding: a 67 kB PNG of 16384 × 1024 pixels blocked
 *     the event loop for 24 s;
 *   - errors name the path and the problem, never the file's content.
 * No Node-RED import, so the CLI uses it too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ContrastImage, ContrastOptions, LuminanceImage, ResuError } from '../../core';

/** Compressed images hold far fewer bytes than pixels; this only refuses absurd files early. */
export const BYTES_PER_PIXEL_LIMIT = 8;

/** A file that cannot be used as an image: the message names the path and the reason. */
export class ImageFileError extends ResuError {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ImageFileError';
  }
}

export interface ImageFileOptions {
  /** Largest width × height, checked from the header before decoding. */
  readonly maxPixels: number;
  /** Largest file size; default maxPixels × {@link BYTES_PER_PIXEL_LIMIT} + 1 MiB. */
  readonly maxBytes?: number;
  /** Stops the load (e.g. the node closes): the worker is terminated and the promise rejects. */
  readonly signal?: AbortSignal;
}

/** What the worker is asked to make. */
export type SceneRequest =
  | { kind: 'file'; bytes: Uint8Array; name: string; maxPixels: number; contrast?: ContrastOptions }
  | { kind: 'deadLeaves'; width: number; height: number; seed: number; contrast: ContrastOptions }
  | { kind: 'deadLeavesTorus'; size: number; seed: number; contrast: ContrastOptions };

/**
 * Reads a regular file of at most `maxBytes` without blocking on special files.
 * @throws ImageFileError (no such file, permission denied, not a regular file, too large).
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new ImageFileError(file, describeOpenError(err));
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new ImageFileError(file, 'is a directory');
    if (!stat.isFile()) throw new ImageFileError(file, `not a regular file (${fileKind(stat)}); only image files are read`);
    if (stat.size > maxBytes) throw new ImageFileError(file, `${stat.size} bytes is more than the ${maxBytes} bytes an image of the allowed size needs`);
    const buffer = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break; // shrank while reading: decode what is there
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } catch (err) {
    if (err instanceof ImageFileError) throw err;
    throw new ImageFileError(file, describeOpenError(err));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads and decodes a PNG or JPEG file to luminance (in a worker thread).
 * @throws ImageFileError for the file, ImageDecodeError-style messages for its content.
 */
export async function loadImageFile(file: string, options: ImageFileOptions): Promise<LuminanceImage> {
  const bytes = await readRegularFile(file, options.maxBytes ?? defaultMaxBytes(options.maxPixels));
  const result = await runSceneWorker({ kind: 'file', bytes, name: file, maxPixels: options.maxPixels }, options.signal);
  return { width: result.width, height: result.height, data: result.data };
}

/** Reads, decodes and converts a file to Weber contrast, all but the reading in a worker thread. */
export async function loadContrastImageFile(file: string, options: ImageFileOptions & { contrast: ContrastOptions }): Promise<ContrastImage> {
  const bytes = await readRegularFile(file, options.maxBytes ?? defaultMaxBytes(options.maxPixels));
  return runSceneWorker({ kind: 'file', bytes, name: file, maxPixels: options.maxPixels, contrast: options.contrast }, options.signal) as Promise<ContrastImage>;
}

/** Builds the built-in dead-leaves panorama and its contrast image in a worker thread. */
export function createContrastDeadLeaves(request: Omit<Extract<SceneRequest, { kind: 'deadLeaves' }>, 'kind'>, signal?: AbortSignal): Promise<ContrastImage> {
  return runSceneWorker({ kind: 'deadLeaves', ...request }, signal) as Promise<ContrastImage>;
}

/** Builds the built-in dead-leaves torus (size × size, periodic both ways; 2-D scanning) and its contrast image in a worker thread. */
export function createContrastDeadLeavesTorus(request: Omit<Extract<SceneRequest, { kind: 'deadLeavesTorus' }>, 'kind'>, signal?: AbortSignal): Promise<ContrastImage> {
  return runSceneWorker({ kind: 'deadLeavesTorus', ...request }, signal) as Promise<ContrastImage>;
}

export function defaultMaxBytes(maxPixels: number): number {
  return maxPixels * BYTES_PER_PIXEL_LIMIT + 1_048_576;
}

type WorkerResult = { width: number; height: number; data: Float64Array; degPerPixel?: number; wraps?: boolean; wrapsVertically?: boolean };

/** Runs one request in a fresh worker (terminated when done or aborted); the result's pixels are transferred, not copied. */
function runSceneWorker(request: SceneRequest, signal?: AbortSignal): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new ResuError('image loading stopped')); return; }
    const transfer = request.kind === 'file' ? [copyToOwnBuffer(request)] : [];
    const worker = new Worker(path.join(__dirname, 'image-worker.js'), { workerData: request, transferList: transfer });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => finish(() => reject(new ResuError('image loading stopped')));
    signal?.addEventListener('abort', onAbort);
    worker.once('message', (reply: { ok: true; result: WorkerResult } | { ok: false; message: string }) => {
      finish(() => (reply.ok ? resolve(reply.result) : reject(new ResuError(reply.message))));
    });
    worker.once('error', (err) => finish(() => reject(new ResuError(`image worker failed: ${err.message}`))));
    worker.once('exit', (code) => finish(() => reject(new ResuError(`image worker stopped (exit code ${code})`))));
  });
}

/** The request's bytes in a buffer of their own (transferable; a small Buffer may share Node's pool). */
function copyToOwnBuffer(request: Extract<SceneRequest, { kind: 'file' }>): ArrayBuffer {
  const own = new Uint8Array(request.bytes.length);
  own.set(request.bytes);
  request.bytes = own;
  return own.buffer;
}

function fileKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENXIO': return 'not a regular file (a device or socket that cannot be opened)';
    case 'ELOOP': return 'too many symbolic links';
    default: return `cannot be read (${code ?? 'error'})`;
  }
}
