import { isAscii } from 'node:buffer';

/**
 * Big line files (the cost ledger, the cache index) are decoded in pieces of at most 64 KiB
 * that end at newlines: V8 puts a string over ~128 KiB in its large-object space, where decoding
 * and slicing it into lines cost about 6× more (a 550 MB ledger: 104 ms in 64 KiB pieces, 682 ms
 * as 1 MiB strings).
 */
const PIECE_BYTES = 64 * 1024;

/** Calls `visit` with every non-empty line of `buffer[0, end)`, in order. */
export function forEachLineOf(buffer: Buffer, end: number, visit: (line: string) => void): void {
  for (let from = 0; from < end;) {
    let to = end;
    if (to - from > PIECE_BYTES) {
      to = buffer.lastIndexOf(0x0a, from + PIECE_BYTES);
      // One line longer than a piece: the piece runs to that line's end.
      if (to < from) to = buffer.indexOf(0x0a, from + PIECE_BYTES);
      if (to === -1 || to > end) to = end;
    }
    // Node 20's UTF-8 decoder is several times slower than a byte copy; these files are almost
    // always ASCII, for which latin1 gives the same text. A newline never splits a UTF-8 sequence.
    const text = buffer.toString(isAscii(buffer.subarray(from, to)) ? 'latin1' : 'utf8', from, to);
    let start = 0;
    while (start < text.length) {
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      if (lineEnd > start) visit(text.slice(start, lineEnd));
      start = lineEnd + 1;
    }
    from = to + 1;
  }
}
