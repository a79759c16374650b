/**
 * Node settings in the real editor (chromium + playwright-core, Node-RED 4.1 here and Node-RED 5
 * in scripts/test-nr5.sh), used the way a person uses them:
 *   - each of the seven nodes dragged from the palette is valid with its defaults;
 *   - in every node, every field that can be typed into flags −5, 0, "abc" and an empty value
 *     (where the declaration says they are bad) with Node-RED's red field and the reason as its
 *     tooltip, and clears when a good value comes back;
 *   - a bad value gives the node the red triangle (RED.editor.validateNode → node.valid false),
 *     deploying warns with the node listed, and the runtime refuses it with the same reason;
 *   - every field of every node survives Done → reopen, Deploy → reload, Export → Import; the
 *     learners' shared secret as a Node-RED credential: kept through Done, stored by Deploy in the
 *     credentials file (the editor then shows its stand-in), never in the flow or an Export;
 *   - a bad peer share cap gives the learners a red field and a red node;
 *   - the CCA learner's form shows the settings of its learning rule, P and the criterion with Past m
 *     "auto", and marks "auto" red with the online rule.
 * Expected verdicts come from the declaration (nodes/shared/config.ts) through `readSetting`.
 * Screenshots: test-output/settings-*-nr<Node-RED major version>.png.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { NODE_SETTINGS } from '../../nodes/shared/config';
import { readSetting, Setting, Settings } from '../../nodes/shared/settings';
import { launchChromium, OUTPUT, recordPageErrors } from './chromium';
import { NodeRedProcess, startNodeRed } from './node-red-process';

const TYPES = Object.keys(NODE_SETTINGS);
const TAB = 'settings-tab';
type Form = Record<string, string | boolean>;

/** The label Node-RED shows for a setting (and that starts its messages). */
const labelOf = (spec: Setting): string => `${spec.label}${spec.unit ? ` (${spec.unit})` : ''}`;

/** What the declaration says of `value` typed into `name`, the other fields holding `form`. */
function verdict(settings: Settings, name: string, value: string, form: Form): string | null {
  const result = readSetting(settings, name, (field) => (field === name ? value : form[field]));
  return result.error === undefined ? null : `${labelOf(settings[name])}: ${result.error}`;
}

/** A valid value different from the default, as the form holds it. */
function otherValue(spec: Setting, name: string): string | boolean {
  switch (spec.kind) {
    case 'integer': return String(spec.default === spec.min ? spec.min + 1 : spec.min);
    case 'number':
      if (spec.default !== spec.min && !spec.exclusiveMin) return String(spec.min);
      return String(spec.default !== spec.min ? (spec.min + spec.default) / 2 : spec.min + 0.5);
    case 'typedNumber': return 'theta'; // with the type msg
    case 'boolean': return !spec.default;
    case 'choice': return spec.hidden ? 'msg' : spec.choices.find(([value]) => value !== spec.default)![0];
    case 'taps': return '[0.5, -0.25, 0.125]';
    // a list with a rule: the probe's tuning directions, each with its opposite
    case 'numberList': return spec.rule ? '10, 190' : '10, 30.5';
    case 'text': return spec.list === 'contextStores' ? 'file' : spec.required ? '/tmp/resu-scene.png' : `${name}-7`; // 'file': configured in settings.js
    case 'credential': return `secret for ${name} of the test`.padEnd(spec.minLength, '#');
    default: return '';
  }
}

/** Every setting's value after the test types its other values in (the form as saved). */
function otherValues(type: string): Form {
  const settings = NODE_SETTINGS[type];
  const form: Form = { name: `saved ${type}` };
  for (const [name, spec] of Object.entries(settings)) form[name] = otherValue(spec, name);
  return form;
}

declare const RED: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const $: any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('node settings in the real editor: red fields, red nodes, saved fields', function () {
  this.timeout(600_000);
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  let browserErrors: string[] = [];
  const ids: Record<string, string> = {};
  let major = '';
  const shot = (name: string): string => path.join(OUTPUT, `settings-${name}-nr${major}.png`);

  before(async function () {
    browser = await launchChromium(this);
    red = await startNodeRed({ flows: [{ id: TAB, type: 'tab', label: 'Settings' }], fileStore: true });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    browserErrors = recordPageErrors(page);
    await openEditor();
    major = String(await page.evaluate(() => RED.settings.version)).split('.')[0];
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(OUTPUT, `failed-settings-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      // leave no dialog open for the next test
      if (await page.locator('#node-dialog-cancel').isVisible().catch(() => false)) await page.click('#node-dialog-cancel').catch(() => undefined);
    }
  });

  async function openEditor(): Promise<void> {
    await page.goto(red!.url);
    await page.waitForSelector('#red-ui-palette-container-ReSU', { state: 'attached', timeout: 60_000 });
    await page.waitForFunction((tab) => typeof RED !== 'undefined' && RED.nodes.workspace(tab) !== undefined && typeof RED.editor?.validateNode === 'function', TAB);
  }

  async function openDialog(id: string): Promise<void> {
    await page.evaluate((nodeId) => RED.view.reveal(nodeId), id);
    await page.locator(`[id="${id}"] .red-ui-flow-node`).first().dblclick();
    await page.waitForSelector('#node-input-name', { state: 'visible' });
    await page.waitForFunction(() => !$('.red-ui-tray').is(':animated'));
  }

  async function closeDialog(button: 'ok' | 'cancel'): Promise<void> {
    await page.click(`#node-dialog-${button}`);
    await page.waitForSelector('#node-input-name', { state: 'detached' });
  }

  /** The element a person types into (a TypedInput hides the original input behind its own). */
  const typedInput = (name: string) => page.locator(`#node-input-${name} + .red-ui-typedInput-container`);
  async function fieldOf(name: string) {
    return (await typedInput(name).count()) > 0 ? typedInput(name).locator('input.red-ui-typedInput-input') : page.locator(`#node-input-${name}`);
  }
  /** Where Node-RED puts the red `input-error` class: the input, or the TypedInput's container. */
  async function markedOf(name: string) {
    return (await typedInput(name).count()) > 0 ? typedInput(name) : page.locator(`#node-input-${name}`);
  }

  /** Types into a text field the way a person does (keystrokes, so Node-RED's keyup handler validates). */
  async function typeInto(name: string, value: string): Promise<void> {
    const input = await fieldOf(name);
    await input.fill(value);
    await input.press('End');
  }

  async function isRed(name: string): Promise<boolean> {
    return (await markedOf(name)).evaluate((el) => el.classList.contains('input-error'));
  }

  /** Sets `field` to `value`: a dropdown's choice, or typed (Past m "auto"). */
  async function setControl(settings: Settings, field: string, value: string): Promise<void> {
    if (settings[field].kind === 'choice') await page.selectOption(`#node-input-${field}`, value); else await typeInto(field, value);
  }

  /** Shows the rows of `name`: gives the setting its `when` names a value that uses it (and that value what it needs). */
  async function activate(settings: Settings, name: string): Promise<void> {
    const when = settings[name].when;
    if (!when) return;
    await activate(settings, when.field);
    const control = settings[when.field];
    // Past m "auto" (for P and the criterion) needs the batch rule
    const autoWhen = control.kind === 'integer' && when.is.includes('auto') ? control.autoWhen : undefined;
    if (autoWhen && !autoWhen.is.includes(await page.inputValue(`#node-input-${autoWhen.field}`))) await setControl(settings, autoWhen.field, autoWhen.is[0]);
    const current = await page.inputValue(`#node-input-${when.field}`);
    if (!when.is.includes(current)) await setControl(settings, when.field, when.is[0]);
  }

  /** Which of `names` have their form row shown. */
  async function shownRows(names: string[]): Promise<string[]> {
    return page.evaluate((all) => all.filter((name) => $(`#node-input-${name}`).closest('.form-row').is(':visible')), names);
  }

  async function readForm(settings: Settings): Promise<Form> {
    return page.evaluate((names) => {
      const form: Record<string, string | boolean> = {};
      for (const name of names) {
        const input = $(`#node-input-${name}`);
        form[name] = input.attr('type') === 'checkbox' ? input.prop('checked') : input.val();
      }
      return form;
    }, ['name', ...Object.keys(settings)]);
  }

  it('runs on the Node-RED the test run asks for', function () {
    // scripts/test-nr5.sh sets RESU_NODE_RED_MAJOR=5: the editor must really be served by Node-RED 5
    if (process.env.RESU_NODE_RED_MAJOR) assert.strictEqual(major, process.env.RESU_NODE_RED_MAJOR, 'Node-RED major version of the editor');
    assert.match(major, /^\d+$/);
  });

  it('each node dragged from the palette is valid with its defaults', async function () {
    await page.evaluate((tab) => RED.workspaces.show(tab), TAB);
    const chart = page.locator('#red-ui-workspace-chart');
    const box = (await chart.boundingBox())!;
    for (const [i, type] of TYPES.entries()) {
      const entry = page.locator(`#red-ui-palette-container-ReSU .red-ui-palette-node[data-palette-type="${type}"]`);
      await entry.scrollIntoViewIfNeeded();
      const from = (await entry.boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      const x = box.x + 160 + (i % 2) * 300, y = box.y + 60 + Math.floor(i / 2) * 90;
      await page.mouse.move(x, y, { steps: 12 });
      await page.mouse.up();
      const id = await page.evaluate((t) => RED.nodes.filterNodes({ type: t })[0]?.id as string | undefined, type);
      assert.ok(id, `${type} dropped from the palette`);
      ids[type] = id;
    }
    const states = await page.evaluate((all) => Object.entries(all).map(([t, id]) => {
      const node = RED.nodes.node(id);
      RED.editor.validateNode(node);
      return [t, node.valid, node.validationErrors];
    }), ids);
    for (const [type, valid, errors] of states) assert.ok(valid, `${type} valid with its defaults: ${JSON.stringify(errors)}`);
    for (const type of TYPES) assert.ok(!(await page.locator(`[id="${ids[type]}"] .red-ui-flow-node-error`).isVisible()), `${type}: no red triangle`);
    await page.screenshot({ path: shot('palette-nodes') });
  });

  it('every typed field of every node shows a red field with the reason as its tooltip for −5, 0, "abc" and empty', async function () {
    let checked = 0, flagged = 0;
    for (const type of TYPES) {
      const settings = NODE_SETTINGS[type];
      await openDialog(ids[type]);
      for (const [name, spec] of Object.entries(settings)) {
        if (!['integer', 'number', 'numberList', 'typedNumber', 'taps', 'text', 'credential'].includes(spec.kind)) continue;
        if (spec.kind === 'text' && spec.list) continue; // a dropdown of valid choices: nothing to type
        await activate(settings, name);
        const good = await page.inputValue(`#node-input-${name}`);
        const bad = spec.kind === 'taps' ? ['[1, "x"]', 'abc'] : spec.kind === 'text' ? [''] : ['-5', '0', 'abc', ''];
        for (const value of bad) {
          await typeInto(name, value);
          const expected = verdict(settings, name, value, await readForm(settings));
          const marked = await isRed(name);
          assert.strictEqual(marked, expected !== null, `${type}.${name} = ${JSON.stringify(value)}: red field ${marked}, declaration says ${expected ?? 'valid'}`);
          checked++;
          if (expected === null) continue;
          flagged++;
          if (value === bad[0]) {
            // the reason is the tooltip on the field
            await (await markedOf(name)).hover();
            const tooltip = page.locator('.red-ui-popover-content', { hasText: expected });
            await tooltip.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => { throw new Error(`${type}.${name}: no tooltip "${expected}"`); });
            if (type === 'resu-cca' && name === 'pastLags') await page.screenshot({ path: shot('red-field') });
            await page.mouse.move(5, 5);
          }
        }
        // back to a good value: what it held, or (an image path the image source needs) the test's own
        const restored = verdict(settings, name, good, await readForm(settings)) === null ? good : otherValue(spec, name) as string;
        await typeInto(name, restored);
        assert.ok(!(await isRed(name)), `${type}.${name}: back to ${JSON.stringify(restored)}, no longer red`);
      }
      await closeDialog('cancel');
    }
    assert.ok(flagged >= 150, `${flagged} of ${checked} typed values flagged`);
  });

  it('a bad peer share cap gives each learner a red field with the reason and the red triangle, and 1 clears both', async function () {
    for (const type of ['resu-cca', 'resu-t4']) {
      const settings = NODE_SETTINGS[type];
      await openDialog(ids[type]);
      assert.strictEqual(await page.inputValue('#node-input-maxPeerShare'), '1', `${type}: the default shown`);
      await typeInto('maxPeerShare', '1.5');
      const expected = verdict(settings, 'maxPeerShare', '1.5', {});
      assert.strictEqual(expected, 'Peer share cap: a finite number > 0 and ≤ 1');
      assert.ok(await isRed('maxPeerShare'), `${type}: red field for 1.5`);
      await page.locator('#node-input-maxPeerShare').hover();
      await page.locator('.red-ui-popover-content', { hasText: expected! }).first().waitFor({ state: 'visible', timeout: 5000 });
      if (type === 'resu-cca') await page.screenshot({ path: shot('peer-share-red-field') });
      await page.mouse.move(5, 5);
      await closeDialog('ok');
      const state = await page.evaluate((id) => { const node = RED.nodes.node(id); RED.editor.validateNode(node); return { valid: node.valid, errors: node.validationErrors }; }, ids[type]);
      assert.deepStrictEqual(state, { valid: false, errors: [expected] }, `${type}: invalid with a peer share cap of 1.5`);
      await page.locator(`[id="${ids[type]}"] .red-ui-flow-node-error`).waitFor({ state: 'visible' });
      await openDialog(ids[type]);
      await typeInto('maxPeerShare', '1');
      assert.ok(!(await isRed('maxPeerShare')), `${type}: 1 is not red`);
      await closeDialog('ok');
      assert.ok(await page.evaluate((id) => { const node = RED.nodes.node(id); RED.editor.validateNode(node); return node.valid; }, ids[type]), `${type}: valid again`);
      await page.locator(`[id="${ids[type]}"] .red-ui-flow-node-error`).waitFor({ state: 'hidden' });
    }
  });

  it('the CCA learner\'s form shows the chosen rule\'s settings; Past m "auto" shows P and the criterion, and turns red (hiding them) with the online rule', async function () {
    const settings = NODE_SETTINGS['resu-cca'];
    const ruleDependent = Object.keys(settings).filter((name) => settings[name].when?.field === 'rule' || settings[name].when?.field === 'pastLags');
    const batchOnly = ruleDependent.filter((name) => settings[name].when!.is.includes('batch'));
    assert.deepStrictEqual(batchOnly, ['timeConstantSamples', 'ridge', 'publishEveryPairs', 'sourceId', 'sharedSecret', 'maxPeerShare']);
    await openDialog(ids['resu-cca']);
    assert.deepStrictEqual(await shownRows(ruleDependent), batchOnly, 'batch rule, fixed m: the batch settings, not the rate, P or the criterion');
    await typeInto('pastLags', 'auto');
    assert.deepStrictEqual(await shownRows(ruleDependent), ['maxPastLags', 'criterion', ...batchOnly], 'Past m "auto": P and the criterion appear as it is typed');
    assert.ok(!(await isRed('pastLags')), '"auto" is valid with the batch rule');
    await page.screenshot({ path: shot('cca-batch-auto') });
    await page.selectOption('#node-input-rule', 'online');
    // Past m "auto" is refused with the online rule, so its P and criterion go with the batch settings
    assert.deepStrictEqual(await shownRows(ruleDependent), ['learningRate'], 'online rule: its rate; no forgetting, ridge, peers, nor the P and criterion of a refused "auto"');
    const expected = verdict(settings, 'pastLags', 'auto', await readForm(settings))!;
    assert.match(expected, /^Past m \(samples\): .*"auto" only with learning rule "batch" \(the online rule learns filters of a fixed length/);
    assert.ok(await isRed('pastLags'), 'Past m "auto" is red with the online rule');
    await page.locator('#node-input-pastLags').hover();
    await page.locator('.red-ui-popover-content', { hasText: expected }).first().waitFor({ state: 'visible', timeout: 5000 });
    await page.screenshot({ path: shot('cca-online-auto-red') });
    await page.mouse.move(5, 5);
    await typeInto('pastLags', '8');
    assert.ok(!(await isRed('pastLags')));
    assert.deepStrictEqual(await shownRows(ruleDependent), ['learningRate']);
    await page.screenshot({ path: shot('cca-online') });
    await closeDialog('ok');
    const state = await page.evaluate((id) => { const node = RED.nodes.node(id); RED.editor.validateNode(node); return { valid: node.valid, label: RED.utils.getNodeLabel(node) }; }, ids['resu-cca']);
    assert.deepStrictEqual(state, { valid: true, label: 'online CCA m=8 h=50' });
    // back to the defaults for the tests that follow
    await openDialog(ids['resu-cca']);
    await page.selectOption('#node-input-rule', 'batch');
    await typeInto('pastLags', String(settings.pastLags.default));
    await closeDialog('ok');
  });

  it('a bad value gives every node the red triangle, deploy warns, and the runtime refuses it with the same reason', async function () {
    const reasons: Record<string, string> = {}; // the runtime's message for the bad value
    for (const type of TYPES) {
      const settings = NODE_SETTINGS[type];
      const name = Object.keys(settings).find((n) => settings[n].kind === 'integer' && !settings[n].when)!;
      await openDialog(ids[type]);
      await typeInto(name, '-5');
      reasons[type] = `${name} must be ${readSetting(settings, name, (f) => (f === name ? '-5' : undefined)).error} (got "-5")`;
      await closeDialog('ok');
      const state = await page.evaluate((id) => { const node = RED.nodes.node(id); RED.editor.validateNode(node); return { valid: node.valid, errors: node.validationErrors }; }, ids[type]);
      assert.strictEqual(state.valid, false, `${type} with ${name} = -5 is invalid`);
      assert.deepStrictEqual(state.errors, [verdict(settings, name, '-5', {})]);
      await page.locator(`[id="${ids[type]}"] .red-ui-flow-node-error`).waitFor({ state: 'visible' });
    }
    await page.locator(`[id="${ids['resu-cca']}"] .red-ui-flow-node-error`).hover();
    await page.waitForTimeout(800); // the badge's tooltip appears after a delay
    await page.screenshot({ path: shot('red-nodes') });
    await page.click('#red-ui-header-button-deploy');
    const warning = page.locator('.red-ui-notification').filter({ hasText: 'not properly configured' });
    await warning.waitFor({ state: 'visible' });
    // Node-RED lists the first five and adds "+ 2 more"
    const items = await warning.locator('.red-ui-deploy-dialog-confirm-list li').allTextContents();
    const listed = items.filter((item) => TYPES.some((type) => item.endsWith(`(${type})`))).length;
    const more = items.map((item) => /^\+ (\d+) more$/.exec(item.trim())).reduce((sum, match) => sum + (match ? Number(match[1]) : 0), 0);
    assert.strictEqual(listed + more, TYPES.length, `every node in the deploy warning: ${items.join(' | ')}`);
    await page.waitForTimeout(600); // let the notification finish sliding in
    await page.screenshot({ path: shot('deploy-warning') });
    await page.click('#red-ui-deploy-dialog-confirm-deploy-deploy'); // deploy anyway: the runtime must refuse each node
    await page.waitForFunction(() => !RED.nodes.dirty(), undefined, { timeout: 60_000 });
    const deployed = await page.request.get(`${red!.url}resu/nodes`);
    const nodes = await deployed.json() as { id: string; status?: { fill?: string; text?: string } }[];
    for (const type of TYPES) {
      const node = nodes.find((n) => n.id === ids[type]);
      assert.strictEqual(node?.status?.fill, 'red', `${type}: red status after deploy (${JSON.stringify(node?.status)})`);
      assert.ok(reasons[type].startsWith(node!.status!.text!.replace(/…$/, '')), `${type}: the runtime says "${node!.status!.text}", the editor "${reasons[type]}"`);
    }
  });

  it('2-D settings (issue 20) show only where they apply: a lattice shows its rows and hides the row\'s, the gated schemes show their seed', async function () {
    const visible = (names: string[]): Promise<boolean[]> => Promise.all(names.map((n) => page.locator(`#node-input-${n}`).locator('xpath=ancestor::div[contains(@class, "form-row")][1]').isVisible()));
    const cases: [string, string, string, string[], string[]][] = [
      ['resu-scanner', 'lattice', 'square', ['rows', 'columns', 'directionDeg', 'paths'], ['pixels', 'direction']],
      ['resu-grating', 'lattice', 'hexagonal', ['rows', 'columns', 'directionsDeg'], ['pixels', 'preferredDirection']],
      ['resu-t4', 'training', 'gatedEpisode', ['seed'], []],
    ];
    for (const [type, control, on, shown, hidden] of cases) {
      await openDialog(ids[type]);
      const off = (NODE_SETTINGS[type][control] as Setting & { default: string }).default;
      await page.selectOption(`#node-input-${control}`, on);
      assert.deepStrictEqual(await visible([...shown, ...hidden]), [...shown.map(() => true), ...hidden.map(() => false)], `${type} with ${control} ${on}`);
      if (type === 'resu-scanner') await page.screenshot({ path: shot('scanner-lattice') });
      await page.selectOption(`#node-input-${control}`, off);
      assert.deepStrictEqual(await visible([...shown, ...hidden]), [...shown.map(() => false), ...hidden.map(() => true)], `${type} with ${control} ${off}`);
      await closeDialog('cancel');
    }
  });

  it('every field of every node survives Done → reopen, Deploy → reload, and Export → Import; the secret only as a credential', async function () {
    const expected: Record<string, Form> = {};
    /** The form after a stage: a stored credential shows Node-RED's stand-in, an imported node has none. */
    const credentialNames = (type: string): string[] => Object.keys(NODE_SETTINGS[type]).filter((name) => NODE_SETTINGS[type][name].kind === 'credential');
    const expectedAfter = (type: string, stage: 'reload' | 'import'): Form => {
      const form = { ...expected[type] };
      for (const name of credentialNames(type)) form[name] = stage === 'reload' ? '__PWRD__' : '';
      return form;
    };
    const secrets = (): string[] => TYPES.flatMap((type) => credentialNames(type).map((name) => expected[type][name] as string));
    for (const type of TYPES) {
      const settings = NODE_SETTINGS[type];
      expected[type] = otherValues(type);
      await openDialog(ids[type]);
      await typeInto('name', expected[type].name as string);
      const controls = new Set(Object.values(settings).flatMap((spec) => (spec.when ? [spec.when.field] : [])));
      for (const [name, spec] of Object.entries(settings)) {
        if (controls.has(name) || (spec.kind === 'choice' && spec.hidden)) continue;
        await activate(settings, name);
        const value = expected[type][name];
        if (spec.kind === 'boolean') await page.setChecked(`#node-input-${name}`, value as boolean);
        else if (spec.kind === 'choice' || (spec.kind === 'text' && spec.list)) await page.selectOption(`#node-input-${name}`, value as string);
        else if (spec.kind === 'typedNumber') {
          await page.evaluate(({ field, v }) => { $(`#node-input-${field}`).typedInput('type', 'msg'); $(`#node-input-${field}`).typedInput('value', v); }, { field: name, v: value });
        } else await typeInto(name, value as string);
      }
      for (const name of controls) await setControl(settings, name, expected[type][name] as string);
      assert.deepStrictEqual(await readForm(settings), expected[type], `${type}: the form holds what was typed`);
      await closeDialog('ok');
      await openDialog(ids[type]);
      assert.deepStrictEqual(await readForm(settings), expected[type], `${type}: every field after Done → reopen`);
      if (type === 'resu-t4') await page.screenshot({ path: shot('t4-reopened') });
      await closeDialog('cancel');
      const valid = await page.evaluate((id) => { const node = RED.nodes.node(id); RED.editor.validateNode(node); return node.valid; }, ids[type]);
      assert.ok(valid, `${type} valid with the other values`);
    }

    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !RED.nodes.dirty(), undefined, { timeout: 60_000 });
    const flows = await (await page.request.get(`${red!.url}flows`)).json() as Record<string, unknown>[];
    for (const type of TYPES) {
      const stored = flows.find((n) => n.id === ids[type])!;
      for (const [name, value] of Object.entries(expected[type])) {
        if (credentialNames(type).includes(name)) continue;
        assert.deepStrictEqual(stored[name], value, `${type}.${name} in the deployed flow`);
      }
      for (const name of credentialNames(type)) assert.ok(!(name in stored), `${type}.${name} is not in the deployed flow`);
    }
    assert.ok(secrets().length >= 2);
    // the runtime has each secret as a credential (flows_cred.json, plain here: credentialSecret false), never in the flow file
    const flowFile = fs.readFileSync(path.join(red!.userDir, 'flows.json'), 'utf8');
    const credentialFile = JSON.parse(fs.readFileSync(path.join(red!.userDir, 'flows_cred.json'), 'utf8')) as Record<string, Record<string, string>>;
    for (const type of TYPES) {
      for (const name of credentialNames(type)) {
        assert.ok(!flowFile.includes(expected[type][name] as string), `${type}.${name}: not in flows.json`);
        assert.strictEqual(credentialFile[ids[type]]?.[name], expected[type][name], `${type}.${name} in the credentials file`);
        const state = await (await page.request.get(`${red!.url}resu/nodes/${ids[type]}/state`)).json() as { federation?: { signed?: boolean } | null };
        // a learner on the online rule (the CCA learner here) keeps no statistics: nothing to sign
        if (readSetting(NODE_SETTINGS[type], name, (field) => expected[type][field]).active) assert.strictEqual(state.federation?.signed, true, `${type}: the deployed node signs its snapshots`);
        else assert.strictEqual(state.federation, null, `${type}: no federation (the secret is kept, not used)`);
      }
    }
    await openEditor(); // reload the page: the editor gets the flow from the runtime
    for (const type of TYPES) {
      await openDialog(ids[type]);
      assert.deepStrictEqual(await readForm(NODE_SETTINGS[type]), expectedAfter(type, 'reload'), `${type}: every field after Deploy → reload (a stored secret shows as Node-RED's stand-in)`);
      await closeDialog('cancel');
    }

    // Export (menu ▸ Export, the JSON a user copies) → delete → Import
    await page.evaluate((tab) => RED.workspaces.show(tab), TAB);
    await page.locator('#red-ui-workspace-chart').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+a');
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-export');
    const exported = await page.inputValue('#red-ui-clipboard-dialog-export-text');
    await page.click('#red-ui-clipboard-dialog-cancel');
    const nodes = JSON.parse(exported) as Record<string, unknown>[];
    for (const type of TYPES) {
      const node = nodes.find((n) => n.type === type)!;
      assert.ok(node, `${type} exported`);
      for (const [name, value] of Object.entries(expectedAfter(type, 'import'))) assert.deepStrictEqual(node[name], credentialNames(type).includes(name) ? undefined : value, `${type}.${name} in the export`);
      assert.strictEqual(node.credentials, undefined, `${type}: no credentials in the export`);
    }
    for (const secret of secrets()) assert.ok(!exported.includes(secret), 'no secret in the export');
    await page.keyboard.press('Delete');
    assert.strictEqual(await page.evaluate(() => RED.nodes.filterNodes({ z: 'settings-tab' }).length), 0, 'all deleted');
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-import');
    await page.fill('#red-ui-clipboard-dialog-import-text', exported);
    await page.press('#red-ui-clipboard-dialog-import-text', 'End'); // Node-RED checks the JSON on keyup
    await page.click('#red-ui-clipboard-dialog-ok');
    await page.waitForTimeout(300);
    if (await page.evaluate(() => RED.view.state() !== 0)) await page.mouse.click(700, 500); // drop what follows the mouse
    for (const type of TYPES) {
      const id = await page.evaluate((t) => RED.nodes.filterNodes({ type: t })[0]?.id as string | undefined, type);
      assert.ok(id, `${type} imported`);
      await openDialog(id!);
      // no secret travels with the export; an imported node that kept the id of the deployed one
      // (the deletion is not deployed) shows the runtime's credential of that id as the stand-in
      const form = id === ids[type] ? expectedAfter(type, 'reload') : expectedAfter(type, 'import');
      assert.deepStrictEqual(await readForm(NODE_SETTINGS[type]), form, `${type}: every field after Export → Import`);
      await closeDialog('cancel');
    }
    await page.screenshot({ path: shot('imported') });
    assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
  });
});
