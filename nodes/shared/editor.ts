/**
 * The editor side of the settings (nodes/shared/settings.ts): the build (scripts/copy-assets.js)
 * replaces the `<!-- resu-settings -->` line of each nodes/<type>.html with
 *   1. a script that defines `ResuSettings` (once per page) and this node's settings, so the .html's
 *      `RED.nodes.registerType('<type>', {defaults: ResuSettings.defaults('<type>'), …})` gets
 *      defaults with two-argument validators that return the reason (Node-RED then shows a red field
 *      with the reason as its tooltip, a red triangle on the node and a warning on deploy), and
 *      `ResuSettings.prepare(this)` (oneditprepare) fills absent fields with their defaults, sets up
 *      TypedInputs and shows only the rows whose `when` holds;
 *   2. the edit form, one row per setting, labelled with the setting's label and unit.
 * Validators run `readSetting`, the function the runtime parser runs, sent as source text.
 */
import { ChoiceSetting, readSetting, Setting, Settings } from './settings';

declare const RED: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const $: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const SETTINGS_MARKER = '<!-- resu-settings -->';

/**
 * Runs in the browser (sent as source text): builds `window.ResuSettings` around `read` (the source
 * of {@link readSetting}). Self-contained, like readSetting.
 */
function installEditorSettings(win: any, read: typeof readSetting): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (win.ResuSettings) return;
  const types: Record<string, Settings> = {};
  /** The value of `field` as the user sees it: the open edit form's input if there is one, else the node's. */
  const stored = (node: any, field: string): unknown => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const input = $('#node-input-' + field);
    if (input.length === 0) return node[field];
    return input.attr('type') === 'checkbox' ? input.prop('checked') : input.val();
  };
  const labelOf = (spec: Setting): string => spec.label + (spec.unit ? ' (' + spec.unit + ')' : '');
  win.ResuSettings = {
    define(type: string, settings: Settings): void { types[type] = settings; },
    /** A node's setting, or its default where the flow does not have it (for labels). */
    value(node: any, name: string): unknown { // eslint-disable-line @typescript-eslint/no-explicit-any
      return node[name] === undefined || node[name] === null ? types[node.type][name].default : node[name];
    },
    /** Node-RED `defaults`: every setting but the credentials, with its default, label and a two-argument validator. */
    defaults(type: string): Record<string, unknown> {
      const settings = types[type];
      const defaults: Record<string, unknown> = { name: { value: '' } };
      Object.keys(settings).forEach((name) => {
        const spec = settings[name];
        if (spec.kind === 'credential') return;
        defaults[name] = {
          value: spec.default,
          label: labelOf(spec),
          // two arguments: Node-RED then takes a returned string as "invalid, because …"
          validate(this: any, value: unknown, opt: any): boolean | string { // eslint-disable-line @typescript-eslint/no-explicit-any
            const node = this;
            const result = read(settings, name, (field) => (field === name ? value : stored(node, field)));
            if (result.error !== undefined) return labelOf(spec) + ': ' + result.error;
            if (spec.kind === 'typedNumber' && result.active && typeof result.value === 'string') {
              // per-message θ: Node-RED's own check of the property path / expression
              return RED.validators.typedInput({ typeField: spec.typeField }).call(node, value, opt);
            }
            return true;
          },
        };
      });
      return defaults;
    },
    /**
     * Node-RED `credentials`: the credential settings as passwords (kept out of the flow and its
     * export), with a two-argument validator for the edit form's red field.
     */
    credentials(type: string): Record<string, unknown> {
      const settings = types[type];
      const credentials: Record<string, unknown> = {};
      Object.keys(settings).forEach((name) => {
        const spec = settings[name];
        if (spec.kind !== 'credential') return;
        credentials[name] = {
          type: 'password',
          label: labelOf(spec),
          validate(this: any, value: unknown, _opt: unknown): boolean | string { // eslint-disable-line @typescript-eslint/no-explicit-any
            // two arguments: a returned string means invalid
            // "__PWRD__": the form stands in for a stored secret it is not shown; undefined: not loaded
            if (value === '__PWRD__' || value === undefined) return true;
            // the other settings (a `when` on the learning rule) from the form or the node
            const node = this;
            const result = read(settings, name, (field) => (field === name ? value : node ? stored(node, field) : undefined));
            return result.error === undefined ? true : labelOf(spec) + ': ' + result.error;
          },
        };
      });
      return credentials;
    },
    /** oneditprepare: defaults for absent fields, TypedInputs, rows shown only when their `when` holds. */
    prepare(node: any): void { // eslint-disable-line @typescript-eslint/no-explicit-any
      const settings = types[node.type];
      const names = Object.keys(settings);
      names.forEach((name) => {
        const spec = settings[name];
        // Node-RED fills the credential fields itself
        if (spec.kind !== 'credential' && (node[name] === undefined || node[name] === null)) {
          // a flow written before this setting existed: show what the runtime will use
          if (spec.kind === 'boolean') $('#node-input-' + name).prop('checked', spec.default); else $('#node-input-' + name).val(spec.default);
        }
      });
      names.forEach((name) => {
        const spec = settings[name];
        if (spec.kind !== 'typedNumber') return;
        // 'num' checked by the declaration: the TypedInput then shows the reason as the tooltip on
        // the field itself (Node-RED would attach it to the input the TypedInput hides)
        const num = {
          value: 'num', label: 'number', icon: 'red/images/typedInput/09.svg',
          validate(value: unknown): boolean | string {
            const result = read(settings, name, (field) => (field === name ? value : field === spec.typeField ? 'num' : stored(node, field)));
            return result.error === undefined ? true : labelOf(spec) + ': ' + result.error;
          },
        };
        const types = (settings[spec.typeField] as ChoiceSetting).choices.map((c) => (c[0] === 'num' ? num : c[0]));
        $('#node-input-' + name).typedInput({ default: 'num', types, typeField: '#node-input-' + spec.typeField });
      });
      names.forEach((name) => {
        const spec = settings[name];
        if (spec.kind !== 'text' || spec.list !== 'contextStores') return;
        // the configured stores; a flow naming another (imported from elsewhere) keeps its value, marked
        const context = (RED.settings && RED.settings.context) || {};
        const stores: string[] = Array.isArray(context.stores) ? context.stores : [];
        const current = node[name] === undefined || node[name] === null ? spec.default : String(node[name]);
        const select = $('#node-input-' + name).empty();
        // '' is the default store (context.default names it), listed first
        $('<option></option>').val('').text((context.default || 'default') + ' (default)').appendTo(select);
        stores.forEach((store) => { if (store !== context.default) $('<option></option>').val(store).text(store).appendTo(select); });
        if (current !== '' && stores.indexOf(current) < 0) $('<option></option>').val(current).text(current + ' (not configured)').appendTo(select);
        select.val(current);
      });
      const conditional = names.filter((name) => settings[name].when);
      // the fields the conditions name, and what those fields' "auto" depends on (the rule, for Past m)
      const controls = conditional.map((name) => settings[name].when!.field)
        .reduce((fields: string[], field) => { const spec = settings[field]; return fields.concat(field, spec && spec.kind === 'integer' && spec.autoWhen ? [spec.autoWhen.field] : []); }, [])
        .filter((field, i, all) => all.indexOf(field) === i);
      const update = (): void => {
        conditional.forEach((name) => {
          const shown = read(settings, name, (field) => stored(node, field)).active;
          $('#node-input-' + name).closest('.form-row').toggle(shown);
        });
      };
      // 'input' too: a text field (Past m "auto") changes the form as it is typed, not only on leaving it
      controls.forEach((field) => $('#node-input-' + field).on('change input', update));
      update();
    },
  };
}

/** JavaScript source of plain data and functions (a setting's `rule.test`), safe inside a <script>. */
function toSource(value: unknown): string {
  if (typeof value === 'function') {
    const source = value.toString();
    if (/<\/|<!--/.test(source)) throw new Error(`a settings function cannot be sent to the editor: ${source}`);
    return source;
  }
  if (Array.isArray(value)) return `[${value.map(toSource).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([key, v]) => `${JSON.stringify(key)}:${toSource(v)}`).join(',')}}`;
  return (JSON.stringify(value) ?? 'undefined').replace(/</g, '\\u003c');
}

/** The `<script>` that defines `ResuSettings` (if needed) and registers `type`'s settings. */
export function editorScript(type: string, settings: Settings): string {
  const json = toSource(settings);
  return [
    '<script type="text/javascript">',
    `  (${installEditorSettings.toString()})(window, ${readSetting.toString()});`,
    `  ResuSettings.define(${JSON.stringify(type)}, ${json});`,
    '</script>',
  ].join('\n');
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A setting's hint as a line under its field, always visible: as a placeholder it vanished behind
 * the default that fills the field ("0" hid "0 = as fast as possible"). Indented like the fields.
 */
const hintLine = (hint: string): string => `<div class="resu-setting-hint" style="margin: 4px 0 0 104px; font-size: 0.9em; opacity: 0.8">${escapeHtml(hint)}</div>`;
/** Dropdowns as wide as the text fields (Node-RED's default select width cut off longer choices). */
const SELECT_STYLE = 'width: 70%';

/** One form row per setting (hidden inputs for TypedInput types), after the name row. */
export function editorTemplate(type: string, settings: Settings): string {
  const rows = [`<div class="form-row"><label for="node-input-name"><i class="fa fa-tag"></i> Name</label><input type="text" id="node-input-name"></div>`];
  const hiddenInputs = new Map<string, string>();
  for (const [name, spec] of Object.entries(settings)) {
    if (spec.kind === 'choice' && spec.hidden) hiddenInputs.set(name, `<input type="hidden" id="node-input-${name}">`);
  }
  for (const [name, spec] of Object.entries(settings)) {
    if (spec.kind === 'choice' && spec.hidden) continue;
    const id = `node-input-${name}`;
    const label = `<label for="${id}">${escapeHtml(spec.label)}${spec.unit ? ` (${escapeHtml(spec.unit)})` : ''}</label>`;
    const hint = spec.hint ? hintLine(spec.hint) : '';
    let field: string;
    switch (spec.kind) {
      case 'boolean':
        field = `<input type="checkbox" id="${id}" style="width:auto">${spec.hint ? ` ${escapeHtml(spec.hint)}` : ''}`;
        break;
      case 'choice':
        field = `<select id="${id}" style="${SELECT_STYLE}">${spec.choices.map(([value, text]) => `<option value="${escapeHtml(value)}">${escapeHtml(text)}</option>`).join('')}</select>${hint}`;
        break;
      case 'typedNumber':
        field = `<input type="text" id="${id}">${hiddenInputs.get(spec.typeField) ?? ''}${hint}`;
        break;
      case 'credential':
        // a stored secret fills the field (with Node-RED's stand-in): the hint line stays readable
        field = `<input type="password" id="${id}" autocomplete="new-password">${hint}`;
        break;
      case 'text':
        // a list: filled with the configured choices when the form opens (prepare)
        field = spec.list ? `<select id="${id}" style="${SELECT_STYLE}"></select>${hint}` : `<input type="text" id="${id}">${hint}`;
        break;
      default:
        field = `<input type="text" id="${id}">${hint}`;
    }
    rows.push(`<div class="form-row">${label}${field}</div>`);
  }
  return [`<script type="text/html" data-template-name="${type}">`, ...rows.map((row) => `  ${row}`), '</script>'].join('\n');
}

/** The .html as Node-RED loads it: the marker line replaced by the settings script and the form. */
export function renderNodeHtml(source: string, type: string, settings: Settings): string {
  if (!source.includes(SETTINGS_MARKER)) throw new Error(`${type}.html has no ${SETTINGS_MARKER} line`);
  return source.replace(SETTINGS_MARKER, `${editorScript(type, settings)}\n${editorTemplate(type, settings)}`);
}
