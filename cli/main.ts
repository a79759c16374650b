/**
 * `resu` command-line entry: dispatches sub-commands. Errors print one line to stderr and exit non-zero.
 */
import { ResuError } from '../core';
import { UsageError } from './args';
import { learnCommand, LEARN_USAGE } from './learn';
import { scanCommand, SCAN_USAGE } from './scan';
import { reproduceCommand, REPRODUCE_USAGE } from './reproduce';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Sub-commands; later features register theirs here. */
export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  learn: { run: learnCommand, usage: LEARN_USAGE },
  scan: { run: scanCommand, usage: SCAN_USAGE },
  reproduce: { run: reproduceCommand, usage: REPRODUCE_USAGE },
};

export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.stdout.write(`resu: ReSU circuits from the command line\n${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`resu: unknown command ${JSON.stringify(name)} (try: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ResuError) {
      io.stderr.write(`resu ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
