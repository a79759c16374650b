/**
 * The stimulus kit (docs/method.md §3): image decoding, the contrast pipeline and scanner, dead-leaves
 * scenes, linear state-space and Gaussian processes, white noise and probes. Re-exports only.
 */
export * from './image';
export * from './deadLeaves';
export * from './contrast';
export * from './scanner';
export * from './noise';
export * from './stateSpace';
export * from './gaussianProcess';
export * from './probes';
export * from './lattice';
export * from './scanner2d';
export * from './probes2d';
