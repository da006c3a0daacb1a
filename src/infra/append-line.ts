import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Appends one line with one `write` on an O_APPEND descriptor. On Linux local filesystems an
 * O_APPEND write of a few kilobytes lands whole at the end of the file, so lines from several
 * processes never interleave. A writer killed mid-write can leave a torn last line without its
 * newline: the next append then starts with a newline, so the torn fragment stays one (skipped)
 * line of its own.
 */
export async function appendLine(file: string, text: string, options: { fsync?: boolean } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // a+ (O_RDWR | O_APPEND | O_CREAT): writes go to the end; the read below needs read access.
  const handle = await open(file, 'a+', 0o644);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const line = Buffer.from(`${prefix}${text}\n`, 'utf8');
    const { bytesWritten } = await handle.write(line);
    if (bytesWritten !== line.length) throw new Error(`short write to ${file}: ${bytesWritten} of ${line.length} bytes`);
    if (options.fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
}
