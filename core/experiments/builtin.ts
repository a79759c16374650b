/**
 * The built-in scene used when no image is given: a dead-leaves panorama (docs/method.md §3), plateaus
 * separated by edges with a ≈ 1/f² spectrum, through the authors' contrast pipeline.
 */
import { toContrastImage } from '../stimuli/contrast';
import { createDeadLeavesImage } from '../stimuli/deadLeaves';
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
