/**
 * The figures of `resu reproduce` render from the browser builds the package ships
 * (resources/vendor), not from the vega packages, which are dev dependencies only (issue 17: a
 * device installs none of them). Checked against the npm packages themselves: same SVG.
 */
import { strict as assert } from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { renderSvg } from '../../cli/figures';
import { spawnNodeSync } from '../helpers/node-command';

const FIGURES_JS = path.resolve(__dirname, '../../cli/figures.js');
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('cli/figures: rendered by the shipped browser builds of vega and vega-lite', function () {
  this.timeout(120_000);

  it('renders with the vega packages unresolvable (as in an install without devDependencies)', function () {
    const script = `const Module = require('module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (/^vega(-lite)?($|\\/)/.test(request)) throw Object.assign(new Error('blocked ' + request), { code: 'MODULE_NOT_FOUND' });
        return resolve.call(this, request, ...rest);
      };
      require(${JSON.stringify(FIGURES_JS)}).renderSvg({ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'line',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } })
        .then((svg) => console.log(svg.slice(0, 4)), (err) => { console.error(err.message); process.exit(1); });`;
    const child = spawnNodeSync(['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), '<svg');
  });

  it('renders what the npm packages vega and vega-lite render (same version): line, points, rule, bar, layer, concat, colour', async function () {
    const values = Array.from({ length: 40 }, (_, i) => ({ t: i - 39, y: Math.sin(i / 5) * Math.exp(-i / 30), series: i % 2 ? 'ψ1' : 'ψ2' }));
    const line = { mark: { type: 'line', point: { size: 12 }, strokeWidth: 1.5 }, encoding: { x: { field: 't', type: 'quantitative', title: 'lag (samples)' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } } };
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'figure', subtitle: 'built-in scene' },
      vconcat: [
        { hconcat: [
          { width: 200, height: 120, data: { values }, layer: [line, { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 0 } } }] },
          { width: 120, height: 120, data: { values: [{ k: 'L1', w: 0.8 }, { k: 'L3', w: -0.3 }] }, mark: 'bar', encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'w', type: 'quantitative' } } },
        ] },
        { width: 340, height: 80, data: { values }, ...line },
      ],
    };
    const load = (name: string) => importModule(pathToFileURL(require.resolve(name)).href);
    const [vega, vegaLite] = await Promise.all([load('vega'), load('vega-lite')]);
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    const expected: string = await view.toSVG();
    view.finalize();
    assert.match(expected, /^<svg /);
    assert.equal(await renderSvg(spec), expected);
  });
});
