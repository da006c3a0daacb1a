import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../infra/atomic-write.js';
import { isProcessAlive } from './file-lock.js';

/** `<home>/reservations/<id>.json`: budget held by a call in flight, visible to every process. */
export const ReservationFileSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]+$/),
  pid: z.number().int(),
  amount: z.number().min(0),
  component: z.string(),
  model: z.string(),
  createdAt: z.string(),
  /** After this time the hold lapses even if its process lives (a hung call must not block budgets for ever). */
  expiresAt: z.string(),
});
export type ReservationFile = z.infer<typeof ReservationFileSchema>;

export function reservationsDirOf(home: string): string {
  return path.join(home, 'reservations');
}

export async function writeReservation(home: string, reservation: ReservationFile): Promise<void> {
  await writeFileAtomic(path.join(reservationsDirOf(home), `${reservation.id}.json`), JSON.stringify(reservation));
}

export async function removeReservation(home: string, id: string): Promise<void> {
  if (!/^[A-Za-z0-9-]+$/.test(id)) return;
  await unlink(path.join(reservationsDirOf(home), `${id}.json`)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/**
 * Reservations still in force. Those of dead processes or past their expiry are deleted (the
 * caller holds the budget lock, so no one else is judging them at the same time); unreadable
 * files (a temp file mid-rename is skipped by name) are removed too.
 */
export async function liveReservations(home: string, now: Date): Promise<ReservationFile[]> {
  const directory = reservationsDirOf(home);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const live: ReservationFile[] = [];
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const file = path.join(directory, name);
    let reservation: ReservationFile | undefined;
    try {
      reservation = ReservationFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // settled meanwhile
    }
    const expired = !reservation || Date.parse(reservation.expiresAt) <= now.getTime() || !isProcessAlive(reservation.pid);
    if (expired) await unlink(file).catch(() => undefined);
    else live.push(reservation!);
  }
  return live;
}
