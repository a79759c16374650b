import * as assert from 'assert';
import { ConfigError } from '../../../core/errors';
import { angleBetweenDeg, axisSpacingDeg, axisTriplets, createLattice, unitVectorDeg } from '../../../core/stimuli/lattice';

const close = (a: number, b: number, tolerance = 1e-12): boolean => Math.abs(a - b) <= tolerance;

describe('core/stimuli/lattice', function () {
  it('a square lattice puts pixel (r, c) at (c·s, r·s) around the centroid, row 0 at the bottom', function () {
    const lattice = createLattice({ rows: 3, columns: 4, spacingDeg: 5 });
    assert.strictEqual(lattice.points.length, 12);
    for (const p of lattice.points) {
      assert.strictEqual(p.index, p.row * 4 + p.column);
      assert.ok(close(p.xDeg, (p.column - 1.5) * 5) && close(p.yDeg, (p.row - 1) * 5), JSON.stringify(p));
    }
  });

  it('a hexagonal lattice has horizontal neighbours s apart, rows s·√3/2 apart with odd rows shifted by s/2, every nearest neighbour at s', function () {
    const s = 4;
    const lattice = createLattice({ kind: 'hexagonal', rows: 5, columns: 5, spacingDeg: s });
    const { points } = lattice;
    const sumX = points.reduce((a, p) => a + p.xDeg, 0), sumY = points.reduce((a, p) => a + p.yDeg, 0);
    assert.ok(close(sumX, 0, 1e-9) && close(sumY, 0, 1e-9), 'centred on the centroid');
    const at = (r: number, c: number) => points[r * 5 + c];
    assert.ok(close(at(2, 3).xDeg - at(2, 2).xDeg, s));
    assert.ok(close(at(3, 2).yDeg - at(2, 2).yDeg, (s * Math.sqrt(3)) / 2));
    assert.ok(close(at(3, 2).xDeg - at(2, 2).xDeg, s / 2));
    // every interior pixel has exactly six neighbours at distance s, none closer
    const centre = at(2, 2);
    const distances = points.filter((p) => p !== centre).map((p) => Math.hypot(p.xDeg - centre.xDeg, p.yDeg - centre.yDeg));
    assert.strictEqual(distances.filter((d) => close(d, s, 1e-9)).length, 6);
    assert.ok(Math.min(...distances) > s - 1e-9);
  });

  it('axis triplets are collinear neighbours ordered from the negative to the positive end, axisSpacingDeg apart', function () {
    for (const kind of ['square', 'hexagonal'] as const) {
      const lattice = createLattice({ kind, rows: 5, columns: 4, spacingDeg: 5 });
      for (const axis of ['horizontal', 'vertical'] as const) {
        const triplets = axisTriplets(lattice, axis);
        const spacing = axisSpacingDeg(lattice, axis);
        const expected = axis === 'horizontal' ? 5 * 2 : kind === 'square' ? 3 * 4 : 1 * 4;
        assert.strictEqual(triplets.length, expected, `${kind} ${axis}`);
        for (const [a, b, c] of triplets) {
          const [pa, pb, pc] = [a, b, c].map((i) => lattice.points[i]);
          if (axis === 'horizontal') {
            assert.ok(close(pb.xDeg - pa.xDeg, spacing) && close(pc.xDeg - pb.xDeg, spacing) && pa.yDeg === pb.yDeg && pb.yDeg === pc.yDeg);
          } else {
            assert.ok(close(pb.yDeg - pa.yDeg, spacing, 1e-9) && close(pc.yDeg - pb.yDeg, spacing, 1e-9) && close(pa.xDeg, pb.xDeg) && close(pb.xDeg, pc.xDeg));
          }
        }
      }
      assert.ok(close(axisSpacingDeg(lattice, 'vertical'), kind === 'square' ? 5 : 5 * Math.sqrt(3)));
    }
    assert.deepStrictEqual(axisTriplets(createLattice({ rows: 1, columns: 3 }), 'vertical'), []);
  });

  it('rejects bad options with a ConfigError naming the field', function () {
    assert.throws(() => createLattice({ kind: 'triangle' as never }), /lattice.kind must be one of/);
    assert.throws(() => createLattice({ rows: 0 }), /lattice.rows must be an integer ≥ 1/);
    assert.throws(() => createLattice({ rows: 100, columns: 100 }), /lattice.rows × lattice.columns must be at most 4096 pixels/);
    assert.throws(() => createLattice({ spacingDeg: Number.NaN }), ConfigError);
    assert.throws(() => createLattice(null as never), ConfigError);
  });

  it('unitVectorDeg is exact on the axes; angleBetweenDeg is the distance on the circle', function () {
    assert.deepStrictEqual(unitVectorDeg(90), [0, 1]);
    assert.deepStrictEqual(unitVectorDeg(-90), [0, -1]);
    assert.deepStrictEqual(unitVectorDeg(540), [-1, 0]);
    const [c, s] = unitVectorDeg(30);
    assert.ok(close(c, Math.sqrt(3) / 2) && close(s, 0.5));
    assert.strictEqual(angleBetweenDeg(350, 10), 20);
    assert.strictEqual(angleBetweenDeg(0, 180), 180);
    assert.strictEqual(angleBetweenDeg(-30, 330), 0);
  });
});
