import { canonicalJson, sha256Hex } from '../cache/canonical-json.js';

/**
 * The handle of a long tool call: derived from the tool and its arguments, so the same request
 * retried after a dropped stream (on any replica) gets the same handle and joins or reads the
 * same job instead of starting — and paying for — another.
 */
export function jobHandleOf(tool: string, args: unknown): string {
  return `job_${sha256Hex(canonicalJson({ tool, args })).slice(0, 32)}`;
}
