import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_COMPONENT_TOOL, generatedComponentJsonSchema } from '../../src/generation/pipeline/model-answer.js';
import { ProviderCallError } from '../../src/generation/providers/provider.js';
import { createProviderRegistry } from '../../src/generation/providers/select-providers.js';
import { loadConfig } from '../../src/infra/config.js';
import { startFakeHttpServer, type FakeHttpServer } from '../fakes/fake-http-server.js';

/**
 * An `OPENAI_API_KEY` alone means OpenAI's own API: it must never reach a local port such as
 * Ollama's 11434, where any local process could read it. A listener on 127.0.0.1:11434 proves
 * it (the test is skipped when that port is taken). No request leaves the machine: fetch is
 * wrapped so that anything but loopback is recorded and refused, as with no network.
 */

const SECRET = 'sk-routing-secret-0123456789';
const OLLAMA_PORT = 11434;

let listener: FakeHttpServer | undefined;
const remote: Array<{ url: string; authorization: string | null }> = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  try {
    listener = await startFakeHttpServer(() => ({ kind: 'json', status: 500, body: { error: { message: 'not a real server', type: 'server_error', param: null, code: null } } }), {
      port: OLLAMA_PORT,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.warn(`skipping the key-routing test: 127.0.0.1:${OLLAMA_PORT} is taken by another process`);
  }
  globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) return realFetch(input, init);
    remote.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    throw new TypeError('fetch failed');
  };
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await listener?.close();
});
afterEach(() => {
  remote.length = 0;
  if (listener) listener.requests.length = 0;
});

const call = { prompt: { system: 's', user: ['u'] }, tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() }, maxTokens: 1024 };

async function attempt(env: NodeJS.ProcessEnv) {
  const config = loadConfig({ cwd: '/nonexistent-dir', env: { ...env, DSPEC_GENERATION_TIMEOUT_MS: '3000' } }).generation;
  const [provider] = createProviderRegistry(config, env).forRequest();
  const error = await provider!.generate(call).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { provider: provider!, error };
}

describe('OPENAI_API_KEY routing', () => {
  it('sends a key given alone to OpenAI, never to the local port', async (context) => {
    if (!listener) return context.skip();
    const { provider, error } = await attempt({ OPENAI_API_KEY: SECRET });
    expect(provider).toMatchObject({ id: 'openai-compatible', model: 'gpt-5.4-mini' });
    expect(provider.health().detail).toBe("OpenAI's API (API key set)");
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(remote).toEqual([{ url: 'https://api.openai.com/v1/chat/completions', authorization: `Bearer ${SECRET}` }]);
    expect(listener.requests).toHaveLength(0);
  });

  it('uses the local server only when OPENAI_BASE_URL names it (the listener does see that request)', async (context) => {
    if (!listener) return context.skip();
    await attempt({ OPENAI_BASE_URL: `http://127.0.0.1:${OLLAMA_PORT}/v1` });
    expect(listener.requests).toHaveLength(1);
    expect(listener.requests[0]!.url).toBe('/v1/chat/completions');
    expect(JSON.stringify(listener.requests[0]!.headers)).not.toContain(SECRET);
    expect(remote).toHaveLength(0);
  });

  it('with neither a key nor a base URL, offers no OpenAI provider', () => {
    const config = loadConfig({ cwd: '/nonexistent-dir', env: { DSPEC_PROVIDER: 'openai-compatible' } }).generation;
    const [provider] = createProviderRegistry(config, {}).forRequest();
    expect(provider!.health()).toMatchObject({ configured: false, detail: 'Neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.' });
  });
});
