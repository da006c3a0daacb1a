import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Names one claimant: the machine and process (for whoever reads the claims table) and a random part (a restarted process with a reused pid is someone else). */
export function holderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
