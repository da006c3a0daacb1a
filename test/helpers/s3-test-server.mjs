// A real S3-compatible server on loopback for the S3 cache's tests and bench: s3rver 3.7.1 (npm),
// behind a small strict front that adds the one thing s3rver lacks and the cache relies on,
// conditional writes. s3rver 3.7.1 stores a PUT unconditionally (it reads If-None-Match only on
// GET/HEAD), so the front enforces `PUT` + `If-None-Match: *` as AWS documents it
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html): if the key
// exists, 412 PreconditionFailed; writes to one key are serialised, so of two racing writers
// exactly one stores. Everything else passes through to s3rver untouched (same Host header, so
// SigV4 signatures still verify). Path-style addressing only.
// s3rver 3.7.1 also mints ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 has
// only under --openssl-legacy-provider: the server therefore runs as its own process with that
// flag (`spawnS3TestServer`), never inside a test worker.
//
// As a program (for .ci/run): `node --openssl-legacy-provider test/helpers/s3-test-server.mjs
// --port 4568` serves until killed and prints `s3 test server on http://127.0.0.1:4568` when ready.
import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';

/** The access key s3rver accepts (its built-in account). */
export const TEST_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const SELF = fileURLToPath(import.meta.url);
const READY = /^s3 test server on (http:\/\/127\.0\.0\.1:\d+)$/m;

/**
 * Runs the server as a child process (with the OpenSSL legacy provider it needs) on an
 * ephemeral port; `close()` stops it.
 * @returns {Promise<{ endpoint: string, close: () => Promise<void> }>}
 */
export function spawnS3TestServer() {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', SELF, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (!ready) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({
        endpoint: ready[1],
        async close() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (/** @type {Buffer} */ chunk) => void (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the S3 test server exited (${code}) before it was ready:\n${output}`)));
  });
}

/**
 * Starts s3rver on an ephemeral loopback port and the strict front on `port` (0: any).
 * @param {{ port?: number }} [options]
 * @returns {Promise<{ endpoint: string, close: () => Promise<void> }>}
 */
export async function startS3TestServer(options = {}) {
  const directory = mkdtempSync(path.join(tmpdir(), 'dspec-s3rver-'));
  const backend = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, resetOnClose: true });
  const { port: backendPort } = await backend.run();
  /** @type {Map<string, Promise<void>>} */
  const keyLocks = new Map();

  const front = http.createServer((request, response) => {
    const target = conditionalPutTarget(request);
    if (!target) {
      forward(request, response, backendPort);
      return;
    }
    const lockName = `${target.bucket}/${target.key}`;
    const previous = keyLocks.get(lockName) ?? Promise.resolve();
    const turn = previous.then(async () => {
      if (await backend.store.existsObject(target.bucket, target.key)) {
        request.resume();
        await new Promise((resolve) => {
          response.writeHead(412, { 'content-type': 'application/xml' });
          response.end(
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message>' +
              `<Condition>If-None-Match</Condition><Key>${escapeXml(target.key)}</Key></Error>`,
            resolve,
          );
        });
        return;
      }
      await new Promise((resolve) => forward(request, response, backendPort, resolve));
    });
    const settled = turn.catch(() => undefined);
    keyLocks.set(lockName, settled);
    void settled.then(() => {
      if (keyLocks.get(lockName) === settled) keyLocks.delete(lockName);
    });
  });
  await new Promise((resolve) => front.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)));
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(() => resolve(undefined)));
      await backend.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The bucket and key of an object PUT that carries `If-None-Match: *`, else undefined.
 * @param {http.IncomingMessage} request
 */
function conditionalPutTarget(request) {
  if (request.method !== 'PUT' || request.headers['if-none-match'] !== '*') return undefined;
  const url = new URL(request.url ?? '/', 'http://front');
  // A copy or a multipart part is not a plain object PUT; the cache sends neither.
  if (request.headers['x-amz-copy-source'] || url.searchParams.has('partNumber')) return undefined;
  const [bucket, ...keyParts] = url.pathname.slice(1).split('/');
  if (!bucket || keyParts.length === 0) return undefined;
  return { bucket: decodeURIComponent(bucket), key: keyParts.map(decodeURIComponent).join('/') };
}

/**
 * Pipes a request to the backend and its answer back; `done` runs once the answer is sent.
 * @param {http.IncomingMessage} request
 * @param {http.ServerResponse} response
 * @param {number} backendPort
 * @param {() => void} [done]
 */
function forward(request, response, backendPort, done = () => {}) {
  const upstream = http.request({ host: '127.0.0.1', port: backendPort, method: request.method, path: request.url, headers: request.headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
    answer.on('end', done);
    answer.on('error', done);
  });
  upstream.on('error', (error) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(`s3 test front: backend unreachable: ${error.message}`);
    done();
  });
  request.pipe(upstream);
}

/** @param {string} text */
function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    process.stderr.write('s3-test-server: s3rver needs DES for its list tokens: run node with --openssl-legacy-provider\n');
    process.exit(2);
  }
  const portFlag = process.argv.indexOf('--port');
  const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);
  const server = await startS3TestServer({ port });
  process.stdout.write(`s3 test server on ${server.endpoint}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
