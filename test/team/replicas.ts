import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN, stopChild } from '../reliability/support/built-server.js';

/**
 * Several built `dspec serve --http` processes on loopback, as a team runs them behind a proxy:
 * one shared environment (the backends), a fixed port each so a replica killed and restarted
 * comes back at the address the proxy already knows, and readiness judged by `/healthz`.
 */
export interface Replica {
  readonly index: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: what the proxy forwards to. */
  readonly origin: string;
  readonly child: ChildProcess;
  /** Everything the current process wrote to stderr. */
  stderr(): string;
}

export interface ReplicaSet {
  readonly replicas: readonly Replica[];
  readonly origins: string[];
  /** SIGKILL, as a crashed host or an OOM kill: no handler runs. Resolves once the process is gone. */
  kill(index: number): Promise<void>;
  /** Starts the replica again on its port, with the same environment; resolves once it answers /healthz. */
  restart(index: number): Promise<Replica>;
  /** How many times each replica was started (1 + restarts). */
  readonly starts: number[];
  stop(): Promise<void>;
}

export interface ReplicaSetOptions {
  count: number;
  cwd: string;
  env: Record<string, string>;
  /** Extra environment for one start of one replica (`start` counts from 1), on top of `env`. */
  envOfStart?: (index: number, start: number) => Record<string, string>;
  /** The serve arguments before `--port` (default `serve --http`). */
  serveArgs?: readonly string[];
  /** Hang guard for one start, not a speed requirement (default 60 s: three starts share two cores with the test). */
  readyTimeoutMs?: number;
}

/** A port free right now on 127.0.0.1 (bound, then released for the replica to take). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a loopback listener has no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

async function waitUntilHealthy(origin: string, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`replica at ${origin} exited (${child.exitCode ?? child.signalCode}) before it was healthy; stderr:\n${stderr()}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`replica at ${origin} did not answer /healthz within ${timeoutMs} ms; stderr:\n${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const serveArgs = options.serveArgs ?? ['serve', '--http'];
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const ports = await Promise.all(Array.from({ length: options.count }, () => freeLoopbackPort()));
  const replicas: Replica[] = [];
  const starts = ports.map(() => 0);

  const launch = async (index: number): Promise<Replica> => {
    const port = ports[index]!;
    const start = ++starts[index]!;
    const env = { ...options.env, ...options.envOfStart?.(index, start) };
    const child = spawn(process.execPath, [BIN, ...serveArgs, '--port', String(port)], { cwd: options.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (text += chunk));
    const replica: Replica = { index, port, origin: `http://127.0.0.1:${port}`, child, stderr: () => text };
    await waitUntilHealthy(replica.origin, child, replica.stderr, readyTimeoutMs);
    replicas[index] = replica;
    return replica;
  };

  // One at a time: each start loads the bundle, and on two cores parallel starts only race.
  for (let index = 0; index < options.count; index++) await launch(index);

  return {
    replicas,
    origins: ports.map((port) => `http://127.0.0.1:${port}`),
    starts,
    async kill(index) {
      const { child } = replicas[index]!;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    restart: (index) => launch(index),
    async stop() {
      await Promise.all(replicas.map((replica) => stopChild(replica.child)));
    },
  };
}
