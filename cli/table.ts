/**
 * Streaming reader of numeric text tables: one sample per line, columns separated by whitespace
 * or commas; blank lines and lines starting with # are skipped. Rows are handed over in chunks so
 * a 10^6-line file never sits in memory as text.
 */
import * as readline from 'readline';
import { ResuError } from '../core';

const CHUNK_ROWS = 8192;
/** A decimal number (Number() alone would also take "0x1f", "0b101" or "Infinity"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export async function readNumberTable(
  input: NodeJS.ReadableStream,
  name: string,
  onColumns: (columns: number[]) => void,
  onChunk: (channels: Float64Array[]) => void,
): Promise<{ rows: number; columns: number }> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let columns = 0;
  let rows = 0;
  let lineNumber = 0;
  let buffer: Float64Array[] = [];
  let filled = 0;
  const flush = (): void => {
    if (filled === 0) return;
    onChunk(buffer.map((channel) => channel.subarray(0, filled)));
    buffer = buffer.map(() => new Float64Array(CHUNK_ROWS));
    filled = 0;
  };
  const failure = new Promise<never>((_, reject) => input.on('error', (err: NodeJS.ErrnoException) => {
    reject(new ResuError(`${name}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`));
  }));
  const reading = (async () => {
    for await (const line of lines) {
      lineNumber++;
      const text = line.trim();
      if (text === '' || text.startsWith('#')) continue;
      const fields = text.split(/[\s,]+/);
      if (columns === 0) {
        columns = fields.length;
        onColumns(fields.map((_, i) => i));
        buffer = fields.map(() => new Float64Array(CHUNK_ROWS));
      } else if (fields.length !== columns) {
        throw new ResuError(`${name}: line ${lineNumber} has ${fields.length} columns; expected ${columns}`);
      }
      for (let c = 0; c < columns; c++) {
        const value = DECIMAL.test(fields[c]) ? Number(fields[c]) : NaN;
        if (!Number.isFinite(value)) throw new ResuError(`${name}: line ${lineNumber}, column ${c + 1}: ${JSON.stringify(fields[c])} is not a finite number`);
        buffer[c][filled] = value;
      }
      filled++;
      rows++;
      if (filled === CHUNK_ROWS) flush();
    }
    flush();
    return { rows, columns };
  })();
  return Promise.race([reading, failure]);
}
