import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { LedgerRecordSchema, type LedgerRecord } from '../shapes/ledger-record.js';
import { appendLine } from '../infra/append-line.js';
import { forEachLineOf } from '../infra/buffer-lines.js';

export interface LedgerOptions {
  /**
   * `true` (default): fdatasync after every line, so a recorded charge survives a power cut.
   * One sync per LLM attempt costs a millisecond or two next to calls of seconds.
   */
  fsync?: boolean;
}

export interface LedgerScanResult {
  /** Non-empty complete lines read. */
  lines: number;
  /** Complete lines that did not parse as a ledger record: skipped, never fatal. */
  corruptLines: number;
  /** Byte offset just after the last complete line read: where an incremental scan resumes. */
  endOffset: number;
  /** Bytes after the last newline (a torn line from a crash, or an append in flight): not read. */
  pendingTailBytes: number;
}

// Reads of 1 MiB keep the number of async reads low (~520 for a 550 MB ledger); forEachLineOf
// decodes each in smaller pieces.
const CHUNK_BYTES = 1024 * 1024;

/**
 * `.dspec/costs.jsonl`: one JSON line per LLM HTTP attempt and per cache hit.
 *
 * Appending: each line is one `write(2)` of a complete line on a descriptor opened with
 * O_APPEND. On Linux local filesystems (ext4, xfs, btrfs, tmpfs) such a write of a few KB is
 * placed at the end of the file as a whole, so several processes sharing `.dspec/` never lose
 * or interleave lines (NFS gives no such guarantee: keep `.dspec/` local). A process killed
 * mid-write leaves at most a torn last line without its newline; the next append sees that the
 * file does not end in `\n` and starts its own line with one, so the fragment stays a single
 * corrupt line that readers skip and count. (The last-byte check races with other appenders:
 * at worst it adds a blank line, which readers ignore; it never glues two records together.)
 */
export class Ledger {
  readonly file: string;
  private readonly fsync: boolean;

  constructor(file: string, options: LedgerOptions = {}) {
    this.file = file;
    this.fsync = options.fsync ?? true;
  }

  /** Validates the record against LedgerRecordSchema and appends it as one line. */
  async append(record: LedgerRecord): Promise<LedgerRecord> {
    const valid = LedgerRecordSchema.parse(record);
    await this.appendLine(JSON.stringify(valid));
    return valid;
  }

  private async appendLine(json: string): Promise<void> {
    await appendLine(this.file, json, { fsync: this.fsync });
  }

  /** Current size in bytes (0 when the ledger does not exist yet) and inode, to tell a replaced file. */
  async identity(): Promise<{ size: number; ino: number }> {
    try {
      const info = await stat(this.file);
      return { size: info.size, ino: info.ino };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, ino: 0 };
      throw error;
    }
  }

  /** Up to `count` bytes just before `offset` (to check that a stored offset still ends the same line). */
  async bytesBefore(offset: number, count: number): Promise<Buffer | undefined> {
    if (offset <= 0) return undefined;
    const handle = await open(this.file, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const length = Math.min(count, offset);
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset - length);
      return bytesRead === length ? bytes : undefined;
    } finally {
      await handle.close();
    }
  }

  /**
   * Streams every complete record from `fromOffset` (a line boundary) in one pass, 1 MiB at a
   * time, calling `visit` for each valid one (checked by `parseLedgerLine`); nothing is
   * collected in memory. Reports fold lines through the faster reader in `ledger-summary.ts`.
   */
  async scan(visit: (record: LedgerRecord) => void, fromOffset = 0): Promise<LedgerScanResult> {
    let corrupt = 0;
    const result = await this.scanLines((line) => {
      const record = parseLedgerLine(line);
      if (record) visit(record);
      else corrupt++;
    }, fromOffset);
    return { ...result, corruptLines: corrupt };
  }

  /**
   * The raw pass under `scan`: every complete, non-blank line from `fromOffset`, as text.
   * `corruptLines` is left at 0 for the visitor to count.
   */
  async scanLines(visitLine: (line: string) => void, fromOffset = 0): Promise<LedgerScanResult> {
    const result: LedgerScanResult = { lines: 0, corruptLines: 0, endOffset: fromOffset, pendingTailBytes: 0 };
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
      throw error;
    }
    try {
      const visitNonBlank = (line: string) => {
        if (line.charCodeAt(0) === 0x7b || line.trim() !== '') {
          result.lines++;
          visitLine(line);
        }
      };
      let position = fromOffset;
      // The bytes after the last newline of one read are moved to the front of the buffer and
      // the next read fills in behind them: no concatenation of whole chunks.
      let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      let carried = 0;
      for (;;) {
        if (carried === buffer.length) {
          const larger = Buffer.allocUnsafe(buffer.length * 2); // one line longer than a chunk
          buffer.copy(larger, 0, 0, carried);
          buffer = larger;
        }
        const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const filled = carried + bytesRead;
        const lastNewline = buffer.lastIndexOf(0x0a, filled - 1);
        if (lastNewline === -1) {
          carried = filled;
          continue;
        }
        forEachLineOf(buffer, lastNewline, visitNonBlank);
        result.endOffset += lastNewline + 1;
        carried = filled - (lastNewline + 1);
        if (carried > 0) buffer.copy(buffer, 0, lastNewline + 1, filled);
      }
      const carry = carried > 0 ? buffer.subarray(0, carried) : undefined;
      result.pendingTailBytes = carry?.length ?? 0;
    } finally {
      await handle.close();
    }
    return result;
  }
}

/** A ledger line → record, or undefined when it is torn or not a record (LedgerRecordSchema decides). */
export function parseLedgerLine(line: string): LedgerRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = LedgerRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function ledgerFileOf(home: string): string {
  return path.join(home, 'costs.jsonl');
}
