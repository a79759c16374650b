/**
 * resu-unit: a ReSU. Rectified projection of each channel's recent past on ψ_k (ON or OFF).
 */
import type { NodeAPI } from 'node-red';
import { createUnitNode } from './shared/unit-node';

export = function (RED: NodeAPI) {
  RED.nodes.registerType('resu-unit', createUnitNode(RED, 'resu-unit'));
};
