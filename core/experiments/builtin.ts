/**
 * The built-in scene used when no image is given: a dead-leaves panorama (docs/method.md §3), plateaus
 * separated by edges with a ≈ 1/f² spectrum, through the authors' contrast pipeline.
 */
import { toContrastImage } from '../stimuli/contrast';
import { createDeadLeavesImage, createDeadLeavesTorus } from '../stimuli/deadLeaves';
import { ExperimentScene } from './common';

/** A built-in dead-leaves panorama (360°, wraps) as an experiment scene. */
export function builtInScene(seed: number, width = 1024, height = 64): ExperimentScene {
  const image = createDeadLeavesImage({ width, height, seed });
  return {
    name: `built-in dead-leaves scene (${width}×${height}, 360°, seed ${seed})`,
    builtIn: true,
    contrast: toContrastImage(image, { fovDeg: 360 }),
  };
}

/**
 * A built-in dead-leaves torus (docs/motion-2d.md): size × size pixels covering 360° in both
 * directions, periodic in x and y, so a lattice can scan it in any direction. Object radii span the
 * same angles as the panorama's (0.7° … 90°); contrast through the same pipeline, blurred in 2-D.
 */
export function builtInTorusScene(seed: number, size = 512): ExperimentScene {
  const image = createDeadLeavesTorus(size, seed);
  return {
    name: `built-in dead-leaves torus (${size}×${size}, 360° × 360°, seed ${seed})`,
    builtIn: true,
    contrast: toContrastImage(image, { fovDeg: 360, wrapVertically: true }),
  };
}
