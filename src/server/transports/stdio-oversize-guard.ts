import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Logger } from '../../infra/logger.js';

/** JSON-RPC "Invalid Request": the message was dropped unread. */
const INVALID_REQUEST = -32600;
/** How far into an oversized message we look for its `id`, to address the error answer. */
const ID_SCAN_BYTES = 4096;

/**
 * Passes newline-delimited JSON-RPC from `input` through unchanged, except that a line longer
 * than `maxBytes` is dropped without being buffered whole; if its id can be read from its
 * first bytes, an error response naming the limit is written to `output`.
 */
export function createOversizeGuard(input: Readable, output: Writable, maxBytes: number, logger: Logger): Readable {
  const guarded = new PassThrough();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;
  let discardedHead = '';
  let discardedBytes = 0;

  const rejectOversized = () => {
    const id = /"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})/.exec(discardedHead)?.[1];
    logger.warn({ bytes: discardedBytes, limit: maxBytes }, 'dropped an oversized stdio message');
    if (id !== undefined) {
      const response = {
        jsonrpc: '2.0',
        id: JSON.parse(id) as string | number,
        error: { code: INVALID_REQUEST, message: `Message of ${discardedBytes} bytes exceeds the ${maxBytes}-byte limit for one request; send smaller input.` },
      };
      output.write(`${JSON.stringify(response)}\n`);
    }
    discardedHead = '';
    discardedBytes = 0;
  };

  input.on('data', (chunk: Buffer) => {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      const piece = chunk.subarray(start, end);
      if (discarding) {
        if (discardedHead.length < ID_SCAN_BYTES) discardedHead += piece.subarray(0, ID_SCAN_BYTES).toString('utf8');
        discardedBytes += piece.length;
        if (newline !== -1) {
          discarding = false;
          rejectOversized();
        }
      } else if (pendingBytes + piece.length > maxBytes + 1) {
        discarding = true;
        discardedHead = Buffer.concat([...pending, piece])
          .subarray(0, ID_SCAN_BYTES)
          .toString('utf8');
        discardedBytes = pendingBytes + piece.length;
        pending = [];
        pendingBytes = 0;
        if (newline !== -1) {
          discarding = false;
          rejectOversized();
        }
      } else if (newline === -1) {
        pending.push(piece);
        pendingBytes += piece.length;
      } else {
        guarded.write(pending.length ? Buffer.concat([...pending, piece]) : piece);
        pending = [];
        pendingBytes = 0;
      }
      start = end;
    }
  });
  input.on('end', () => guarded.end());
  input.on('error', (error) => guarded.destroy(error));
  return guarded;
}
