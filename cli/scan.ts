/**
 * `resu scan`: runs the natural-scene scanner (docs/method.md §3) on a PNG/JPEG panorama or on the
 * built-in dead-leaves scene and writes one line per time step, one column per pixel, so the output
 * pipes into `resu learn`.
 *
 * Output: a `#` header line with every setting (seed included), then for each image row a
 * `# row-<r>` line followed by that row's samples. `resu learn` skips `#` lines but reads its input
 * as ONE series, so (past + future − 1) pairs per row boundary straddle two rows; with the default
 * 1024 samples per row and m = h = 50 that is ~10% of the pairs. `--series-column` prepends the row
 * index as column 0 for tools that split series by a column.
 */
import {
  ConfigError, createDeadLeavesImage, DEFAULT_MAX_PIXELS, MAX_IMAGE_PIXELS,
  ResuError, Scanner, ScannerOptions, toContrastImage, WhiteNoise, requireFinite, requireInt,
} from '../core';
import { loadImageFile } from '../nodes/shared/image-file';
import { parseArgs, UsageError } from './args';

export const SCAN_USAGE = 'usage: resu scan [--image FILE] [--fov DEG] [--fwhm DEG] [--local-mean-sd DEG] [--pixels N] [--spacing DEG] '
  + '[--speed DEG_PER_S] [--dt S] [--duration S] [--direction left|right] [--rows LIST] [--zscore] [--noise SD] [--seed N] '
  + '[--width PX] [--height PX] [--start DEG] [--max-pixels N] [--digits N] [--series-column]';

const HELP = `${SCAN_USAGE}

Scans an image (or, without --image, a seeded dead-leaves panorama) with a row of pixels and prints
one line per time step, one column per pixel. Each image row is one series, introduced by a
"# row-<r>" comment line (resu learn skips comment lines but pools everything into one series).

  --image FILE        PNG or JPEG (8/16-bit, grey or colour → Rec. 601 luminance)
  --fov DEG           horizontal field of view of the image (default 360: wraps around)
  --fwhm DEG          photoreceptor blur FWHM (default 5.7); --local-mean-sd DEG (default 20)
  --pixels N          pixels (default 3); --spacing DEG between them (default 5)
  --speed DEG_PER_S   scene speed (default one image pixel per step); --dt S sample interval (0.01)
  --duration S        scan duration per row (default one revolution, or what fits the image)
  --direction D       right (scene moves toward higher pixel numbers; default) or left
  --rows LIST         rows to scan, e.g. 0-9,20,30 (default all)
  --zscore            z-score each pixel signal of each row (as the authors did)
  --noise SD          add white Gaussian noise of this sd (after z-scoring), seeded with seed + 1
  --seed N            seed of the dead-leaves scene (default 1)
  --width/--height PX size of the dead-leaves scene (default 1024 × 64)
  --digits N          significant digits printed (default 8)
  --series-column     prepend the row index as the first column`;

/** Core option names → the CLI options that set them, so errors name what the user typed. */
const OPTION_NAMES: [RegExp, string][] = [
  [/^pixels × spacingDeg\b/, '--pixels × --spacing'], [/^durationPerRowS \/ dtS\b/, '--duration / --dt'],
  [/^width × height\b/, '--width × --height'], [/^pixels\b/, '--pixels'], [/^spacingDeg\b/, '--spacing'],
  [/^speedDegPerS\b/, '--speed'], [/^dtS\b/, '--dt'], [/^durationPerRowS\b/, '--duration'], [/^direction\b/, '--direction'],
  [/^startDeg\b/, '--start'], [/^rows\[\d+\]/, '--rows'], [/^fovDeg\b/, '--fov'], [/^fwhmDeg\b/, '--fwhm'],
  [/^localMeanSdDeg\b/, '--local-mean-sd'], [/^width\b/, '--width'], [/^height\b/, '--height'], [/^maxRadius\b/, '--width'],
  [/^maxPixels\b/, '--max-pixels'], [/^sd\b/, '--noise'],
];

function renameOptionError(err: unknown): unknown {
  if (!(err instanceof ConfigError)) return err;
  for (const [pattern, option] of OPTION_NAMES) {
    if (pattern.test(err.message)) return new ConfigError(option, err.value, err.message.replace(pattern, '').replace(/^ must be /, '').replace(/ \(got [^)]*\)$/, ''));
  }
  return err;
}

/** "0-9,20,30" → [0, …, 9, 20, 30]. */
export function parseRowList(text: string, height: number): number[] {
  const rows: number[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw new ConfigError('--rows', text, 'a comma-separated list of row numbers and ranges like 0-9,20');
    const first = Number(match[1]), last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) throw new ConfigError('--rows', text, 'ranges that run upward, like 2-5');
    if (last >= height) throw new ConfigError('--rows', text, `row numbers from 0 to ${height - 1} (the image has ${height} rows)`);
    for (let r = first; r <= last; r++) rows.push(r);
  }
  return rows;
}

function formatter(digits: number): (v: number) => string {
  return (v) => String(Number(v.toPrecision(digits)));
}

export async function scanCommand(argv: readonly string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    image: { type: 'string' }, fov: { type: 'number' }, fwhm: { type: 'number' }, 'local-mean-sd': { type: 'number' },
    pixels: { type: 'integer' }, spacing: { type: 'number' }, speed: { type: 'number' }, dt: { type: 'number' },
    duration: { type: 'number' }, direction: { type: 'string' }, rows: { type: 'string' }, zscore: { type: 'flag' },
    noise: { type: 'number' }, seed: { type: 'integer' }, width: { type: 'integer' }, height: { type: 'integer' },
    start: { type: 'number' }, 'max-pixels': { type: 'integer' }, digits: { type: 'integer' },
    'series-column': { type: 'flag' }, help: { type: 'flag' },
  });
  if (options.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (give the image with --image FILE)`);
  const imageFile = options.image as string | undefined;
  if (imageFile !== undefined && (options.width !== undefined || options.height !== undefined)) {
    throw new UsageError('--width and --height size the built-in scene; they cannot be used with --image');
  }
  const seed = requireInt('--seed', options.seed ?? 1, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const digits = requireInt('--digits', options.digits ?? 8, { min: 1, max: 17 });
  const maxPixels = requireInt('--max-pixels', options['max-pixels'] ?? DEFAULT_MAX_PIXELS, { min: 1, max: MAX_IMAGE_PIXELS });
  const noiseSd = requireFinite('--noise', options.noise ?? 0, { min: 0, max: 1e6 });
  const seriesColumn = options['series-column'] === true;

  let scanner: Scanner;
  let sceneText: string;
  try {
    const image = imageFile !== undefined
      ? await loadImageFile(imageFile, { maxPixels })
      : createDeadLeavesImage({ width: options.width as number | undefined, height: options.height as number | undefined, seed, maxPixels });
    sceneText = imageFile !== undefined ? `image=${JSON.stringify(imageFile)}` : `scene=dead-leaves seed=${seed}`;
    const scene = toContrastImage(image, {
      fovDeg: options.fov as number | undefined, fwhmDeg: options.fwhm as number | undefined,
      localMeanSdDeg: options['local-mean-sd'] as number | undefined,
    });
    const scannerOptions: ScannerOptions = {
      pixels: options.pixels as number | undefined,
      spacingDeg: options.spacing as number | undefined,
      speedDegPerS: options.speed as number | undefined,
      dtS: options.dt as number | undefined,
      durationPerRowS: options.duration as number | undefined,
      direction: options.direction as 'left' | 'right' | undefined,
      startDeg: options.start as number | undefined,
      rows: options.rows === undefined ? undefined : parseRowList(options.rows as string, image.height),
      zScoreRows: options.zscore === true,
    };
    scanner = new Scanner(scene, scannerOptions);
    sceneText += ` ${image.width}x${image.height} fov=${options.fov ?? 360}deg degPerPixel=${scene.degPerPixel}`;
  } catch (err) {
    throw renameOptionError(err);
  }
  const noise = noiseSd > 0 ? new WhiteNoise({ sd: noiseSd, seed: (seed + 1) % Number.MAX_SAFE_INTEGER }) : null;
  const format = formatter(digits);

  let failed: Error | null = null;
  const onError = (err: Error): void => { failed = err; };
  io.stdout.on('error', onError);
  try {
    const write = async (text: string): Promise<boolean> => {
      if (failed) return false;
      if (!io.stdout.write(text)) {
        await new Promise<void>((resolve) => {
          const done = (): void => { io.stdout.removeListener('drain', done); io.stdout.removeListener('error', done); io.stdout.removeListener('close', done); resolve(); };
          io.stdout.once('drain', done); io.stdout.once('error', done); io.stdout.once('close', done);
        });
      }
      return !failed;
    };
    await write(`# resu scan ${sceneText} pixels=${scanner.pixels} spacing=${scanner.spacingDeg}deg speed=${scanner.speedDegPerS}deg/s `
      + `dt=${scanner.dtS}s direction=${scanner.direction} samplesPerRow=${scanner.samplesPerRow} rows=${scanner.rows.length} `
      + `delay=${Number(scanner.samplesPerSpacing.toPrecision(6))}samples zscore=${scanner.zScoreRows} noise=${noiseSd}\n`);
    for (let chunk = scanner.next(4096); chunk; chunk = scanner.next(4096)) {
      const channels = noise ? noise.add(chunk.channels) : chunk.channels;
      const lines: string[] = chunk.startSample === 0 ? [`# ${chunk.series}`] : [];
      const n = channels[0].length;
      for (let k = 0; k < n; k++) {
        const fields = seriesColumn ? [String(chunk.row)] : [];
        for (const channel of channels) fields.push(format(channel[k]));
        lines.push(fields.join(' '));
      }
      if (!(await write(`${lines.join('\n')}\n`))) break;
    }
  } finally {
    io.stdout.removeListener('error', onError);
  }
  const failure = failed as NodeJS.ErrnoException | null;
  // A reader that stops early (`resu scan | head`) is not an error.
  if (failure && failure.code !== 'EPIPE') throw new ResuError(`cannot write output: ${failure.message}`);
  return 0;
}
