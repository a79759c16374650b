/**
 * resu-l3: the L3 projection, the unrectified projection of each channel's recent past on ψ_1.
 */
import type { NodeAPI } from 'node-red';
import { createUnitNode } from './shared/unit-node';

export = function (RED: NodeAPI) {
  RED.nodes.registerType('resu-l3', createUnitNode(RED, 'resu-l3'));
};
