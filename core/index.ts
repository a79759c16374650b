/**
 * The ReSU core library: exact streaming past–future CCA, units and stimuli. No Node-RED import.
 * `require('@resu-circuits/node-red-resu/core')`.
 */
export * from './errors';
export * from './validate';
export * from './channels';
export * from './random';
export * from './moments';
export * from './autocovariance';
export * from './levinson';
export * from './memory';
export * from './cca';
export * from './units';
export * from './metrics';
export * from './probeScoring';
export * from './serialize';
export * from './learner';
export * from './smallCca';
export * from './prediction';
export * from './onlineCca';
export * from './unitBank';
export * from './t4';
export * from './stimuli';
export * from './experiments';
export * from './federation';
export * from './t4Plasticity';
