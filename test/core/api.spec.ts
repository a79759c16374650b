/**
 * The public surface of the package (issue 16): the runtime names of its two entries, `.` (the core,
 * core/index.ts) and `./experiments` (the paper reproduction), are the lists below, so adding or
 * removing an export is a conscious change here and in docs/core-api.md. Every export, types
 * included, carries TSDoc at its declaration. Both entries load by package name through
 * package.json "exports" in a plain Node process (no Node-RED module loaded), internals are not
 * reachable, and the example of docs/core-api.md runs and gives the exact CCA of its process.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { spawnNodeSync } from '../helpers/node-command';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string; files: string[]; exports: Record<string, string | Record<string, string>>;
};
const DOCS = fs.readFileSync(path.join(ROOT, 'docs', 'core-api.md'), 'utf8');

/** Runtime names of `require('<package>')`, grouped as docs/core-api.md groups them. */
const CORE_EXPORTS = [
  // learning
  'LaggedMoments', 'DEFAULT_MOMENTS_OPTIONS', 'truncatePastLags', 'MAX_LAGS', 'MAX_JOINT_DIMENSION', 'MAX_OPEN_SERIES',
  'solvePastFutureCca', 'DEFAULT_CCA_OPTIONS', 'CONDITION_WARNING_THRESHOLD', 'solveFromAutocovariance',
  'PastFutureLearner',
  'OnlinePastFutureCca', 'DEFAULT_ONLINE_CCA_OPTIONS', 'MAX_ONLINE_DIMENSION', 'MAX_ONLINE_RANK',
  // learned memory
  'StreamingAutocovariance', 'levinsonDurbin', 'estimateMemory', 'memoryAutocovarianceLags', 'memoryToJSON', 'DEFAULT_MAX_PAST_LAGS',
  // units
  'FirFilter', 'PastProjection', 'ResuUnit', 'rectify', 'UnitBank',
  // T4
  'T4Layer', 'T4_CHANNELS', 'DEFAULT_T4_OPTIONS', 'mirrorT4Weights', 'connectomeComparison', 'rowTriplets', 'MAX_T4_UNITS',
  'WeightedT4Moments', 'solveMirroredT4', 'solveMirroredT4Moments', 'trainGatedT4Pair', 'DEFAULT_GATED_T4_OPTIONS',
  'T4SeriesBuffer', 'DEFAULT_T4_BUFFER_SAMPLES', 'DEFAULT_T4_BUFFER_PIECES', 'T4PairTrainer', 'mirrorDeviation',
  // metrics and probe scoring
  'mutualInformationNats', 'mutualInformationBits', 'directionSelectivityIndex', 'summarizeDirectionTuning', 'cosineSimilarity',
  'ProbeScorer', 'scoreDirections', 'thresholdSweep', 'thresholdedScore', 'DEFAULT_FRACTIONS_KEPT',
  'DirectionTuningScorer', 'MAX_TUNING_UNITS', 'MAX_TUNING_DIRECTIONS',
  // serialization and federation
  'fitToJSON', 'fitFromJSON', 'FIT_FORMAT', 'FIT_VERSION',
  'StatisticsPool', 'createStatisticsMessage', 'isStatisticsMessage', 'STATISTICS_FORMAT', 'STATISTICS_VERSION',
  // stimuli
  'decodeImage', 'ImageDecodeError', 'DEFAULT_MAX_PIXELS', 'MAX_IMAGE_PIXELS',
  'toContrastImage', 'DEFAULT_CONTRAST_OPTIONS', 'createDeadLeavesImage', 'createDeadLeavesTorus', 'DEFAULT_DEAD_LEAVES_OPTIONS',
  'Scanner', 'sampleCount', 'DEFAULT_SCANNER_OPTIONS', 'MAX_SCANNER_CHUNK_VALUES',
  'Scanner2d', 'DEFAULT_SCANNER2D_OPTIONS', 'createLattice', 'axisTriplets', 'DEFAULT_LATTICE_OPTIONS', 'MAX_LATTICE_PIXELS',
  'LinearStateSpace', 'PAPER_OU_PRESET', 'stateSpaceAutocovariance', 'solveDiscreteLyapunov',
  'GaussianProcessSampler', 'gaussianProcessDraws', 'DEFAULT_GP_OPTIONS', 'MAX_GP_POINTS', 'WhiteNoise',
  'gratingProbe', 'edgeProbe', 'probePair', 'gratingPolarity', 'edgePolarity', 'gratingProbe2d', 'edgeProbe2d',
  'gratingPolarity2d', 'edgePolarity2d', 'directionRun2d',
  // randomness, buffers, validation, errors
  'Random', 'createRandom', 'allocateChannels', 'isCompactView',
  'requireFinite', 'requireInt', 'requireBoolean', 'requireOneOf', 'requireFiniteArray', 'isArrayLikeOfNumbers',
  'ResuError', 'ConfigError', 'ShapeError', 'NotEnoughDataError', 'DegenerateDataError',
];

/** Runtime names of `require('<package>/experiments')`. */
const EXPERIMENTS_EXPORTS = [
  'runReproduction', 'QUICK_CONFIG', 'FULL_CONFIG', 'EXPERIMENTS', 'CLAIM_REGISTRY', 'listProblems',
  'runOuExperiment', 'runGpExperiment', 'resolveGpSettings', 'learnLayerOne', 'naturalResult', 'runSnrExperiment',
  'runMotionExperiment', 'runAdaptationExperiment', 'runMotion2dExperiment', 'runBidirectionalExperiment',
  'runMemoryExperiment', 'runOnlineLearningExperiment',
  'OU_CLAIMS', 'GP_CLAIMS', 'NATURAL_CLAIMS', 'SNR_CLAIMS', 'MOTION_CLAIMS', 'ADAPTATION_CLAIMS', 'MOTION2D_CLAIMS',
  'BIDIRECTIONAL_CLAIMS', 'MEMORY_CLAIMS', 'ONLINE_CLAIMS', 'evaluateClaims', 'failedChecks', 'violations',
  'builtInScene', 'builtInTorusScene',
];

const sorted = (names: readonly string[]): string[] => [...names].sort();

/**
 * Every name an entry (an index.ts of named re-exports) exports, with the TSDoc of its declaration,
 * read from the TypeScript sources by syntax alone (no type checker: cheap under emulation too).
 */
function exportedDeclarations(entry: string): { name: string; module: string; documented: boolean }[] {
  const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const index = parse(entry);
  const out: { name: string; module: string; documented: boolean }[] = [];
  for (const statement of index.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    // an `export *` would export a module's internals unseen: the entries name what they export
    assert.ok(statement.exportClause && ts.isNamedExports(statement.exportClause), `${path.relative(ROOT, entry)}: ${statement.getText()} is not a named export list`);
    const module = path.resolve(path.dirname(entry), `${(statement.moduleSpecifier as ts.StringLiteral).text}.ts`);
    const source = parse(module);
    for (const element of statement.exportClause.elements) {
      const name = (element.propertyName ?? element.name).text;
      const declaration = source.statements.find((s) => {
        if (ts.isVariableStatement(s)) return s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
        return (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s))
          && s.name?.text === name;
      });
      assert.ok(declaration, `${name} is not declared in ${path.relative(ROOT, module)}`);
      out.push({ name, module: path.relative(ROOT, module), documented: ts.getJSDocCommentsAndTags(declaration).length > 0 });
    }
  }
  // the index's own exported declarations (experiments/index.ts declares runReproduction and its types)
  for (const statement of index.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => (d.name as ts.Identifier).text)
      : [((statement as ts.DeclarationStatement).name as ts.Identifier).text];
    for (const name of names) out.push({ name, module: path.relative(ROOT, entry), documented: ts.getJSDocCommentsAndTags(statement).length > 0 });
  }
  return out;
}

/** A temporary project whose node_modules holds this package (a symlink), as an installed dependency. */
function projectWithPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-api-'));
  const scope = path.join(dir, 'node_modules', path.dirname(PACKAGE.name));
  fs.mkdirSync(scope, { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', PACKAGE.name), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"resu-api-check","private":true}\n');
  return dir;
}

describe('the public API (core/index.ts, core/experiments/index.ts, package.json exports)', function () {
  let project: string;

  before(function () { project = projectWithPackage(); });
  after(function () { fs.rmSync(project, { recursive: true, force: true }); });

  it('the core entry exports exactly the listed runtime names', function () {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const core = require(path.join(ROOT, 'dist', 'core')) as Record<string, unknown>;
    assert.deepEqual(sorted(Object.keys(core)), sorted(CORE_EXPORTS));
    assert.equal(new Set(CORE_EXPORTS).size, CORE_EXPORTS.length, 'no name listed twice');
  });

  it('the experiments entry exports exactly the listed runtime names, and the core entry none of them', function () {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const experiments = require(path.join(ROOT, 'dist', 'core', 'experiments')) as Record<string, unknown>;
    assert.deepEqual(sorted(Object.keys(experiments)), sorted(EXPERIMENTS_EXPORTS));
    assert.deepEqual(EXPERIMENTS_EXPORTS.filter((name) => CORE_EXPORTS.includes(name)), []);
  });

  it('docs/core-api.md lists every runtime name of both entries', function () {
    const missing = [...CORE_EXPORTS, ...EXPERIMENTS_EXPORTS].filter((name) => !new RegExp(`\`${name}(?![A-Za-z0-9_])`).test(DOCS));
    assert.deepEqual(missing, []);
  });

  it('every export of both entries, types included, has TSDoc at its declaration', function () {
    const entries = [path.join(ROOT, 'core', 'index.ts'), path.join(ROOT, 'core', 'experiments', 'index.ts')];
    const declarations = entries.flatMap(exportedDeclarations);
    // the syntactic reading sees every runtime name (and the types besides)
    const seen = new Set(declarations.map((d) => d.name));
    assert.deepEqual([...CORE_EXPORTS, ...EXPERIMENTS_EXPORTS].filter((name) => !seen.has(name)), []);
    assert.deepEqual(declarations.filter((d) => !d.documented).map((d) => `${d.name} (${d.module})`), []);
  });

  it('package.json: every entry points at a built file (JavaScript and declarations) inside the published files', function () {
    const targets = Object.entries(PACKAGE.exports).filter(([key]) => key !== './package.json')
      .flatMap(([, value]) => (typeof value === 'string' ? [value] : Object.values(value)));
    assert.ok(targets.includes('./dist/core/experiments/index.js'));
    for (const target of targets) {
      assert.ok(fs.existsSync(path.join(ROOT, target)), `${target} exists after the build`);
      assert.ok(PACKAGE.files.some((entry) => path.posix.normalize(target).startsWith(path.posix.normalize(`./${entry}`))), `${target} is in "files"`);
    }
  });

  it('loads by package name in plain Node: both entries, no Node-RED module, internals not reachable', function () {
    const script = `
      const name = ${JSON.stringify(PACKAGE.name)};
      const core = require(name), alias = require(name + '/core'), experiments = require(name + '/experiments');
      let deep = null;
      try { require(name + '/dist/core/moments'); } catch (err) { deep = err.code; }
      const nodeRed = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/](node-red|@node-red)[\\\\/]/.test(file));
      console.log(JSON.stringify({ core: Object.keys(core), same: core === alias, experiments: Object.keys(experiments), deep, nodeRed,
        resolved: require.resolve(name), fit: core.fitToJSON(core.solvePastFutureCca(new core.LaggedMoments({ pastLags: 1, futureLags: 1 }).update([1, 2, 1, 3, 1, 2]))).format }));`;
    const result = spawnNodeSync(['-e', script], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { core: string[]; same: boolean; experiments: string[]; deep: string | null; nodeRed: string[]; resolved: string; fit: string };
    assert.deepEqual(sorted(out.core), sorted(CORE_EXPORTS));
    assert.equal(out.same, true, `${PACKAGE.name}/core is the same module as ${PACKAGE.name}`);
    assert.deepEqual(sorted(out.experiments), sorted(EXPERIMENTS_EXPORTS));
    assert.equal(out.deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
    assert.deepEqual(out.nodeRed, []);
    assert.equal(fs.realpathSync(out.resolved), path.join(ROOT, 'dist', 'core', 'index.js'));
    assert.equal(out.fit, 'resu-cca-fit');
  });

  it('the example of docs/core-api.md runs by package name and learns the exact CCA of its process', function () {
    const example = /## Example[^\n]*\n[\s\S]*?```js\n([\s\S]*?)```/.exec(DOCS);
    assert.ok(example, 'docs/core-api.md has a js block under "## Example"');
    const file = path.join(project, 'example.js');
    fs.writeFileSync(file, example[1]);
    const result = spawnNodeSync([file], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    const out = JSON.parse(result.stdout.trim()) as { learned: number[]; exact: number[]; l1Active: number; l2Active: number; l3Mean: number };
    // the process has exactly 3 non-zero canonical correlations; the sample ones (2·10⁵ samples, N pairs)
    // lie within 4 standard errors (1 − ρ²)/√N of them
    const pairs = 50 * 4000 - 50 + 1;
    assert.equal(out.learned.length, 3);
    out.learned.forEach((rho, i) => {
      assert.ok(Math.abs(rho - out.exact[i]) < 4 * (1 - out.exact[i] ** 2) / Math.sqrt(pairs), `ρ${i + 1} ${rho} vs exact ${out.exact[i]}`);
    });
    // ON and OFF rectify the same projection: at every sample exactly one of them is positive
    assert.ok(out.l1Active > 0 && out.l2Active > 0);
    assert.ok(Math.abs(out.l1Active + out.l2Active - 1) < 1e-12);
    assert.ok(Number.isFinite(out.l3Mean));
  });
});
