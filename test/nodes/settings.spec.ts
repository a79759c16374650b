/**
 * One declaration per setting (nodes/shared/config.ts): the editor (the built dist/nodes/*.html,
 * evaluated with a stand-in RED), the runtime parser and the CLI must agree, for every setting of
 * every node, on the default and on which values are valid, and say the same thing about a bad one.
 * The browser test (test/browser/settings.spec.ts) checks the same validators in the real editor.
 */
import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import {
  axisTriplets, ConfigError, createDeadLeavesTorus, createLattice, DEFAULT_MAX_PAST_LAGS, DEFAULT_ONLINE_CCA_OPTIONS, LaggedMoments, LatticeOptions, MAX_JOINT_DIMENSION, MAX_LAGS,
  OnlinePastFutureCca, PastFutureLearner, Scanner2d, StatisticsPool, summarizeDirectionTuning, T4Layer, T4PairScheme, T4PairTrainer, toContrastImage,
} from '../../core';
import { parseArgs, readSettingFlags, settingOptions } from '../../cli/args';
import {
  CCA_SETTINGS, LEARN_SETTINGS, MIN_SHARED_SECRET_LENGTH, NODE_SETTINGS, parseLearnerConfig, parseProbeConfig, parseScannerConfig, parseT4Config, PROBE_SETTINGS, SCANNER_SETTINGS, T4_SETTINGS,
} from '../../nodes/shared/config';
import { MAX_CHUNK_VALUES } from '../../nodes/shared/messages';
import { poolingTriplets } from '../../nodes/shared/t4-pooling';
import { SETTINGS_MARKER } from '../../nodes/shared/editor';
import { settingsMarkdown } from '../../nodes/shared/settings-doc';
import { credentialsOf, parseSettings, readSetting, Setting, Settings, settingDefaults } from '../../nodes/shared/settings';

const ROOT = path.resolve(__dirname, '../../..');
const FC_SEED = 20261201;
type Validator = (this: Record<string, unknown>, value: unknown, opt: object) => boolean | string;
interface EditorDefinition {
  defaults: Record<string, { value: unknown; validate?: Validator }>;
  credentials?: Record<string, { type: string; validate?: Validator }>;
  oneditprepare?: () => void;
}

/** Runs the built .html's scripts with a stand-in RED and jQuery (no form open: validators read the node). */
function loadEditorDefinition(type: string): EditorDefinition {
  const html = fs.readFileSync(path.join(ROOT, 'dist', 'nodes', `${type}.html`), 'utf8');
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const registered: Record<string, EditorDefinition> = {};
  const RED = {
    nodes: { registerType: (name: string, def: EditorDefinition) => { registered[name] = def; } },
    validators: { typedInput: () => function () { return true; } },
  };
  const context = vm.createContext({ RED, $: () => ({ length: 0 }) });
  vm.runInContext('var window = this;', context);
  for (const script of scripts) vm.runInContext(script, context);
  assert.ok(registered[type], `${type}.html registers ${type}`);
  return registered[type];
}

/** Values that satisfy every `when` on the way to `name` (so the setting is used). */
function activeContext(settings: Settings, name: string): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (let when = settings[name].when; when; when = settings[when.field]?.when) context[when.field] = when.is[0];
  return context;
}

/** Boundary and malformed values for a setting, as the editor stores them (strings) and as flows hold them. */
function probes(spec: Setting): unknown[] {
  const common = ['', '   ', 'abc', null, true, 5, -5, 0, '0', '[1]'];
  switch (spec.kind) {
    case 'integer':
    case 'number':
    case 'typedNumber': {
      const { min, max } = spec;
      const values = [min, max, min - 1, max + 1, min - 1e-9, max * (1 + 1e-12) + 1e-9, (min + max) / 2, min + 0.5, Math.floor((min + max) / 2) + 0.25];
      const auto = spec.kind === 'integer' && spec.auto !== undefined ? ['auto', ' auto', 'AUTO', 'automatic'] : [];
      return [...common, ...auto, ...values, ...values.map(String), ` ${min} `, '0x10', '1e3', '1e-7', 'Infinity', '-Infinity', 'NaN', Number.NaN, Number.POSITIVE_INFINITY, '2.', '.5', '5e', '--5'];
    }
    case 'boolean':
      return [...common, false, 'true', 'false', 'yes', 1];
    case 'choice':
      return [...common, ...spec.choices.map(([value]) => value), ...spec.choices.map(([value]) => value.toUpperCase()), ` ${spec.choices[0][0]}`];
    case 'text':
      return [...common, 'store2', ' padded ', '/tmp/x.png'];
    case 'numberList': {
      const many = (n: number): string => Array.from({ length: n }, (_, i) => String(i + 1)).join(', ');
      return [...common, '20, 40, 80', '1;2 3', '1,,2', '0, 5', '-1', 'a, b', String(spec.max), String(spec.max * 2), [1, 2], [1, 'x'], many(spec.maxItems), many(spec.maxItems + 1), many(30)];
    }
    case 'credential': {
      const short = 'x'.repeat(spec.minLength - 1), enough = 'x'.repeat(spec.minLength);
      return [...common, short, enough, ` ${short}`, ' '.repeat(spec.minLength), 'ünïcödé-secret-of-24-chr', 'a'.repeat(4096), [enough], { secret: enough }];
    }
    case 'taps':
      return [...common, '[1, 2.5, -3]', '[]', '[1, "a"]', '[1, null]', '{"a": 1}', '[1e400]', JSON.stringify(new Array(spec.maxLength).fill(0.5)), JSON.stringify(new Array(spec.maxLength + 1).fill(0.5))];
    default:
      return common;
  }
}

/** The editor's verdict on a node: its defaults' validators and its credentials' (as in the edit form). */
function editorVerdict(definition: EditorDefinition, node: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, property] of [...Object.entries(definition.defaults), ...Object.entries(definition.credentials ?? {})]) {
    if (!property.validate) continue;
    assert.strictEqual(property.validate.length, 2, `${name}: a two-argument validator (Node-RED ignores a one-argument validator's message)`);
    const verdict = property.validate.call(node, node[name], {});
    if (verdict !== true) problems.push(typeof verdict === 'string' ? verdict : `${name}: invalid`);
  }
  return problems;
}

/** Splits a node as the tests write it into its flow configuration and its Node-RED credentials. */
function split(settings: Settings, node: Record<string, unknown>): { config: Record<string, unknown>; credentials: Record<string, unknown> } {
  const config = { ...node }, credentials: Record<string, unknown> = {};
  for (const name of Object.keys(credentialsOf(settings))) { if (name in config) credentials[name] = config[name]; delete config[name]; }
  return { config, credentials };
}

function runtimeVerdict(settings: Settings, raw: Record<string, unknown>): ConfigError | null {
  const { config, credentials } = split(settings, raw);
  try { parseSettings(settings, config, credentials); return null; } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

function cliVerdict(settings: Settings, name: string, value: unknown, context: Record<string, unknown>): ConfigError | null | 'not a CLI value' {
  const spec = settings[name];
  if (!spec.cli) return 'not a CLI value';
  let argv: string[];
  if (spec.kind === 'boolean') {
    if (value !== true && value !== false) return 'not a CLI value';
    argv = [value ? `--${spec.cli}` : `--no-${spec.cli}`];
  } else {
    if (typeof value !== 'string' && typeof value !== 'number') return 'not a CLI value';
    argv = [`--${spec.cli}`, String(value)];
  }
  try {
    readSettingFlags(settings, parseArgs(argv, settingOptions(settings)).options, context);
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

describe('node settings: one declaration, and editor, runtime and CLI agree', function () {
  for (const [type, settings] of Object.entries(NODE_SETTINGS)) {
    describe(type, function () {
      let definition: EditorDefinition;
      before(function () { definition = loadEditorDefinition(type); });

      it('the source .html declares no settings of its own (no defaults, validators or form rows)', function () {
        const source = fs.readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
        assert.ok(source.includes(SETTINGS_MARKER), `nodes/${type}.html has the ${SETTINGS_MARKER} line`);
        assert.match(source, new RegExp(`RED\\.nodes\\.registerType\\('${type}', \\{`));
        assert.doesNotMatch(source, /validate\s*:|data-template-name|node-input-|\bmin=|\bmax=/);
        assert.match(source, new RegExp(`defaults: ResuSettings\\.defaults\\('${type}'\\)`));
        // credentials (the shared secret) come from the declaration too, or there are none
        const hasCredentials = Object.keys(credentialsOf(settings)).length > 0;
        assert.strictEqual(new RegExp(`credentials: ResuSettings\\.credentials\\('${type}'\\)`).test(source), hasCredentials, `${type}: credentials from the declaration`);
        assert.strictEqual((source.match(/credentials\s*:/g) ?? []).length, hasCredentials ? 1 : 0);
      });

      it('the editor has every setting (and the name), with the runtime\'s default and a form row; credentials only as Node-RED credentials', function () {
        const credentials = Object.keys(credentialsOf(settings));
        assert.deepStrictEqual(Object.keys(definition.defaults), ['name', ...Object.keys(settings).filter((name) => !credentials.includes(name))]);
        assert.deepStrictEqual(Object.keys(definition.credentials ?? {}), credentials);
        const runtime = settingDefaults(settings);
        const html = fs.readFileSync(path.join(ROOT, 'dist', 'nodes', `${type}.html`), 'utf8');
        for (const name of credentials) {
          assert.strictEqual(definition.credentials![name].type, 'password', `${name}: a password credential`);
          assert.strictEqual(definition.credentials![name].validate!.length, 2, `${name}: a two-argument validator`);
          assert.ok(html.includes(`<input type="password" id="node-input-${name}"`), `${name}: a password field in the form`);
          assert.ok(html.includes(settings[name].hint!), `${name}: its hint shown in the form`);
        }
        for (const [name, spec] of Object.entries(settings)) {
          if (spec.kind === 'credential') continue;
          const editorDefault = definition.defaults[name].value;
          assert.deepStrictEqual(readSetting(settings, name, (field) => (field === name ? editorDefault : undefined)).value, runtime[name], `${name} default`);
          assert.ok(html.includes(`id="node-input-${name}"`), `${name} has an input in the form`);
        }
        assert.deepStrictEqual(editorVerdict(definition, { ...runtime, taps: '' }), [], 'the defaults are valid in the editor');
      });

      it('the CLI options take the runtime\'s defaults', function () {
        if (!Object.values(settings).some((spec) => spec.cli)) this.skip();
        const context = type === 'resu-scanner' ? { source: 'deadLeaves' } : {};
        assert.deepStrictEqual(readSettingFlags(settings, {}, context), parseSettings(settings, context));
      });

      for (const [name, spec] of Object.entries(settings)) {
        it(`${name}: editor, runtime and CLI accept and reject the same values, with the same reason`, function () {
          const context = activeContext(settings, name);
          const defaults = { ...settingDefaults(settings), taps: '', imagePath: '/tmp/scene.png', ...context };
          const check = (value: unknown): void => {
            const raw = { ...defaults, [name]: value };
            const runtime = runtimeVerdict(settings, raw);
            const editor = editorVerdict(definition, raw);
            const what = `${type}.${name} = ${JSON.stringify(value)}`;
            assert.strictEqual(editor.length === 0, runtime === null, `${what}: editor says ${JSON.stringify(editor)}, runtime says ${runtime?.message ?? 'valid'}`);
            if (runtime) {
              // the same field and reason (a bad value can make another field the one at fault, e.g. θ's type)
              const spec = settings[runtime.field];
              const label = `${spec.label}${spec.unit ? ` (${spec.unit})` : ''}`;
              assert.ok(editor.includes(`${label}: ${runtime.expected}`), `${what}: the editor says what the runtime says (${runtime.field}: ${runtime.expected}); editor: ${editor.join(' | ')}`);
            }
            const cli = cliVerdict(settings, name, value, type === 'resu-scanner' ? { ...context, source: context.source ?? 'deadLeaves', imagePath: 'x.png' } : context);
            if (cli !== 'not a CLI value' && value !== null && !(typeof value === 'number' && !Number.isFinite(value))) {
              assert.strictEqual(cli === null, runtime === null, `${what}: CLI says ${cli?.message ?? 'valid'}, runtime says ${runtime?.message ?? 'valid'}`);
              if (cli && runtime) assert.strictEqual(cli.expected, runtime.expected, `${what}: same reason`);
            }
          };
          for (const value of probes(spec)) check(value);
          // and anything else a user might type
          fc.assert(fc.property(fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constantFrom(...probes(spec).filter((v) => typeof v === 'string') as string[]).map((s) => `${s}0`)), (value) => { check(value); }), { seed: FC_SEED, numRuns: 150 });
          if (spec.when) {
            // not used under the other choices: never an error, the default applies
            const other = (settings[spec.when.field] as { choices?: readonly (readonly [string, string])[] }).choices?.map(([v]) => v).find((v) => !spec.when!.is.includes(v));
            if (other !== undefined) {
              const raw = { ...defaults, [spec.when.field]: other, [name]: 'abc' };
              assert.deepStrictEqual(editorVerdict(definition, raw), [], `${name} is not checked when ${spec.when.field} = ${other}`);
              assert.deepStrictEqual((parseSettings(settings, raw) as Record<string, unknown>)[name], settingDefaults(settings)[name]);
            }
          }
        });
      }
    });
  }

  it('the CLI reads node settings through the declaration (no range of its own in cli/)', function () {
    const flagsOf = (settings: Settings): string[] => Object.values(settings).map((spec) => spec.cli).filter((flag): flag is string => !!flag);
    const commands: [string, string[]][] = [
      ['learn.ts', flagsOf(LEARN_SETTINGS)], ['scan.ts', flagsOf(NODE_SETTINGS['resu-scanner'])], ['reproduce.ts', ['fov']],
    ];
    for (const [file, flags] of commands) {
      const source = fs.readFileSync(path.join(ROOT, 'cli', file), 'utf8');
      assert.match(source, /readSettingFlags\(/, `cli/${file} reads its settings with readSettingFlags`);
      for (const flag of flags) {
        assert.doesNotMatch(source, new RegExp(`require(Int|Finite|OneOf)\\('--${flag}'|'${flag}': \\{ type|\\b${flag}: \\{ type`), `cli/${file} declares or checks --${flag} itself`);
      }
    }
  });

  it('resu-cca and resu learn: the declaration accepts exactly the past, future, gap and channels the core learners accept (joint vector ≤ MAX_JOINT_DIMENSION, MAX_ONLINE_DIMENSION online)', function () {
    const cases: Record<string, unknown>[] = [];
    for (const pastLags of [1, 50, MAX_JOINT_DIMENSION - 51, MAX_JOINT_DIMENSION - 50, MAX_JOINT_DIMENSION - 49, MAX_LAGS]) {
      for (const futureLags of [1, 50, MAX_LAGS]) for (const gap of [0, MAX_LAGS]) cases.push({ pooling: 'channels', pastLags, futureLags, gap });
    }
    for (const channels of [2, 10, 11, 64]) {
      for (const pastLags of [1, 50, 500]) for (const futureLags of [1, 50]) cases.push({ pooling: 'joint', channels, pastLags, futureLags, gap: 0 });
    }
    let refused = 0;
    for (const raw of cases) {
      let core: unknown = null;
      try {
        new PastFutureLearner({ pooling: raw.pooling as 'channels', channels: raw.channels as number | undefined, pastLags: raw.pastLags as number, futureLags: raw.futureLags as number, gap: raw.gap as number });
      } catch (err) { core = err; }
      const node = runtimeVerdict(CCA_SETTINGS, raw);
      assert.strictEqual(node === null, core === null, `resu-cca ${JSON.stringify(raw)}: declaration ${node?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
      if (node) { refused++; assert.strictEqual(node.field, 'futureLags'); }
      if (raw.pooling === 'channels') {
        const { pooling: _pooling, ...flags } = raw;
        const learn = runtimeVerdict(LEARN_SETTINGS, flags);
        assert.strictEqual(learn === null, core === null, `resu learn ${JSON.stringify(flags)}: declaration ${learn?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
        // one input column with the online rule: its own, larger cap (every case here fits it)
        let online: unknown = null;
        try { new OnlinePastFutureCca({ channels: 1, pastLags: raw.pastLags as number, futureLags: raw.futureLags as number, gap: raw.gap as number }); } catch (err) { online = err; }
        const learnOnline = runtimeVerdict(LEARN_SETTINGS, { ...flags, rule: 'online' });
        assert.strictEqual(learnOnline === null, online === null, `resu learn --rule online ${JSON.stringify(flags)}: declaration ${learnOnline?.message ?? 'valid'}, core ${(online as Error | null)?.message ?? 'valid'}`);
        assert.strictEqual(online, null);
      }
    }
    assert.ok(refused >= 20, `${refused} refused`);
  });

  describe('federation settings of the learners (resu-cca, resu-t4)', function () {
    const SECRET = 'a shared secret of 32 characters';
    const parsers: [string, (raw: Record<string, unknown>, credentials?: unknown) => { sharedSecret: string; maxPeerShare: number }][] = [
      ['resu-cca', parseLearnerConfig], ['resu-t4', parseT4Config],
    ];

    it('the shared secret is a Node-RED credential: read only from the node\'s credentials, never from the flow, never echoed, not in the editor\'s defaults', function () {
      for (const [type, parse] of parsers) {
        const settings = NODE_SETTINGS[type];
        assert.deepStrictEqual(credentialsOf(settings), { sharedSecret: { type: 'password' } }, `${type} registers the secret as a password`);
        assert.strictEqual((settings.sharedSecret as Setting & { minLength: number }).minLength, MIN_SHARED_SECRET_LENGTH);
        assert.strictEqual(parse({}).sharedSecret, '', `${type}: none by default (unsigned snapshots)`);
        assert.strictEqual(parse({ sharedSecret: SECRET }, {}).sharedSecret, '', `${type}: a secret in the flow itself is ignored`);
        assert.strictEqual(parse({}, { sharedSecret: SECRET }).sharedSecret, SECRET);
        assert.strictEqual(parse({}, { sharedSecret: `  ${SECRET}  ` }).sharedSecret, `  ${SECRET}  `, `${type}: taken as typed, not trimmed`);
        assert.strictEqual(parse({}, { sharedSecret: '' }).sharedSecret, '');
        const short = 'fifteen-chars!!';
        assert.throws(() => parse({}, { sharedSecret: short }), (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.strictEqual(err.field, 'sharedSecret');
          assert.strictEqual(err.message, 'sharedSecret must be empty, or a string of at least 16 characters (got "(15 characters)")');
          assert.ok(!err.message.includes(short));
          return true;
        });
        const definition = loadEditorDefinition(type);
        assert.ok(!('sharedSecret' in definition.defaults), `${type}: not a default (it would be in the flow and its export)`);
        const validate = definition.credentials!.sharedSecret.validate!;
        assert.strictEqual(validate.call({}, '__PWRD__', {}), true, `${type}: a stored secret (the form's stand-in) is valid`);
        assert.strictEqual(validate.call({}, '', {}), true);
        assert.strictEqual(validate.call({}, SECRET, {}), true);
        assert.strictEqual(validate.call({}, short, {}), 'Shared secret: empty, or a string of at least 16 characters');
      }
    });

    it('maxPeerShare: the declaration accepts exactly what core\'s StatisticsPool accepts', function () {
      const moments = new LaggedMoments({ pastLags: 2, futureLags: 2 }).options;
      for (const maxPeerShare of [-1, 0, 1e-300, 1e-6, 0.25, 0.999, 1, 1 + 1e-12, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
        let core: unknown = null;
        try { new StatisticsPool(moments, 'cca', { maxPeerShare }); } catch (err) { core = err; }
        for (const [type] of parsers) {
          const declared = runtimeVerdict(NODE_SETTINGS[type], { maxPeerShare });
          assert.strictEqual(declared === null, core === null, `${type} maxPeerShare = ${maxPeerShare}: declaration ${declared?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
        }
      }
    });

    it('a learner from a flow written before the federation settings (no maxPeerShare, no credentials) is valid in the editor and at runtime: no cap, unsigned', function () {
      for (const [type, parse] of parsers) {
        const settings = NODE_SETTINGS[type];
        const { maxPeerShare: _cap, sharedSecret: _secret, ...older } = settingDefaults(settings) as Record<string, unknown>;
        const node = { id: 'older', type, name: '', ...older };
        assert.deepStrictEqual(editorVerdict(loadEditorDefinition(type), node), [], `${type}: valid in the editor`);
        const options = parse(node);
        assert.strictEqual(options.maxPeerShare, 1);
        assert.strictEqual(options.sharedSecret, '');
      }
      // the shipped examples are such flows
      const learners = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'))
        .flatMap((file) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as Record<string, unknown>[])
        .filter((n) => n.type === 'resu-cca' || n.type === 'resu-t4');
      assert.ok(learners.some((n) => n.maxPeerShare === undefined), 'an example learner without maxPeerShare');
      assert.ok(learners.every((n) => n.sharedSecret === undefined && n.credentials === undefined), 'no example carries a secret');
    });
  });

  describe('resu learn (LEARN_SETTINGS) and the CCA learner node: past length or "auto" with its P, the learning rule and its rate', function () {
    it('is the node\'s flagged settings, the same declarations (only Future h\'s cap is worded for the command line)', function () {
      const learn = LEARN_SETTINGS as Settings, node = CCA_SETTINGS as Settings;
      const flagged = Object.entries(node).filter(([, spec]) => spec.cli).map(([name]) => name);
      assert.deepStrictEqual(Object.keys(learn).sort(), flagged.sort());
      assert.deepStrictEqual(flagged.sort(), ['center', 'futureLags', 'gap', 'learningRate', 'maxPastLags', 'pastLags', 'ridge', 'rule'], 'the node offers the rule, its rate and "auto" with its P');
      for (const name of flagged) {
        if (name !== 'futureLags') { assert.strictEqual(learn[name], node[name], `${name} is the node's declaration`); continue; }
        const { rule, ...rest } = learn[name] as Setting & { rule: { test: unknown } };
        const { rule: nodeRule, ...nodeRest } = node[name] as Setting & { rule: { test: unknown } };
        assert.deepStrictEqual(rest, nodeRest);
        assert.strictEqual(rule.test, nodeRule.test, 'the node\'s rule');
      }
    });

    it('learningRate: the declaration accepts exactly what the online rule accepts, with its default', function () {
      const online = (learningRate?: number): number => new OnlinePastFutureCca({ pastLags: 2, futureLags: 2, learningRate }).options.learningRate;
      assert.strictEqual(settingDefaults(LEARN_SETTINGS).learningRate, online());
      assert.strictEqual(settingDefaults(LEARN_SETTINGS).learningRate, DEFAULT_ONLINE_CCA_OPTIONS.learningRate);
      for (const learningRate of [-1, 0, 1e-12, 0.5, 1, 1 + 1e-12, 2, Number.NaN]) {
        const declared = runtimeVerdict(LEARN_SETTINGS, { rule: 'online', learningRate });
        let core: unknown = null;
        try { online(learningRate); } catch (err) { core = err; }
        assert.strictEqual(declared === null, core === null, `μ0 = ${learningRate}: declaration ${declared?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
      }
    });

    it('criterion (node only): the default is the core learner\'s, and the choices are the ones it takes', function () {
      const x = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(0.3 * i) + 0.2 * Math.sin(1.7 * i + 1));
      const chosen = (criterion?: 'bic' | 'aic'): string => {
        const learner = new PastFutureLearner({ pastLags: 'auto', futureLags: 2, memory: { maxPastLags: 10, criterion } });
        learner.update(x);
        learner.solve();
        return learner.memory!.criterion;
      };
      assert.strictEqual(settingDefaults(CCA_SETTINGS).criterion, chosen());
      for (const [value] of CCA_SETTINGS.criterion.choices) assert.strictEqual(chosen(value), value);
      assert.strictEqual((CCA_SETTINGS.criterion as Setting).cli, undefined, 'resu learn chooses by BIC');
    });

    it('the CLI options take the declaration\'s defaults; P defaults to the core learner\'s', function () {
      const defaults = settingDefaults(LEARN_SETTINGS);
      assert.deepStrictEqual(readSettingFlags(LEARN_SETTINGS, {}), defaults);
      assert.strictEqual(defaults.maxPastLags, DEFAULT_MAX_PAST_LAGS);
      // the learner keeps its moments at P lags; without memory options it takes its own default P
      const learner = new PastFutureLearner({ pastLags: 'auto', futureLags: defaults.futureLags });
      assert.strictEqual(learner.moments.options.pastLags, defaults.maxPastLags);
    });

    for (const [name, spec] of Object.entries(LEARN_SETTINGS)) {
      it(`${name}: the CLI and the declaration's parser accept and reject the same values, with the same reason`, function () {
        const context = activeContext(LEARN_SETTINGS, name);
        const defaults = { ...settingDefaults(LEARN_SETTINGS), ...context };
        const check = (value: unknown): void => {
          const runtime = runtimeVerdict(LEARN_SETTINGS, { ...defaults, [name]: value });
          const cli = cliVerdict(LEARN_SETTINGS, name, value, context);
          if (cli === 'not a CLI value' || value === null || (typeof value === 'number' && !Number.isFinite(value))) return;
          const what = `resu learn ${name} = ${JSON.stringify(value)}`;
          assert.strictEqual(cli === null, runtime === null, `${what}: CLI says ${cli?.message ?? 'valid'}, declaration says ${runtime?.message ?? 'valid'}`);
          if (cli && runtime) assert.strictEqual(cli.expected, runtime.expected, `${what}: same reason`);
        };
        for (const value of [...probes(spec), 'auto', ' auto', 'AUTO', 'automatic']) check(value);
        fc.assert(fc.property(fc.oneof(fc.string(), fc.double(), fc.integer()), (value) => { check(value); }), { seed: FC_SEED, numRuns: 150 });
      });
    }

    it('pastLags: "auto" only where declared, with the declared reason', function () {
      assert.strictEqual(readSettingFlags(LEARN_SETTINGS, { past: 'auto' }).pastLags, 'auto');
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { past: 'automatic' }), { message: '--past must be an integer ≥ 1 and ≤ 1000 samples, or "auto" (got "automatic")' });
      assert.strictEqual(parseSettings(CCA_SETTINGS, { pastLags: 'auto' }).pastLags, 'auto');
      // not with the online rule: the node and the editor say why, the command line names its flags
      const why = 'the online rule learns filters of a fixed length from the first sample: choose m with the batch rule and "auto" first, then learn online with that m';
      assert.throws(() => parseSettings(CCA_SETTINGS, { pastLags: 'auto', rule: 'online' }), {
        message: `pastLags must be an integer ≥ 1 and ≤ 1000 samples, or "auto"; "auto" only with learning rule "batch" (${why}) (got "auto")`,
      });
      assert.strictEqual(loadEditorDefinition('resu-cca').defaults.pastLags.validate!.call({ rule: 'online' }, 'auto', {}),
        `Past m (samples): an integer ≥ 1 and ≤ 1000 samples, or "auto"; "auto" only with learning rule "batch" (${why})`);
      assert.strictEqual(loadEditorDefinition('resu-cca').defaults.pastLags.validate!.call({ rule: 'batch' }, 'auto', {}), true);
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { past: 'auto', rule: 'online' }), { message: `--past auto applies to --rule batch (${why})` });
      // a refused "auto" is no choice: what applies only to "auto" (P, the criterion) is not used,
      // so the editor hides those rows instead of offering settings of a choice it refuses
      for (const name of ['maxPastLags', 'criterion']) {
        const stored = (rule: string) => (field: string): unknown => ({ pastLags: 'auto', rule } as Record<string, unknown>)[field];
        assert.strictEqual(readSetting(CCA_SETTINGS, name, stored('batch')).active, true, `${name} with "auto" and the batch rule`);
        assert.strictEqual(readSetting(CCA_SETTINGS, name, stored('online')).active, false, `${name} with "auto" and the online rule`);
        assert.match(settingsMarkdown({ 'resu-cca': CCA_SETTINGS }), new RegExp(`\\| \`${name}\` \\|.*\\| when pastLags is \`auto\` and rule is \`batch\` \\|`));
      }
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { past: 'auto', rule: 'online', 'max-past': '20' }), { message: `--past auto applies to --rule batch (${why})` });
      // Past m "auto" models one scalar process: one channel, also with joint pooling
      assert.throws(() => parseSettings(CCA_SETTINGS, { pastLags: 'auto', pooling: 'joint', channels: 2 }), /channels must be an integer ≥ 1 and ≤ 64, and 1 with past m "auto"/);
      assert.strictEqual(parseSettings(CCA_SETTINGS, { pastLags: 'auto', pooling: 'joint', channels: 1 }).channels, 1);
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { past: '5', 'max-past': '20' }), { message: '--max-past applies to --past auto' });
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { rule: 'online', ridge: '1e-6' }), { message: '--ridge applies to --rule batch' });
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { rate: '0.5' }), { message: '--rate applies to --rule online' });
      assert.strictEqual(readSettingFlags(LEARN_SETTINGS, { past: '1000', future: '1000', rule: 'online' }).futureLags, 1000);
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { past: '1000', future: '1000' }), /--future must be .*\(past m \+ future h\) ≤ 1024, here \(1000 \+ 1000\) = 2000/);
      // unused, P keeps its default and is not checked against h
      assert.strictEqual(readSettingFlags(LEARN_SETTINGS, { past: '5', future: '900' }).futureLags, 900);
      assert.throws(() => readSettingFlags(LEARN_SETTINGS, { past: 'auto', future: '900' }), /--max-past must be an integer ≥ 1 and ≤ 1000 samples, and at most 124 with future h = 900/);
    });

    it('maxPastLags: the declaration refuses exactly what the core learner refuses (P ≤ MAX_LAGS, P + h ≤ MAX_JOINT_DIMENSION)', function () {
      let refused = 0;
      for (const futureLags of [1, 24, 50, MAX_JOINT_DIMENSION - MAX_LAGS, MAX_JOINT_DIMENSION - MAX_LAGS + 1, 500, MAX_LAGS]) {
        for (const maxPastLags of [0, 1, 200, MAX_JOINT_DIMENSION - futureLags - 1, MAX_JOINT_DIMENSION - futureLags, MAX_JOINT_DIMENSION - futureLags + 1, MAX_LAGS, MAX_LAGS + 1]) {
          const declared = runtimeVerdict(LEARN_SETTINGS, { pastLags: 'auto', futureLags, maxPastLags });
          let core: unknown = null;
          try { new PastFutureLearner({ pastLags: 'auto', futureLags, memory: { maxPastLags } }); } catch (err) { core = err; }
          assert.strictEqual(declared === null, core === null, `h = ${futureLags}, P = ${maxPastLags}: declaration ${declared?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
          if (declared) { assert.strictEqual(declared.field, 'maxPastLags'); refused++; }
        }
      }
      assert.ok(refused >= 14, `${refused} refused`);
    });
  });

  describe('2-D settings (issue 20): lattices, tuning directions, T4 pooling and training', function () {
    /** A lattice configuration that no other setting refuses (small chunks; the probe sends chunks, not whole runs). */
    const planar = (type: string, lattice: Record<string, unknown>): Record<string, unknown> => (type === 'resu-scanner'
      ? { chunkLength: 100, ...lattice } : { normalization: 'training', chunkLength: 100, ...lattice });

    it('resu-scanner and resu-grating accept exactly the lattices core\'s createLattice accepts (kind, rows, columns, spacing)', function () {
      let refused = 0, checked = 0;
      for (const type of ['resu-scanner', 'resu-grating']) {
        for (const kind of ['square', 'hexagonal', 'triangular']) {
          for (const rows of [0, 1, 3, 64, 65, 4096, 4097]) {
            for (const columns of [1, 3, 64, 65]) {
              for (const spacingDeg of [0, 0.5, 5, 90, 90.5, 180]) {
                const lattice = { kind, rows, columns, spacingDeg };
                let core: unknown = null;
                try { createLattice(lattice as LatticeOptions); } catch (err) { core = err; }
                const declared = runtimeVerdict(NODE_SETTINGS[type], planar(type, { lattice: kind, rows, columns, spacingDeg }));
                assert.strictEqual(declared === null, core === null, `${type} ${JSON.stringify(lattice)}: declaration ${declared?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
                if (declared) { refused++; assert.ok(['lattice', 'rows', 'spacingDeg', 'columns'].includes(declared.field), declared.message); }
                checked++;
              }
            }
          }
        }
      }
      assert.ok(refused > checked / 3 && refused < checked, `${refused} of ${checked} refused`);
      // without a lattice they are not used: a row keeps its own range (180° apart is fine)
      assert.doesNotThrow(() => parseScannerConfig({ lattice: 'none', rows: 0, spacingDeg: 180 }));
      assert.strictEqual(parseScannerConfig({ lattice: 'none', rows: 0 }).rows, 3);
    });

    it('resu-scanner: the extremes the declaration accepts (direction, paths, torus width) build core\'s Scanner2d on the torus; chunks stay within a chunk message', function () {
      const scene = toContrastImage(createDeadLeavesTorus(64, 1), { fovDeg: 360, wrapVertically: true });
      for (const directionDeg of [-360, -90, 0, 45, 360]) {
        for (const paths of [1, 10000]) {
          const options = parseScannerConfig({ lattice: 'hexagonal', rows: 2, columns: 3, directionDeg, paths, sceneWidth: 64 });
          const lattice = { kind: options.lattice as 'hexagonal', rows: options.rows, columns: options.columns, spacingDeg: options.spacingDeg };
          assert.doesNotThrow(() => new Scanner2d(scene, { lattice, directionDeg: options.directionDeg, dtS: options.dtS, paths: options.paths, zScorePaths: false }), `direction ${directionDeg}, ${paths} paths`);
        }
      }
      for (const [raw, field] of [[{ directionDeg: 360.5 }, 'directionDeg'], [{ paths: 0 }, 'paths'], [{ paths: 10001 }, 'paths'], [{ sceneWidth: 4097 }, 'sceneWidth']] as [Record<string, unknown>, string][]) {
        assert.strictEqual(runtimeVerdict(SCANNER_SETTINGS, { lattice: 'square', ...raw })?.field, field, JSON.stringify(raw));
      }
      // the torus is sceneWidth², within the scene cap; without a lattice the panorama keeps its own limit
      assert.strictEqual(parseScannerConfig({ lattice: 'square', sceneWidth: 4096 }).sceneWidth, 4096);
      assert.strictEqual(parseScannerConfig({ lattice: 'none', sceneWidth: 16384, sceneHeight: 1 }).sceneWidth, 16384);
      // a chunk of rows × columns channels: chunk length × pixels ≤ MAX_CHUNK_VALUES (readChunkMessage's cap), exactly
      const most = Math.floor(MAX_CHUNK_VALUES / (64 * 64));
      assert.strictEqual(parseScannerConfig({ lattice: 'square', rows: 64, columns: 64, chunkLength: most }).chunkLength, most);
      assert.strictEqual(runtimeVerdict(SCANNER_SETTINGS, { lattice: 'square', rows: 64, columns: 64, chunkLength: most + 1 })?.field, 'chunkLength');
      assert.strictEqual(runtimeVerdict(PROBE_SETTINGS, { lattice: 'square', rows: 64, columns: 64, normalization: 'training', chunkLength: most + 1 })?.field, 'chunkLength');
      // with normalization "probe-sd" a whole run is one chunk: samples × lattice pixels
      assert.strictEqual(runtimeVerdict(PROBE_SETTINGS, { lattice: 'square', rows: 64, columns: 64, segments: 1, segmentLength: most + 1 })?.field, 'segments');
      assert.strictEqual(runtimeVerdict(PROBE_SETTINGS, { lattice: 'square', rows: 64, columns: 64, segments: 1, segmentLength: most }), null);
    });

    it('resu-grating: a list of directions is accepted exactly when core\'s summarizeDirectionTuning finds the opposite of any peak, with no direction twice', function () {
      const twelve = Array.from({ length: 12 }, (_, i) => i * 30);
      const lists = [
        [0, 180], [0, 90, 180, 270], [0, 45, 90, 135, 180, 225, 270, 315], twelve, [-90, 90], [10, 190], [0, 180.0000005], [360, 180],
        [0, 90, 180], [0, 180.001], [0], [45, 135], [0, 180, 360], [0, 180, 180], [0, 180, 0.0000005], [-360, 0, 180],
      ];
      let refused = 0;
      for (const list of lists) {
        const peaks = list.map((_, p) => list.map((__, i) => (i === p ? 1 : 0)));
        const every = peaks.every((responses) => { try { summarizeDirectionTuning(list, responses); return true; } catch { return false; } });
        const twice = list.some((a, i) => list.slice(0, i).some((b) => Math.abs(((((a - b) % 360) + 540) % 360) - 180) < 1e-6));
        const declared = runtimeVerdict(PROBE_SETTINGS, { lattice: 'square', directionsDeg: list.join(', ') });
        assert.strictEqual(declared === null, every && !twice, `${list.join(', ')}: declaration ${declared?.message ?? 'valid'}, core ${every ? 'finds every opposite' : 'misses an opposite'}${twice ? ', a direction twice' : ''}`);
        if (declared) { refused++; assert.strictEqual(declared.field, 'directionsDeg'); }
      }
      assert.ok(refused >= 7, `${refused} refused`);
      assert.deepStrictEqual(parseProbeConfig({ lattice: 'hexagonal', directionsDeg: '90, 270' }).directionsDeg, [90, 270]);
      assert.deepStrictEqual(parseProbeConfig({ lattice: 'none', directionsDeg: '90' }).directionsDeg, [0, 45, 90, 135, 180, 225, 270, 315], 'not used without a lattice');
    });

    it('resu-t4: pooling is a row or one of core\'s lattice axes, training is one unit or one of core\'s T4PairTrainer schemes, with its seed range', function () {
      const lattice = { kind: 'hexagonal', rows: 5, columns: 4, spacingDeg: 5 } as const;
      const pooling = (T4_SETTINGS.pooling as Setting & { choices: readonly (readonly [string, string])[] }).choices.map(([value]) => value);
      assert.deepStrictEqual(pooling, ['row', 'horizontal', 'vertical']);
      assert.strictEqual(poolingTriplets('row', lattice, 20), undefined, 'a row: core\'s default, rowTriplets');
      for (const axis of ['horizontal', 'vertical'] as const) assert.deepStrictEqual(poolingTriplets(axis, lattice, 20), axisTriplets(createLattice(lattice), axis));
      const training = (T4_SETTINGS.training as Setting & { choices: readonly (readonly [string, string])[] }).choices.map(([value]) => value);
      assert.strictEqual(training[0], 'single');
      for (const scheme of training.slice(1)) assert.strictEqual(new T4PairTrainer(new T4Layer(), { scheme: scheme as T4PairScheme }).scheme, scheme);
      assert.throws(() => new T4PairTrainer(new T4Layer(), { scheme: 'single' as T4PairScheme }), ConfigError, 'single is one unit, not a pair scheme');
      for (const seed of [-1, 0, 7, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1.5]) {
        let core: unknown = null;
        try { new T4PairTrainer(new T4Layer(), { scheme: 'gated', seed }); } catch (err) { core = err; }
        const declared = runtimeVerdict(T4_SETTINGS, { training: 'gated', seed });
        assert.strictEqual(declared === null, core === null, `seed ${seed}: declaration ${declared?.message ?? 'valid'}, core ${(core as Error | null)?.message ?? 'valid'}`);
      }
      assert.strictEqual(parseT4Config({ training: 'mirrored', seed: -1 }).seed, 1, 'the seed is not used by the mirrored scheme');
    });

    it('the same reasons, word for word, for lattice settings users will meet', function () {
      assert.throws(() => parseScannerConfig({ lattice: 'square', rows: 64, columns: 65 }),
        { message: 'rows must be an integer ≥ 1 and ≤ 4096, and at most 63 for 65 columns (4096 lattice pixels) (got 64)' });
      assert.throws(() => parseScannerConfig({ lattice: 'hexagonal', spacingDeg: 120 }), { message: 'spacingDeg must be a finite number > 0 and ≤ 180°, and at most 90° with a lattice (got 120)' });
      assert.throws(() => parseProbeConfig({ lattice: 'square', directionsDeg: '0, 90, 180' }),
        { message: 'directionsDeg must be 1 to 72 numbers separated by commas, each ≥ -360 and ≤ 360°, and with the opposite of each (270° for 90°) (got "0, 90, 180")' });
      assert.strictEqual(loadEditorDefinition('resu-grating').defaults.directionsDeg.validate!.call({ lattice: 'square' }, '0, 180, 360', {}),
        'Directions (°): 1 to 72 numbers separated by commas, each ≥ -360 and ≤ 360°, and no direction twice (360° repeats 0°)');
      assert.strictEqual(loadEditorDefinition('resu-grating').defaults.directionsDeg.validate!.call({ lattice: 'none' }, '0, 180, 360', {}), true, 'no lattice: not used');
    });
  });

  it('every node of every example flow is valid in the editor and at runtime', function () {
    let count = 0;
    for (const file of fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'))) {
      for (const node of JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as Record<string, unknown>[]) {
        const settings = NODE_SETTINGS[node.type as string];
        if (!settings) continue;
        count++;
        assert.deepStrictEqual(editorVerdict(loadEditorDefinition(node.type as string), node), [], `${file}: ${String(node.name)}`);
        assert.strictEqual(runtimeVerdict(settings, node), null, `${file}: ${String(node.name)}`);
      }
    }
    assert.ok(count >= 30, `${count} ReSU nodes in the examples`);
  });

  it('the editor help (nodes/locales) documents every setting under its label, with the declared default and range', function () {
    const number = (text: string): number => Number(text.replace(/,/g, '').replace(/^10\^(\d+)$/, '1e$1'));
    let compared = 0;
    for (const [type, settings] of Object.entries(NODE_SETTINGS)) {
      const help = fs.readFileSync(path.join(ROOT, 'nodes', 'locales', 'en-US', `${type}.html`), 'utf8');
      const section = help.slice(help.indexOf('<h4>Settings</h4>'));
      const entries = new Map([...section.matchAll(/<dt>([^<]*?)\s*<span class="property-type">[^<]*<\/span><\/dt>\s*<dd>([\s\S]*?)<\/dd>/g)]
        .map((m) => [m[1].trim(), m[2].replace(/<sup>(\d+)<\/sup>/g, '^$1').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')]));
      for (const [name, spec] of Object.entries(settings)) {
        if (spec.kind === 'choice' && spec.hidden) continue;
        const label = `${spec.label}${spec.unit ? ` (${spec.unit})` : ''}`;
        const text = entries.get(label);
        assert.ok(text !== undefined, `${type} help: no Settings entry "${label}" (${name})`);
        if (spec.kind === 'numberList') {
          assert.ok(text!.includes(`default ${spec.default}`), `${type} help, ${label}: does not say "default ${spec.default}"`);
          compared++;
          continue;
        }
        const stated = /default (-?[\d.]+(?:e-?\d+)?|on|off)\b/.exec(text!);
        if (stated && spec.kind !== 'text' && spec.kind !== 'taps') {
          const declared = spec.kind === 'boolean' ? (spec.default ? 'on' : 'off') : String(spec.default);
          assert.ok(stated[1] === declared || number(stated[1]) === Number(declared), `${type} help, ${label}: says default ${stated[1]}, declared ${declared}`);
          compared++;
        }
        const range = /(?:^|[\s(:])(10\^\d+|-?\d[\d.,]*(?:e-?\d+)?)–(10\^\d+|\d[\d.,]*(?:e\d+)?)/.exec(text!);
        if (range && 'min' in spec) {
          assert.deepStrictEqual([number(range[1]), number(range[2])], [spec.min, spec.max], `${type} help, ${label}: says ${range[1]}–${range[2]}`);
          compared++;
        }
      }
    }
    assert.ok(compared >= 60, `${compared} defaults and ranges compared`);
  });

  it('docs/nodes.md and the resu learn table of docs/cli.md list every setting as declared (npm run docs:settings rewrites them)', function () {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'nodes.md'), 'utf8');
    assert.ok(page.includes(settingsMarkdown(NODE_SETTINGS)), 'docs/nodes.md is out of date: run npm run docs:settings');
    const cli = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
    assert.ok(cli.includes(settingsMarkdown({ 'resu learn': LEARN_SETTINGS })), 'docs/cli.md (resu learn) is out of date: run npm run docs:settings');
  });

  it('the same reasons, word for word, in examples users will meet', function () {
    const cca = NODE_SETTINGS['resu-cca'];
    assert.throws(() => parseSettings(cca, { pastLags: '0' }), { message: 'pastLags must be an integer ≥ 1 and ≤ 1000 samples, or "auto" (got "0")' });
    assert.throws(() => parseSettings(cca, { pastLags: '1000' }), { message: 'futureLags must be an integer ≥ 1 and ≤ 1000 samples, and (past m + future h) ≤ 1024, here (1000 + 50) = 1050 (got 50)' });
    assert.strictEqual(loadEditorDefinition('resu-cca').defaults.futureLags.validate!.call({ pastLags: '50', pooling: 'joint', channels: '64' }, '50', {}),
      'Future h (samples): an integer ≥ 1 and ≤ 1000 samples, and channels × (past m + future h) ≤ 1024, here 64 × (50 + 50) = 6400');
    assert.strictEqual(loadEditorDefinition('resu-cca').defaults.pastLags.validate!.call({}, '0', {}), 'Past m (samples): an integer ≥ 1 and ≤ 1000 samples, or "auto"');
    const scanner = NODE_SETTINGS['resu-scanner'];
    assert.throws(() => parseSettings(scanner, { pixels: 100, chunkLength: 100000 }), /chunkLength must be an integer ≥ 1 and ≤ 100000 samples, and at most 40000 for 100 pixels \(4e6 values per chunk message\)/);
    assert.throws(() => parseSettings(scanner, { source: 'image' }), /imagePath must be a PNG or JPEG file path/);
    assert.doesNotThrow(() => parseSettings(scanner, { source: 'deadLeaves', imagePath: '', fovDeg: 'ignored' }));
  });
});
