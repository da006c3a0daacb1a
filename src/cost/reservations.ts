import { readdir, readFile, rename, unlink } from 'node:fs/promises';
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
  // What the hold was taken for, for the abandoned ledger line a lapsed hold becomes
  // (abandoned-hold.ts). Files written before these fields get the defaults.
  operation: z.string().default('unknown'),
  provider: z.string().default('unknown'),
  attempt: z.number().int().min(1).default(1),
  retry: z.number().int().min(0).default(0),
  /** false for a hold on an unpriced model (amount 0): its abandoned line is unpriced, not free. */
  priced: z.boolean().default(true),
  priceTableVersion: z.string().default('unknown'),
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

/** The holds in `<home>/reservations/` as of `now`: those in force, and those lapsed (past their expiry, or their process is dead). */
export interface ReservationsRead {
  live: ReservationFile[];
  lapsed: ReservationFile[];
}

/** A lapsed hold being charged: renamed out of the live set, removed once its ledger line is written. */
const CHARGING = '.charging';

/**
 * Reads every hold. Unreadable files (a temp file mid-rename is skipped by name) are removed; a
 * lapsed hold is left where it is for the sweep to charge (`claimLapsedReservation`). Holds whose
 * sweeper died after claiming them (`<id>.json.charging`) are lapsed too.
 */
export async function readReservations(home: string, now: Date): Promise<ReservationsRead> {
  const directory = reservationsDirOf(home);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { live: [], lapsed: [] };
    throw error;
  }
  const read: ReservationsRead = { live: [], lapsed: [] };
  for (const name of names) {
    const charging = name.endsWith(`.json${CHARGING}`);
    if ((!name.endsWith('.json') && !charging) || name.startsWith('.')) continue;
    const file = path.join(directory, name);
    let reservation: ReservationFile | undefined;
    try {
      reservation = ReservationFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // settled meanwhile
    }
    if (!reservation) await unlink(file).catch(() => undefined);
    else if (charging || Date.parse(reservation.expiresAt) <= now.getTime() || !isProcessAlive(reservation.pid)) read.lapsed.push(reservation);
    else read.live.push(reservation);
  }
  return read;
}

/** Holds still in force (a lapsed one is neither counted nor removed here: the sweep charges it). */
export async function liveReservations(home: string, now: Date): Promise<ReservationFile[]> {
  return (await readReservations(home, now)).live;
}

/**
 * Takes a lapsed hold out of the live set to charge it. `charge`: this caller is to charge it.
 * `resume`: a sweeper that died had begun to charge it (the caller holds the budget lock, so a
 * hold found already `.charging` is one whose sweeper is gone), and may have written its line
 * already. `gone`: it was settled or released first (its own ledger line, if any, is the charge).
 * The rename is atomic, so of a settle and a sweep exactly one wins the file.
 */
export async function claimLapsedReservation(home: string, id: string): Promise<'charge' | 'resume' | 'gone'> {
  const file = path.join(reservationsDirOf(home), `${id}.json`);
  try {
    await rename(file, `${file}${CHARGING}`);
    return 'charge';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return readFile(`${file}${CHARGING}`).then(
    () => 'resume',
    () => 'gone',
  );
}

/** Removes a charged hold once its ledger line is written. */
export async function finishChargingReservation(home: string, id: string): Promise<void> {
  await unlink(path.join(reservationsDirOf(home), `${id}.json${CHARGING}`)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
