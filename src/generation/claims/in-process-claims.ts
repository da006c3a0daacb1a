import { abortReasonOf } from '../clock.js';
import type { ClaimAttempt, GenerationClaims, HeldClaim } from './generation-claims.js';
import { holderId } from './holder-id.js';

interface LiveClaim {
  holder: string;
  released: Promise<void>;
}

/**
 * Claims within one process (the default, with the file cache): a map of live claims, each
 * with a promise its waiters await. No lease: the holder is this process, and generation ends
 * by its own deadline and always releases, so a claim cannot outlive its holder.
 */
export class InProcessClaims implements GenerationClaims {
  private readonly live = new Map<string, LiveClaim>();

  constructor(readonly holder: string = holderId()) {}

  tryClaim(key: string): Promise<ClaimAttempt> {
    const current = this.live.get(key);
    if (current) return Promise.resolve({ won: false, holder: current.holder });
    let resolveReleased!: () => void;
    const released = new Promise<void>((resolve) => {
      resolveReleased = resolve;
    });
    const entry: LiveClaim = { holder: this.holder, released };
    this.live.set(key, entry);
    let done = false;
    const claim: HeldClaim = {
      key,
      release: () => {
        if (!done) {
          done = true;
          if (this.live.get(key) === entry) this.live.delete(key);
          resolveReleased();
        }
        return Promise.resolve();
      },
    };
    return Promise.resolve({ won: true, claim });
  }

  waitForChange(key: string, _round: number, signal?: AbortSignal): Promise<void> {
    const current = this.live.get(key);
    if (signal?.aborted) return Promise.reject(abortReasonOf(signal));
    if (!current) return Promise.resolve();
    if (!signal) return current.released;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(abortReasonOf(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      void current.released.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** Claims held in this map die with the process; nothing to let go of. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** How many keys are claimed right now (status and tests). */
  get size(): number {
    return this.live.size;
  }
}
