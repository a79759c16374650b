/**
 * TypedInput properties: a value configured in the editor as a number, or taken per message from
 * msg / flow / global context, an environment variable or a JSONata expression.
 */
import type { Node, NodeAPI } from 'node-red';
import { InputError } from './errors';

export const TYPED_SOURCES = ['num', 'msg', 'flow', 'global', 'env', 'jsonata'] as const;
export type TypedSource = typeof TYPED_SOURCES[number];

/** Evaluates a non-numeric typed property for one message. */
export function evaluateTyped(RED: NodeAPI, node: Node, value: string, type: TypedSource, msg: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const util = RED.util as unknown as {
      evaluateNodeProperty(value: string, type: string, node: Node, msg: unknown, callback: (err: Error | null, result: unknown) => void): void;
    };
    util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** A typed number ≥ min: fixed when configured as 'num', else evaluated and checked per message. */
export function typedNumber(RED: NodeAPI, node: Node, name: string, value: string, type: TypedSource, fixed: number, min = 0) {
  return async (msg: Record<string, unknown>): Promise<number> => {
    if (type === 'num') return fixed;
    let result: unknown;
    try { result = await evaluateTyped(RED, node, value, type, msg); } catch (err) {
      throw new InputError(`${name} (${type} ${value}) could not be evaluated: ${(err as Error).message}`);
    }
    const number = typeof result === 'string' && result.trim() !== '' ? Number(result) : result;
    if (typeof number !== 'number' || !Number.isFinite(number) || number < min) {
      throw InputError.field(`${name} (${type} ${value})`, result, `a finite number ≥ ${min}`);
    }
    return number;
  };
}
