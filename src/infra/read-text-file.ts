import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';

/**
 * A user's file as UTF-8 text, refused with an InputError naming it (as `shown`) when it is over
 * `maxBytes` or cannot be read; the size is checked before reading, so a huge file is never loaded.
 */
export async function readTextFile(file: string, shown: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(file);
    if (info.size > maxBytes) throw new InputError(`${shown} is larger than the ${maxBytes}-byte limit`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
