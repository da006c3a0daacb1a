import type { McpServer } from '@modelcontextprotocol/server';
import { LIVE_STATE } from '../cache-hints.js';
import type { ServerDeps } from '../context.js';

export const STATUS_URI = 'dspec://status';

/**
 * What generation can do right now: each configured provider and whether it is usable, the
 * circuit breaker of each provider+model (closed, open until…, half-open), and retry telemetry
 * (first-attempt successes, successes after repair, failures by category) since the server started.
 */
export function registerStatusResource(server: McpServer, deps: ServerDeps): void {
  server.registerResource(
    'status',
    STATUS_URI,
    {
      title: 'Generation status',
      description:
        'LLM providers (configured or not), circuit-breaker states per provider and model, retry telemetry of this server process, and the preview browser (running or not, its processes and memory).',
      mimeType: 'application/json',
      cacheHint: LIVE_STATE,
    },
    async (uri) => {
      // Light modules only: reading the status must not load the generation pipeline or the gate.
      const { runtime } = deps;
      const status = {
        version: deps.version,
        providers: (await runtime.providers()).describe(),
        circuitBreakers: runtime.breakers.states(),
        telemetry: runtime.telemetry.snapshot(),
        // The preview tool's browser: its processes and memory, apart from the server's own.
        previewBrowser: await runtime.previewBrowserStatus(),
      };
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(status, null, 2) }] };
    },
  );
}
