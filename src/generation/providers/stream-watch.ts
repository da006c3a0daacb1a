import type { Usage } from '../../cache/cache-entry.js';
import { ProviderCallError } from './provider.js';

/** Progress is reported each time the streamed estimate grows by this many tokens. */
const PROGRESS_STEP_TOKENS = 50;

/**
 * One streamed attempt's bookkeeping, shared by the streaming providers: an abort controller
 * tied to the caller's signal, an idle timer reset on every event (no event for
 * `idleTimeoutMs` aborts the stream and the attempt ends as a retryable `timeout`), the usage
 * seen so far (vendor-reported input and cache tokens; output tokens as reported or, until
 * the vendor reports them, estimated from the characters received) and throttled progress.
 */
export class StreamWatch {
  readonly controller = new AbortController();
  readonly usage: Usage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
  #idleTimer: NodeJS.Timeout | undefined;
  #idleFired = false;
  #lastEventAt = 0;
  #stopped = false;
  #characters = 0;
  #reportedOutput = 0;
  #lastProgress = -Infinity;
  readonly #unlink: () => void;

  constructor(
    private readonly idleTimeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    private readonly onStream: ((progress: { outputTokens: number }) => void) | undefined,
  ) {
    const abort = () => this.controller.abort(signal?.reason);
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    this.#unlink = () => signal?.removeEventListener('abort', abort);
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Bytes arrived: the idle clock starts again. Only the time is noted (this runs for every
   * event); the one timer, when it fires, re-arms itself for whatever idle time is left.
   */
  touch(): void {
    this.#lastEventAt = performance.now();
    if (this.#idleTimer === undefined && this.idleTimeoutMs && !this.#stopped) this.#arm(this.idleTimeoutMs);
  }

  #arm(delayMs: number): void {
    this.#idleTimer = setTimeout(
      () => {
        if (this.#stopped) return;
        const idle = performance.now() - this.#lastEventAt;
        const limit = this.idleTimeoutMs ?? 0;
        if (idle < limit) {
          this.#arm(limit - idle);
          return;
        }
        this.#idleFired = true;
        this.controller.abort(new Error('idle timeout'));
      },
      Math.max(1, Math.ceil(delayMs)),
    );
    this.#idleTimer.unref?.();
  }

  /** Answer text arrived (a delta): output is estimated at four characters a token until reported. */
  received(characters: number): void {
    this.#characters += characters;
    this.#refreshOutput();
  }

  /** Output tokens the vendor reported (cumulative). */
  reportOutput(tokens: number | null | undefined): void {
    if (typeof tokens === 'number') this.#reportedOutput = Math.max(this.#reportedOutput, tokens);
    this.#refreshOutput();
  }

  #refreshOutput(): void {
    this.usage.outputTokens = Math.max(this.#reportedOutput, Math.ceil(this.#characters / 4));
    if (this.onStream && this.usage.outputTokens - this.#lastProgress >= PROGRESS_STEP_TOKENS) {
      this.#lastProgress = this.usage.outputTokens;
      try {
        this.onStream({ outputTokens: this.usage.outputTokens });
      } catch {
        // A progress callback never fails the attempt.
      }
    }
  }

  /** The failure to throw when the stream was ended by the idle timer, else undefined. */
  idleFailure(requestId: string | null): ProviderCallError | undefined {
    if (!this.#idleFired) return undefined;
    return new ProviderCallError(`The provider sent nothing for ${this.idleTimeoutMs} ms; the stream was ended and will be retried.`, {
      category: 'timeout',
      retryable: true,
      requestId,
      usage: { ...this.usage },
    });
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#idleTimer);
    this.#unlink();
  }
}
