/**
 * How tests (and the benchmark) start Node.js in a child process. `process.execPath` is not enough
 * under emulation: an arm64 Node run as `qemu-aarch64-static -L / node …` cannot exec its own
 * binary without binfmt registration, so the command comes from RESU_TEST_NODE when it is set:
 * words separated by spaces (`qemu-aarch64-static -L / /path/to/node`) or a JSON array of strings
 * (paths with spaces). Also RESU_TEST_MIN_TIMEOUT_S: under emulation every child-process and mocha
 * timeout is raised to at least this many seconds (timeouts are give-up limits, never asserts).
 */
import { ChildProcess, spawn, spawnSync, SpawnOptions, SpawnSyncOptionsWithStringEncoding, SpawnSyncReturns } from 'child_process';

/** The node command as [program, ...leading arguments]: RESU_TEST_NODE or this process's binary. */
export function nodeCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env.RESU_TEST_NODE?.trim();
  if (!value) return [process.execPath];
  const words: unknown = value.startsWith('[') ? JSON.parse(value) : value.split(/\s+/);
  if (!Array.isArray(words) || words.length === 0 || !words.every((w) => typeof w === 'string' && w !== '')) {
    throw new Error(`RESU_TEST_NODE must be a command (words separated by spaces, or a JSON array of strings); got ${JSON.stringify(value)}`);
  }
  return words as string[];
}

/** The node command quoted for `bash -c` (single quotes; embedded ones escaped). */
export function nodeCommandForShell(): string {
  return nodeCommand().map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** A timeout (ms) raised to RESU_TEST_MIN_TIMEOUT_S when that is set; 0 and undefined stay as they are. */
export function childTimeoutMs(ms: number | undefined): number | undefined {
  const floorS = Number(process.env.RESU_TEST_MIN_TIMEOUT_S);
  if (!ms || !(floorS > 0)) return ms;
  return Math.max(ms, floorS * 1000);
}

/** spawnSync of `node …args` with the overridable node command. */
export function spawnNodeSync(args: readonly string[], options: SpawnSyncOptionsWithStringEncoding): SpawnSyncReturns<string> {
  const [program, ...lead] = nodeCommand();
  return spawnSync(program, [...lead, ...args], { ...options, timeout: childTimeoutMs(options.timeout) });
}

/** spawn of `node …args` with the overridable node command. */
export function spawnNode(args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const [program, ...lead] = nodeCommand();
  return spawn(program, [...lead, ...args], options);
}
