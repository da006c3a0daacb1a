import { LRUCache } from 'lru-cache';
import { canonicalJson } from '../cache/canonical-json.js';
import type { ResolvedPreview } from './preview-target.js';

/**
 * Screens a runtime has resolved for previews, keyed by screen and theme. Exporting a screen runs
 * the whole validation gate; a preview of the same screen and theme reuses the export (Tier 1 is
 * deterministic, Tier 2 comes from this runtime's cache either way). One per runtime: what a
 * screen resolves to depends on that runtime's cache and providers.
 */
export class ResolvedScreens {
  private readonly pending = new LRUCache<string, Promise<ResolvedPreview>>({ max: 16 });

  /** The resolution of `screen` with `theme`, started by `resolve` on the first ask; a failed one is forgotten. */
  get(screen: unknown, theme: unknown, resolve: () => Promise<ResolvedPreview>): Promise<ResolvedPreview> {
    const key = canonicalJson({ screen, theme: theme ?? null });
    let pending = this.pending.get(key);
    if (!pending) {
      pending = resolve();
      this.pending.set(key, pending);
      pending.catch(() => this.pending.delete(key));
    }
    return pending;
  }

  get size(): number {
    return this.pending.size;
  }
}
