import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

/**
 * deploy/ is documentation that must work when copied: the compose file parses and wires three
 * stateless replicas behind the proxy after the migration, every replica reads the same env
 * file, and the nginx config balances with no affinity and streams SSE. Docker does not run on
 * the machines these tests run on, so the compose file is checked as data and nginx with `nginx -t`.
 */

const DEPLOY = path.resolve(import.meta.dirname, '../../deploy');
const REPLICAS = ['dspec-1', 'dspec-2', 'dspec-3'];

interface ComposeService {
  image?: string;
  command?: string[];
  env_file?: string[];
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
}

function readCompose(): { services: Record<string, ComposeService> } {
  const document = parseDocument(readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true });
  expect(document.errors.map((error) => error.message)).toEqual([]);
  return document.toJS() as { services: Record<string, ComposeService> };
}

function envFileKeys(name: string): Map<string, string> {
  const entries = readFileSync(path.join(DEPLOY, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const equals = line.indexOf('=');
      expect(equals, `${name}: "${line}" is not NAME=value`).toBeGreaterThan(0);
      return [line.slice(0, equals), line.slice(equals + 1)] as const;
    });
  return new Map(entries);
}

describe('deploy/ example', () => {
  it('compose: three replicas of one image, each started after the migration and the bucket, behind the proxy', () => {
    const { services } = readCompose();
    expect(Object.keys(services).sort()).toEqual(['bucket', 'dspec-1', 'dspec-2', 'dspec-3', 'migrate', 'minio', 'postgres', 'proxy']);
    for (const name of REPLICAS) {
      const replica = services[name]!;
      expect(replica.image).toBe('dspec:local');
      expect(replica.command).toEqual(['serve', '--http']);
      expect(replica.env_file).toEqual(['dspec.env']);
      expect(replica.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' }, bucket: { condition: 'service_completed_successfully' } });
      // Only the proxy is published: a replica reached directly would bypass nothing, but clients should see one address.
      expect(replica.ports).toBeUndefined();
    }
    expect(services.migrate!.command).toEqual(['db', 'migrate']);
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.proxy!.ports).toEqual(['3939:8080']);
    expect(Object.keys(services.proxy!.depends_on ?? {}).sort()).toEqual(REPLICAS);
  });

  it('env examples: the replicas get an S3 cache, a PostgreSQL ledger and a token, with credentials matching their services', () => {
    const dspec = envFileKeys('dspec.env.example');
    const postgres = envFileKeys('postgres.env.example');
    const minio = envFileKeys('minio.env.example');
    expect(dspec.get('DSPEC_CACHE_URL')).toBe(`s3://${minio.get('DSPEC_BUCKET')}/cache`);
    expect(dspec.get('AWS_ENDPOINT_URL')).toBe('http://minio:9000');
    expect(dspec.get('AWS_ACCESS_KEY_ID')).toBe(minio.get('MINIO_ROOT_USER'));
    expect(dspec.get('AWS_SECRET_ACCESS_KEY')).toBe(minio.get('MINIO_ROOT_PASSWORD'));
    const database = new URL(dspec.get('DSPEC_DATABASE_URL') ?? '');
    expect(database.protocol).toBe('postgres:');
    expect([database.username, decodeURIComponent(database.password), database.hostname, database.pathname]).toEqual([
      postgres.get('POSTGRES_USER'),
      postgres.get('POSTGRES_PASSWORD'),
      'postgres',
      `/${postgres.get('POSTGRES_DB')}`,
    ]);
    // A replica bound beyond loopback refuses to start without a token.
    expect(dspec.get('DSPEC_HTTP_HOST')).toBe('0.0.0.0');
    expect(dspec.get('DSPEC_HTTP_TOKEN')?.length).toBeGreaterThan(0);
  });

  it('nginx: round robin over the three replicas, no affinity, SSE unbuffered, POSTs never re-sent', () => {
    const config = readFileSync(path.join(DEPLOY, 'nginx.conf'), 'utf8');
    const directives = config
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(directives.filter((line) => line.startsWith('server dspec-')).map((line) => line.split(/\s+/)[1])).toEqual(REPLICAS.map((name) => `${name}:3939`));
    for (const affinity of ['ip_hash', 'hash ', 'sticky', 'least_conn', 'random']) expect(directives.some((line) => line.startsWith(affinity))).toBe(false);
    expect(directives).toContain('proxy_buffering off;');
    expect(directives).toContain('proxy_http_version 1.1;');
    expect(directives).toContain('proxy_next_upstream error timeout;');
    expect(directives.some((line) => line.includes('non_idempotent'))).toBe(false);
  });

  it('nginx -t accepts the config (with the compose service names pointed at loopback)', (context) => {
    const nginx = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
    if (nginx.error) {
      context.skip('nginx is not installed here (apt-get install nginx-light); the config was checked as text only');
      return;
    }
    const directory = mkdtempSync(path.join(tmpdir(), 'dspec-nginx-'));
    try {
      // nginx resolves upstream names when it loads the config; compose's names exist only in its network.
      const config = readFileSync(path.join(DEPLOY, 'nginx.conf'), 'utf8').replace(/dspec-[123]:3939/g, '127.0.0.1:3939');
      writeFileSync(path.join(directory, 'nginx.conf'), config);
      const output = execFileSync('nginx', ['-t', '-c', path.join(directory, 'nginx.conf'), '-p', directory], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(output).toBe('');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
