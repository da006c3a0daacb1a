import path from 'node:path';
import { writeFileAtomic } from '../../infra/atomic-write.js';
import type { KeyedIdentity } from './component-cache-key.js';
import type { FailedAnswer } from './repair-loop.js';
import type { RunAccount } from './run-account.js';
import type { RunContext } from './run-context.js';

/**
 * Keeps a provider's invalid answers under `<home>/failed/` for diagnosis (never served, never
 * cached); returns the file, or undefined when it could not be written (logged, not thrown:
 * the request's own outcome matters more than its post-mortem).
 */
export async function keepFailedAnswers(run: RunContext, identity: KeyedIdentity, failures: readonly FailedAnswer[], account: RunAccount): Promise<string | undefined> {
  if (failures.length === 0) return undefined;
  const stamp = new Date(run.clock.now()).toISOString().replace(/[:.]/g, '-');
  const file = path.join(run.deps.failedDir, `${stamp}-${run.spec.name}-${identity.provider.id}.json`);
  const { provider } = identity;
  try {
    await writeFileAtomic(
      file,
      `${JSON.stringify(
        {
          component: run.spec.name,
          spec: run.spec,
          provider: provider.id,
          model: provider.model,
          prompt: { id: run.prompt.id, version: run.prompt.version, hash: run.prompt.hash },
          gateFingerprint: run.gateFingerprint,
          cacheKey: identity.key,
          // What the whole request had spent when these answers were set aside.
          usage: account.usage,
          cost: account.cost,
          attempts: failures,
        },
        null,
        2,
      )}\n`,
    );
    return file;
  } catch (error) {
    run.logger.warn({ err: error }, 'could not keep the failed generation for diagnosis');
    return undefined;
  }
}
