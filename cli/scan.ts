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
import { SCANNER_SETTINGS } from '../nodes/shared/config';
import { parseArgs, readSettingFlags, renameFields, settingFlagNames, settingHelp, settingOptions, UsageError } from './args';

export const SCAN_USAGE = 'usage: resu scan [--image FILE] [--fov DEG] [--fwhm DEG] [--local-mean-sd DEG] [--pixels N] [--spacing DEG] '
  + '[--speed DEG_PER_S] [--dt S] [--duration S] [--direction left|right] [--rows LIST] [--zscore] [--noise SD] [--seed N] '
  + '[--width PX] [--height PX] [--start DEG] [--max-pixels N] [--digits N] [--series-column]';

const HELP = `${SCAN_USAGE}

Scans an image (or, without --image, a seeded dead-leaves panorama) with a row of pixels and prints
one line per time step, one column per pixel. Each image row is one series, introduced by a
"# row-<r>" comment line (resu learn skips comment lines but pools everything into one series).
The options shared with the scanner node take the node's defaults and ranges:

${settingHelp(SCANNER_SETTINGS).join('\n')}
  --image FILE        PNG or JPEG (8/16-bit, grey or colour → Rec. 601 luminance)
  --fwhm DEG          photoreceptor blur FWHM (default 5.7); --local-mean-sd DEG (default 20)
  --duration S        scan duration per row (default one revolution, or what fits the image)
  --start DEG         angle of pixel 0 at t = 0 (default 0, or what fits the image)
  --rows LIST         rows to scan, e.g. 0-9,20,30 (default all)
  --noise SD          add white Gaussian noise of this sd (after z-scoring), seeded with seed + 1
  --max-pixels N      largest image accepted (default ${DEFAULT_MAX_PIXELS})
  --digits N          significant digits printed (default 8)
  --series-column     prepend the row index as the first column`;

/** Core option names → the CLI options that set them, so errors name what the user typed. */
const FLAG_NAMES: Readonly<Record<string, string>> = {
  ...settingFlagNames(SCANNER_SETTINGS),
  // the core's names where they differ from the scanner node's settings, and the CLI-only options
  width: 'width', height: 'height', maxRadius: 'width', durationPerRowS: 'duration', startDeg: 'start',
  fwhmDeg: 'fwhm', localMeanSdDeg: 'local-mean-sd', maxPixels: 'max-pixels', rows: 'rows', sd: 'noise',
};

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
    ...settingOptions(SCANNER_SETTINGS),
    image: { type: 'string' }, fwhm: { type: 'number' }, 'local-mean-sd': { type: 'number' },
    duration: { type: 'number' }, rows: { type: 'string' }, noise: { type: 'number' },
    start: { type: 'number' }, 'max-pixels': { type: 'integer' }, digits: { type: 'integer' },
    'series-column': { type: 'flag' }, help: { type: 'flag' },
  });
  if (options.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (give the image with --image FILE)`);
  const imageFile = options.image as string | undefined;
  if (imageFile !== undefined && (options.width !== undefined || options.height !== undefined)) {
    throw new UsageError('--width and --height size the built-in scene; they cannot be used with --image');
  }
  const settings = readSettingFlags(SCANNER_SETTINGS, options, { source: imageFile === undefined ? 'deadLeaves' : 'image', imagePath: imageFile ?? '' });
  const seed = settings.seed;
  const digits = requireInt('--digits', options.digits ?? 8, { min: 1, max: 17 });
  const maxPixels = requireInt('--max-pixels', options['max-pixels'] ?? DEFAULT_MAX_PIXELS, { min: 1, max: MAX_IMAGE_PIXELS });
  const noiseSd = requireFinite('--noise', options.noise ?? 0, { min: 0, max: 1e6 });
  const seriesColumn = options['series-column'] === true;

  let scanner: Scanner;
  let sceneText: string;
  try {
    const image = imageFile !== undefined
      ? await loadImageFile(imageFile, { maxPixels })
      : createDeadLeavesImage({ width: settings.sceneWidth, height: settings.sceneHeight, seed, maxPixels });
    sceneText = imageFile !== undefined ? `image=${JSON.stringify(imageFile)}` : `scene=dead-leaves seed=${seed}`;
    const scene = toContrastImage(image, {
      fovDeg: settings.fovDeg, fwhmDeg: options.fwhm as number | undefined,
      localMeanSdDeg: options['local-mean-sd'] as number | undefined,
    });
    const scannerOptions: ScannerOptions = {
      pixels: settings.pixels,
      spacingDeg: settings.spacingDeg,
      // 0: one image pixel per sample (the core's default speed), as in the scanner node
      speedDegPerS: settings.speedDegPerS > 0 ? settings.speedDegPerS : undefined,
      dtS: settings.dtS,
      durationPerRowS: options.duration as number | undefined,
      direction: settings.direction,
      startDeg: options.start as number | undefined,
      rows: options.rows === undefined ? undefined : parseRowList(options.rows as string, image.height),
      zScoreRows: settings.zScoreRows,
    };
    scanner = new Scanner(scene, scannerOptions);
    sceneText += ` ${image.width}x${image.height} fov=${settings.fovDeg}deg degPerPixel=${scene.degPerPixel}`;
  } catch (err) {
    throw renameFields(err, FLAG_NAMES);
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
