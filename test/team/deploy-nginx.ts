import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from './replicas.js';

/**
 * deploy/nginx.conf run by the machine's nginx (Debian's nginx-light) on loopback, for the tests
 * and the team bench: only the addresses change (compose's `dspec-N:3939` become the given
 * upstreams, port 8080 a free loopback port, /tmp a directory of its own), and each request's
 * upstream is logged so callers can count who answered.
 */
export interface DeployNginx {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** How many requests each upstream (`host:port`) answered, from the access log. */
  answeredBy(): Map<string, number>;
  /** Resolves once the access log holds `requests` lines: nginx logs a request after its client has the answer. */
  untilLogged(requests: number): Promise<void>;
  stop(): Promise<void>;
}

export function nginxInstalled(): boolean {
  return !spawnSync('nginx', ['-v']).error;
}

/** `configFile` defaults to this checkout's deploy/nginx.conf (a bundled copy of this module passes it). */
export async function startDeployNginx(upstreams: readonly string[], configFile = path.resolve(import.meta.dirname, '../../deploy/nginx.conf')): Promise<DeployNginx> {
  const directory = mkdtempSync(path.join(tmpdir(), 'dspec-nginx-'));
  mkdirSync(path.join(directory, 'logs'));
  const port = await freeLoopbackPort();
  let replaced = 0;
  const accessLog = path.join(directory, 'logs/upstreams.log');
  const config = readFileSync(configFile, 'utf8')
    .replace(/server dspec-\d+:3939/g, () => `server ${new URL(upstreams[replaced++] ?? 'http://missing.invalid').host}`)
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replaceAll('/tmp/', `${directory}/`)
    .replace(/^http \{$/m, `http {\n  log_format upstream '$upstream_addr';\n  access_log ${accessLog} upstream;`);
  if (replaced !== upstreams.length) throw new Error(`deploy/nginx.conf names ${replaced} replicas; ${upstreams.length} upstreams were given`);
  writeFileSync(path.join(directory, 'nginx.conf'), config);
  const child = spawn('nginx', ['-p', directory, '-c', path.join(directory, 'nginx.conf'), '-e', path.join(directory, 'logs/error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const errorLog = () => {
    try {
      return `${stderr}${readFileSync(path.join(directory, 'logs/error.log'), 'utf8')}`;
    } catch {
      return stderr;
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      });
    }
    rmSync(directory, { recursive: true, force: true });
  };
  // A hang guard on start-up only (nginx listens within milliseconds).
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      const log = errorLog();
      await stop();
      throw new Error(`nginx exited with ${child.exitCode}: ${log}`);
    }
    try {
      await fetch(`${url}/healthz`, { method: 'HEAD' });
      break;
    } catch {
      if (attempt >= 200) {
        const log = errorLog();
        await stop();
        throw new Error(`nginx did not listen at ${url}: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  // The readiness probe is not a request of the caller's.
  writeFileSync(accessLog, '');
  const loggedLines = () => {
    try {
      return readFileSync(accessLog, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return {
    url,
    answeredBy() {
      const counts = new Map<string, number>();
      // A request passed on after a refused connection logs every upstream tried ("a, b"): the last answered.
      for (const line of loggedLines()) {
        const answered = line.split(', ').at(-1)!;
        counts.set(answered, (counts.get(answered) ?? 0) + 1);
      }
      return counts;
    },
    async untilLogged(requests) {
      const deadline = Date.now() + 10_000;
      while (loggedLines().length < requests) {
        if (Date.now() > deadline) throw new Error(`nginx logged ${loggedLines().length} of ${requests} requests within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop,
  };
}
