import { parseRpcBody } from '../reliability/support/built-server.js';

/**
 * One self-contained JSON-RPC POST, as a stateless replica behind a proxy must accept it: no
 * session, no earlier request on the same replica. MCP 2026-07-28 makes that the protocol (every
 * request carries its revision and the client's capabilities in `_meta`, plus the `Mcp-Method`
 * and `Mcp-Name` headers); a 2025 server in stateless mode serves a bare request without
 * `initialize`. `detectEra` asks the server which it is, so the team tests and bench send
 * what the server in the tree accepts.
 */
export type ProtocolEra = '2026-07-28' | '2025-stateless';

export const MODERN_REVISION = '2026-07-28';

/** Methods whose `Mcp-Name` header mirrors a parameter (SEP-2243). */
const NAME_PARAMETER: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

export function statelessRequest(era: ProtocolEra, method: string, params: Record<string, unknown> = {}, id: number | string = 1): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (era === '2025-stateless') return { headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, params }) };
  headers['mcp-protocol-version'] = MODERN_REVISION;
  headers['mcp-method'] = method;
  const nameParameter = NAME_PARAMETER[method];
  if (nameParameter !== undefined && typeof params[nameParameter] === 'string') headers['mcp-name'] = params[nameParameter];
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_REVISION,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'dspec-team-test', version: '1.0.0' },
  };
  return { headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta } }) };
}

export async function postRpc(
  mcpUrl: string,
  era: ProtocolEra,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: unknown; raw: string }> {
  const request = statelessRequest(era, method, params);
  const response = await fetch(mcpUrl, { method: 'POST', headers: { ...request.headers, ...extraHeaders }, body: request.body });
  const raw = await response.text();
  let body: unknown;
  try {
    body = parseRpcBody(raw);
  } catch {
    body = undefined; // a proxy's plain-text 502, say: the caller reads `status` and `raw`
  }
  return { status: response.status, body, raw };
}

/** `server/discover` answers only on a 2026-07-28 server; anything else is a 2025 server. */
export async function detectEra(mcpUrl: string): Promise<ProtocolEra> {
  const { status, body } = await postRpc(mcpUrl, '2026-07-28', 'server/discover');
  const result = (body as { result?: { supportedVersions?: unknown } } | undefined)?.result;
  return status === 200 && result !== undefined ? '2026-07-28' : '2025-stateless';
}
