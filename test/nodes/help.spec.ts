/**
 * The editor help files (nodes/locales/en-US/<type>.html), read without a browser: each is one
 * text/html block in the structure of Node-RED's core node help, with one output-port entry per
 * output of the node. test/browser/help.spec.ts checks the same help as the editor renders it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkHelpFile, HelpExpectations } from '../helpers/help-html';

const ROOT = path.resolve(__dirname, '../../..');
const TYPES = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);

const helpPath = (type: string): string => path.join(ROOT, 'nodes', 'locales', 'en-US', `${type}.html`);

/** Port counts as the node's editor definition declares them (literal, as the flow library requires). */
function expectations(type: string): HelpExpectations {
  const html = fs.readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
  const count = (name: string): number => {
    const match = new RegExp(`\\b${name}:\\s*(\\d+)`).exec(html);
    if (!match) throw new Error(`nodes/${type}.html declares no literal ${name}: count`);
    return Number(match[1]);
  };
  return { type, inputs: count('inputs'), outputs: count('outputs') };
}

describe('editor help files (nodes/locales/en-US)', function () {
  it('has a help file for every node type', function () {
    assert.deepStrictEqual(TYPES.filter((type) => !fs.existsSync(helpPath(type))), []);
    assert.strictEqual(TYPES.length, 7);
  });

  for (const type of TYPES) {
    it(`${type}: core-node structure, one port entry per output, self-contained, links the paper`, function () {
      const problems = checkHelpFile(fs.readFileSync(helpPath(type), 'utf8'), expectations(type));
      assert.deepStrictEqual(problems, [], `${type} help:\n  ${problems.join('\n  ')}`);
    });
  }

  it('the build copies the help next to the compiled nodes', function () {
    for (const type of TYPES) {
      assert.strictEqual(fs.readFileSync(path.join(ROOT, 'dist', 'nodes', 'locales', 'en-US', `${type}.html`), 'utf8'), fs.readFileSync(helpPath(type), 'utf8'), type);
    }
  });
});

describe('help checker (test/helpers/help-html.ts) finds what breaks the Help sidebar', function () {
  const cca = fs.readFileSync(helpPath('resu-cca'), 'utf8');
  const expect: HelpExpectations = { type: 'resu-cca', inputs: 1, outputs: 4 };
  const problemsOf = (text: string): string => checkHelpFile(text, expect).join('\n');

  it('accepts the real file', function () {
    assert.strictEqual(problemsOf(cca), '');
  });

  it('rejects markdown help written as "### Inputs" and ": name (type) : text" lines', function () {
    const markdown = [
      '<script type="text/markdown" data-help-name="resu-cca">',
      'Learns filters.', '', '### Inputs', ': payload (array) : a chunk.', '', '### Outputs', '1. filters',
      ': payload (object) : the fit.', '', '### Details', 'See the README.', '', '### References', '- the paper', '</script>',
    ].join('\n');
    const problems = problemsOf(markdown);
    for (const expected of [/type="text\/markdown"/, /raw markdown left: a markdown heading/, /raw markdown left: a markdown definition line/,
      /self-contained/, /h3 sections are \[\]/, /must open with a <p>/, /no link to the paper/]) assert.match(problems, expected);
  });

  it('rejects a property whose name and type run together or whose type is missing', function () {
    assert.match(problemsOf(cca.replace('<dt>payload <span class="property-type">array</span></dt>', '<dt>payloadarray</dt>')), /Inputs: <dt> "payloadarray" needs exactly one non-empty <span class="property-type">/);
    assert.match(problemsOf(cca.replace('<dt class="optional">solve <span class="property-type">boolean</span></dt>', '<dt class="optional"><span class="property-type">boolean</span></dt>')), /Inputs: a <dt> without a name/);
    assert.match(problemsOf(cca.replace('<dt class="optional">topic <span', '<dt class="optional">msg topic <span')), /"msg topic" is not a message property name/);
  });

  it('rejects text that falls out of the property box and a dt without its dd', function () {
    assert.match(problemsOf(cca.replace('<dt class="optional">solve', 'solve: true solves now\n<dt class="optional">solve')), /outside dt\/dd \(falls out of the property box\)/);
    assert.match(problemsOf(cca.replace(/<dd><code>"filters"<\/code>\.<\/dd>/, '')), /the last <dt> has no <dd>/);
  });

  it('rejects a port list that does not match the outputs, and a section out of place', function () {
    assert.match(checkHelpFile(cca, { ...expect, outputs: 2 }).join('\n'), /ol.node-ports has 4 entries, expected 2/);
    assert.match(problemsOf(cca.replace('<h3>Details</h3>', '<h3>Description</h3>')), /h3 sections are \[Inputs, Outputs, Description, References\]/);
    assert.match(problemsOf(cca.replace('<ol class="node-ports">', '<ol>')), /expected one ol.node-ports, found 0/);
  });

  it('rejects broken markup, a wrong help name and a missing paper link', function () {
    assert.match(problemsOf(cca.replace('</li>', '')), /<\/ol> closes <li> too \(unclosed\)/);
    assert.match(problemsOf(cca.replace('ρ<sub>1</sub> ≥', 'ρ1 < ρ0 ≥')), /a bare "<"/);
    assert.match(problemsOf(cca.replace('data-help-name="resu-cca"', 'data-help-name="resu-unit"')), /data-help-name is "resu-unit"/);
    assert.match(problemsOf(cca.replace('https://arxiv.org/abs/2512.23146', 'https://example.org/')), /no link to the paper/);
    assert.match(problemsOf(cca.replace('<h4>Settings</h4>', '<h2>Settings</h2>')), /<h2> is not used in node help/);
  });

  it('rejects a code span too long for the sidebar (the editor does not wrap code)', function () {
    assert.match(problemsOf(cca.replace('<code>"filters"</code>', '<code>{format: "resu-cca-fit", version: 1, channels}</code>')), /<code> of 46 characters/);
  });
});
