import { randomUUID } from 'node:crypto';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Request, Response } from 'express';
import type { ServerDeps } from '../context.js';
import { relateLogsToRequests } from '../client-log.js';
import { createServer } from '../create-server.js';
import { RpcErrorCode, sendRpcError } from './http-security.js';

/**
 * Stateful Streamable HTTP for 2025 clients (`--sessions`, a legacy option: MCP 2026-07-28 has no
 * sessions): one MCP server per session, created by `initialize` and found again
 * by its `Mcp-Session-Id`. The server remembers what the client declared, so sampling, progress,
 * cancellation and logging work as on stdio. Sessions are capped in number and closed when idle.
 */

export interface SessionLimits {
  maxSessions: number;
  idleTimeoutMs: number;
  maxBodyBytes: number;
}

interface Session {
  id: string;
  transport: NodeStreamableHTTPServerTransport;
  cleanup: () => Promise<void>;
  /** POST and DELETE requests being answered; a session is idle only when this is 0. */
  inFlight: number;
  idleTimer?: NodeJS.Timeout;
  closed: boolean;
}

const SESSION_HEADER = 'mcp-session-id';

export class StreamableSessions {
  private readonly sessions = new Map<string, Session>();
  /** Sessions whose `initialize` is being answered: they count against the cap already. */
  private opening = 0;

  constructor(
    private readonly deps: ServerDeps,
    private readonly limits: SessionLimits,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Answers POST, GET and DELETE on the MCP endpoint. */
  async handle(req: Request, res: Response): Promise<void> {
    const header = req.headers[SESSION_HEADER];
    const sessionId = typeof header === 'string' && header ? header : undefined;
    if (sessionId === undefined) {
      if (req.method === 'POST' && isInitializeRequest(req.body)) {
        await this.open(req, res);
        return;
      }
      sendRpcError(
        res,
        400,
        RpcErrorCode.ServerError,
        'Bad Request: Mcp-Session-Id header is required: send "initialize" first and repeat the session id it returns (or start the server without --sessions)',
      );
      return;
    }
    const session = this.sessions.get(sessionId);
    if (!session) {
      // 404 tells a client to start a new session (MCP Streamable HTTP, session management).
      sendRpcError(res, 404, -32001, `Session not found: "${sessionId.slice(0, 64)}" is unknown, ended or expired after being idle; send "initialize" to start a new one`);
      return;
    }
    this.track(session, req, res);
    await this.forward(session.transport, req, res);
  }

  /** Closes every session (server shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => this.close(session, 'server shutdown')));
  }

  private async open(req: Request, res: Response): Promise<void> {
    if (this.sessions.size + this.opening >= this.limits.maxSessions) {
      this.deps.logger.warn({ maxSessions: this.limits.maxSessions }, 'refused a new MCP session: the session cap is reached');
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(Math.min(this.limits.idleTimeoutMs, 60_000) / 1000))));
      sendRpcError(
        res,
        503,
        RpcErrorCode.ServerError,
        `Too many MCP sessions: ${this.limits.maxSessions} are open. End one (DELETE /mcp with its Mcp-Session-Id), wait for idle ones to expire (after ${Math.round(this.limits.idleTimeoutMs / 1000)} s), or raise http.maxSessions (--max-sessions)`,
      );
      return;
    }
    this.opening++;
    let opened = false;
    const { server, cleanup } = createServer(this.deps, { detachLongCalls: true });
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: this.limits.maxBodyBytes,
      onsessioninitialized: (id) => {
        opened = true;
        this.opening--;
        const session: Session = { id, transport, cleanup, inFlight: 0, closed: false };
        this.sessions.set(id, session);
        this.track(session, req, res);
        this.deps.logger.debug({ sessionId: id, sessions: this.sessions.size }, 'MCP session opened');
      },
      // DELETE: the transport answers 200 and closes itself; the server goes with it.
      onsessionclosed: (id) => {
        const session = this.sessions.get(id);
        if (session) void this.close(session, 'ended by the client');
      },
    });
    transport.onerror = (error) => this.deps.logger.debug({ err: error }, 'streamable HTTP transport error');
    transport.onclose = () => {
      const id = transport.sessionId;
      const session = id === undefined ? undefined : this.sessions.get(id);
      if (session) void this.close(session, 'transport closed');
    };
    try {
      await server.connect(transport);
      relateLogsToRequests(transport);
      await this.forward(transport, req, res);
    } finally {
      if (!opened) {
        // The initialize was refused (bad version, bad body): nothing to keep.
        this.opening--;
        void cleanup().catch(() => {});
      }
    }
  }

  private async forward(transport: NodeStreamableHTTPServerTransport, req: Request, res: Response): Promise<void> {
    try {
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'failed to handle an MCP request');
      if (!res.headersSent) sendRpcError(res, 500, RpcErrorCode.Internal, 'Internal server error');
    }
  }

  /**
   * A POST or DELETE keeps the session busy until its response ends (a tool call that streams
   * progress or waits on sampling is not idle). The GET stream does not: a client that keeps it
   * open but sends nothing is idle.
   */
  private track(session: Session, req: Request, res: Response): void {
    if (req.method === 'GET') {
      this.touch(session);
      return;
    }
    session.inFlight++;
    this.touch(session);
    res.once('close', () => {
      session.inFlight--;
      this.touch(session);
    });
  }

  private touch(session: Session): void {
    clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    if (session.closed || session.inFlight > 0) return;
    session.idleTimer = setTimeout(() => void this.close(session, 'idle'), this.limits.idleTimeoutMs);
    session.idleTimer.unref();
  }

  private async close(session: Session, reason: string): Promise<void> {
    if (session.closed) return;
    session.closed = true;
    clearTimeout(session.idleTimer);
    this.sessions.delete(session.id);
    this.deps.logger.debug({ sessionId: session.id, reason, sessions: this.sessions.size }, 'MCP session closed');
    await session.cleanup().catch(() => {});
  }
}
