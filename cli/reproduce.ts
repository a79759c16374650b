/**
 * `resu reproduce [--out DIR] [--seed S] [--image FILE ... --fov DEG] [--quick]` (issue 5): runs the
 * paper's five experiments (core/experiments), writes DIR/results.json and one SVG figure per
 * experiment, prints a summary table on stdout and progress on stderr. Same seed, same results.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { decodeImage, requireFinite, requireInt, ResuError, toContrastImage } from '../core';
import { ExperimentScene, ProgressEvent, ReproductionResults, runReproduction } from '../core/experiments';
import { parseArgs, UsageError } from './args';
import { FIGURES, renderSvg } from './figures';

export const REPRODUCE_USAGE = 'usage: resu reproduce [--out DIR] [--seed S] [--image FILE ... --fov DEG] [--quick]';

const HELP = `${REPRODUCE_USAGE}

Reproduces the paper's experiments with its parameters and writes into DIR (default ./resu-output):
  results.json     every number (keys: ou, gp, natural, motion, adaptation)
  ou.svg gp.svg natural.svg motion.svg adaptation.svg   one figure per experiment

  --out DIR     output directory (created if needed)
  --seed S      master seed (default 1); the same seed gives the same results.json
  --image FILE  a PNG or JPEG scene for the natural-scene and motion experiments (repeatable;
                all images are pooled). Without it a built-in dead-leaves panorama is used.
  --fov DEG     horizontal field of view of the images, degrees (default 360: a panorama that wraps)
  --quick       smaller run (fewer samples, draws and rows): under a minute`;

/** Reads, decodes and converts the images to contrast (the authors' pipeline). */
function loadScenes(files: readonly string[], fovDeg: number): ExperimentScene[] {
  return files.map((file) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ResuError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`);
    }
    const image = decodeImage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
    return { name: path.basename(file), builtIn: false, contrast: toContrastImage(image, { fovDeg }) };
  });
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

const f = (x: number, digits = 3): string => x.toFixed(digits);

/** The summary table: one line per experiment, result next to the paper's expectation. */
export function summaryTable(r: ReproductionResults): string {
  const ou = r.ou, nat = r.natural, mo = r.motion, ad = r.adaptation;
  const scene = nat.builtIn ? `built-in dead leaves${nat.source.length > 1 ? ` ×${nat.source.length}` : ''}` : nat.source.join(', ');
  const firstLobe = nat.filters.L1.findIndex((w) => w < 0);
  const rows: [string, string, string][] = [
    ['experiment', 'result', 'expected (paper)'],
    ['OU (Fig. 2B)', `ρ1-3 ${ou.rho.slice(0, 3).map((x) => f(x)).join(' ')} (population ${ou.populationRho.slice(0, 3).map((x) => f(x)).join(' ')}; SE ${ou.standardErrors.slice(0, 3).map((x) => f(x)).join(' ')})`, '3 non-zero ρ = population'],
    ['GP (Fig. 3)', `ψ2 sign changes ${r.gp.map((g) => `${g.signChanges} @ sd ${g.noise}`).join(', ')}`, 'fewer lobes as noise grows'],
    ['natural (Fig. 4)', `${scene}: ρ1 ${f(nat.rho[0])}, ρ2 ${f(nat.rho[1])}; ψ1 sum ${f(nat.filters.L3.reduce((a, x) => a + x, 0), 2)}; ψ2 + for ${firstLobe} taps, then −`, 'ψ1 low-pass, ψ2 derivative'],
    ['motion (Fig. 5)', `DSI T4a ${f(mo.dsi.T4a, 2)}, T4b ${f(mo.dsi.T4b, 2)} (ON edges; ON+OFF ${f(mo.dsiAllEdges.T4a, 2)}, ${f(mo.dsiAllEdges.T4b, 2)}); mirror dev ${f(mo.mirrorDeviation, 3)}; connectome cos ${f(mo.connectome.cosineSimilarity, 2)}`, 'DSI > 0, T4b = mirror(T4a)'],
    ['adaptation', `|corr| ≥ 0.9 after ${ad.lagVectorLengths.map((x, i) => `${x === null ? 'never' : x} (${ad.phases[i]}→${ad.phases[i + 1]})`).join(', ')} lag-vector lengths`, '≈ 10 lag-vector lengths'],
  ];
  // per-scene motion results right below the pooled one
  rows.splice(5, 0, ...r.motionPerScene.map((scene): [string, string, string] => [
    '  one scene', `${scene.source}: DSI T4a ${f(scene.dsi.T4a, 2)}, T4b ${f(scene.dsi.T4b, 2)}; mirror dev ${f(scene.mirrorDeviation, 3)}`, 'DSI per scene (§4.6)']));
  const widths = [0, 1].map((c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`).join('\n');
}

export async function reproduceCommand(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    out: { type: 'string' }, seed: { type: 'integer' }, image: { type: 'string', repeatable: true },
    fov: { type: 'number' }, quick: { type: 'flag' }, help: { type: 'flag' },
  });
  if (options.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (${REPRODUCE_USAGE})`);
  const images = (options.image as string[] | undefined) ?? [];
  if (options.fov !== undefined && images.length === 0) throw new UsageError('--fov applies to --image files; give at least one --image');
  const fovDeg = requireFinite('--fov', options.fov ?? 360, { min: 0, exclusiveMin: true, max: 360 });
  const seed = requireInt('--seed', options.seed ?? 1, { min: 0, max: 2 ** 31 });
  const out = path.resolve((options.out as string | undefined) ?? 'resu-output');
  const quick = options.quick === true;

  const started = Date.now();
  const scenes = loadScenes(images, fovDeg);
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
