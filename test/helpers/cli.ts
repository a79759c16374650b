/** Assertions shared by the CLI specs. */
import { strict as assert } from 'assert';
import { SpawnSyncReturns } from 'child_process';

/** The command failed with a non-zero status, nothing on stdout and exactly one stderr line matching `message`. */
export function assertOneLineError(result: SpawnSyncReturns<string>, message: RegExp): void {
  assert.notEqual(result.status, 0, 'exit code must be non-zero');
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got: ${JSON.stringify(result.stderr)}`);
  assert.match(lines[0], message);
}
