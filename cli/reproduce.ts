/**
 * `resu reproduce [--out DIR] [--seed S] [--image FILE ... --fov DEG] [--quick]` (issues 5, 15): runs
 * the paper's experiments (core/experiments), writes DIR/results.json and one SVG figure per
 * experiment, prints the claims table (every figure claim, its expectation and PASS/FAIL) on stdout
 * and progress on stderr. Same seed, same results.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_MAX_PIXELS, requireInt, ResuError, toContrastImage } from '../core';
import { loadImageFile } from '../nodes/shared/image-file';
import { ClaimResult, ExperimentScene, failedChecks, ProgressEvent, ReproductionResults, runReproduction } from '../core/experiments';
import { SCANNER_SETTINGS } from '../nodes/shared/config';
import { parseArgs, readSettingFlags, settingOptions, UsageError } from './args';
import { FIGURES, renderSvg } from './figures';

export const REPRODUCE_USAGE = 'usage: resu reproduce [--out DIR] [--seed S] [--image FILE ... --fov DEG] [--quick]';

const HELP = `${REPRODUCE_USAGE}

Reproduces the paper's experiments with its parameters, checks every figure claim against a
declared expectation, and writes into DIR (default ./resu-output):
  results.json     every number (keys: ou, gp, natural, snr, motion, adaptation; beyond the paper:
                   motion2d, bidirectional, memory, online), the claims with their verdicts,
                   the violated ones, and every value that could not be computed
  ou.svg gp.svg natural.svg snr.svg motion.svg adaptation.svg motion2d.svg bidirectional.svg
  memory.svg online.svg   one figure per experiment

The memory experiment (docs/memory.md) chooses the past length from the data: checked on the OU
example, reported (REPORT, no verdict) on the natural scenes. The online experiment
(docs/online-learning.md) compares the online learning rule with the exact batch CCA.

  --out DIR     output directory (created if needed)
  --seed S      master seed (default 1); the same seed gives the same results.json
  --image FILE  a PNG or JPEG scene for the natural-scene and motion experiments (repeatable;
                all images are pooled). Without it a built-in dead-leaves panorama is used.
  --fov DEG     horizontal field of view of the images, degrees (default 360: a panorama that wraps)
  --quick       smaller run (fewer samples, draws, rows and switches): about a minute

Exit status 0 even when claims fail: the verdicts are results, listed on stdout and in results.json.`;

/** Reads and decodes the images (shared/image-file.ts: regular files only, decoded off the main thread) and converts them to contrast (the authors' pipeline). */
async function loadScenes(files: readonly string[], fovDeg: number): Promise<ExperimentScene[]> {
  const scenes: ExperimentScene[] = [];
  for (const file of files) {
    const image = await loadImageFile(file, { maxPixels: DEFAULT_MAX_PIXELS });
    scenes.push({ name: path.basename(file), builtIn: false, contrast: toContrastImage(image, { fovDeg }) });
  }
  return scenes;
}

/** Progress on stderr: each experiment's start and end, and at most one line per second between. */
function progressPrinter(stderr: NodeJS.WritableStream): (event: ProgressEvent) => void {
  let current = '', started = 0, lastLine = 0;
  return (event) => {
    const now = Date.now();
    if (event.experiment !== current) {
      current = event.experiment; started = now; lastLine = now;
      stderr.write(`[${event.experiment}] ${event.step}\n`);
    } else if (event.step === 'done') {
      stderr.write(`[${event.experiment}] done in ${((now - started) / 1000).toFixed(1)} s\n`);
    } else if (now - lastLine >= 1000) {
      lastLine = now;
      stderr.write(`[${event.experiment}] ${Math.round(event.fraction * 100)}% ${event.step}\n`);
    }
  };
}

const VERDICT = { true: 'PASS', false: 'FAIL', null: 'N/A' } as const;
const verdictText = (c: ClaimResult): string => (c.kind === 'report' ? 'REPORT' : VERDICT[String(c.pass) as keyof typeof VERDICT]);
/** Problems printed on stdout; the rest are in results.json. */
const MAX_PROBLEMS_SHOWN = 10;

/**
 * The summary: one block per claim (verdict, figure, id, measured; then the expectation; REPORT for
 * numbers shown without a verdict), the violated claims and the values that could not be computed.
 */
export function summaryTable(r: ReproductionResults): string {
  const scene = r.natural.builtIn ? `built-in dead leaves${r.natural.source.length > 1 ? ` ×${r.natural.source.length}` : ''}` : r.natural.source.join(', ');
  const checks = r.claims.filter((c) => c.kind === 'check'), reports = r.claims.length - checks.length;
  const counts = { pass: checks.filter((c) => c.pass === true).length, fail: checks.filter((c) => c.pass === false).length, na: checks.filter((c) => c.pass === null).length };
  const width = { figure: Math.max(6, ...r.claims.map((c) => c.figure.length)), id: Math.max(5, ...r.claims.map((c) => c.id.length)) };
  const indent = ' '.repeat(9 + width.figure + 2 + width.id + 2);
  const lines = [
    `${checks.length} claims: ${counts.pass} pass, ${counts.fail} fail, ${counts.na} not evaluated; ${reports} reported without a verdict (seed ${r.seed}, ${r.quick ? 'quick' : 'full'} run, scenes: ${scene})`,
    `${'verdict'.padEnd(9)}${'figure'.padEnd(width.figure + 2)}${'claim'.padEnd(width.id + 2)}result / expected`,
  ];
  for (const c of r.claims) {
    lines.push(`${verdictText(c).padEnd(9)}${c.figure.padEnd(width.figure + 2)}${c.id.padEnd(width.id + 2)}${c.measured}`);
    lines.push(`${indent}expected: ${c.expectation}`);
  }
  const failed = failedChecks(r.claims).map((c) => c.id);
  lines.push(`violations: ${failed.length === 0 ? 'none' : failed.join(', ')}`);
  lines.push(`problems: ${r.problems.length === 0 ? 'none' : `${r.problems.length}`}`);
  for (const problem of r.problems.slice(0, MAX_PROBLEMS_SHOWN)) lines.push(`  ${problem}`);
  if (r.problems.length > MAX_PROBLEMS_SHOWN) lines.push(`  … ${r.problems.length - MAX_PROBLEMS_SHOWN} more in results.json`);
  return lines.join('\n');
}

export async function reproduceCommand(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    out: { type: 'string' }, seed: { type: 'integer' }, image: { type: 'string', repeatable: true },
    ...settingOptions({ fovDeg: SCANNER_SETTINGS.fovDeg }), quick: { type: 'flag' }, help: { type: 'flag' },
  });
  if (options.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (${REPRODUCE_USAGE})`);
  const images = (options.image as string[] | undefined) ?? [];
  if (options.fov !== undefined && images.length === 0) throw new UsageError('--fov applies to --image files; give at least one --image');
  // the scanner node's image field of view: same default and range
  const { fovDeg } = readSettingFlags({ fovDeg: SCANNER_SETTINGS.fovDeg }, options, { source: 'image' });
  const seed = requireInt('--seed', options.seed ?? 1, { min: 0, max: 2 ** 31 });
  const out = path.resolve((options.out as string | undefined) ?? 'resu-output');
  const quick = options.quick === true;

  const started = Date.now();
  const scenes = await loadScenes(images, fovDeg);
  io.stderr.write(`resu reproduce: ${quick ? 'quick' : 'full'} run, seed ${seed}, scenes: ${scenes.length > 0 ? scenes.map((s) => s.name).join(', ') : 'built-in dead-leaves panoramas'}\n`);
  const results = runReproduction({ seed, quick, scenes, onProgress: progressPrinter(io.stderr) });
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results)}\n`);
  io.stderr.write('[figures] rendering SVG\n');
  for (const { file, build } of FIGURES) fs.writeFileSync(path.join(out, file), await renderSvg(build(results)));
  io.stdout.write(`${summaryTable(results)}\n`);
  io.stderr.write(`resu reproduce: wrote results.json and ${FIGURES.map((x) => x.file).join(', ')} to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}
