/**
 * Counts calls of expensive tools across every server built on one runtime (stateless HTTP
 * builds a server per request), so a burst answers "busy" instead of queueing without bound.
 */
export class ConcurrencyGate {
  private running = 0;
  constructor(readonly limit: number) {}

  tryEnter(): (() => void) | undefined {
    if (this.running >= this.limit) return undefined;
    this.running++;
    let left = false;
    return () => {
      if (!left) {
        left = true;
        this.running--;
      }
    };
  }

  get active(): number {
    return this.running;
  }
}
