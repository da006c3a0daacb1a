// The installed @modelcontextprotocol/conformance CLI, run as a child process on this Node with
// the Node 20 preload (register-node20-fs.mjs), and the parsing of what it lists.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PRELOAD = fileURLToPath(new URL('./register-node20-fs.mjs', import.meta.url));

/** The suite's package.json: its version and the path of its `conformance` bin. */
export function suitePackage() {
  const manifestPath = require.resolve('@modelcontextprotocol/conformance/package.json');
  /** @type {{ version: string, bin: { conformance: string } }} */
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return { version: manifest.version, bin: path.join(path.dirname(manifestPath), manifest.bin.conformance) };
}

/**
 * Runs `conformance <args>`; resolves with its exit code and output whatever the code (the suite
 * exits 1 when a check fails). A run still going after `timeoutMs` is killed and reported as such.
 * @param {string[]} args
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, timedOut: boolean }>}
 */
export function runSuite(args, { timeoutMs = 120_000 } = {}) {
  const child = spawn(process.execPath, ['--import', PRELOAD, suitePackage().bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * The server scenarios in `conformance list --server --requirements <revision>` output: the
 * scored ones under "Server scenarios", and the unscored ones tagged `[server]` (pending, added
 * after the release, extensions), which the suite still runs and reports.
 * @param {string} listing
 * @returns {string[]}
 */
export function parseServerScenarios(listing) {
  const names = [];
  let inServerSection = false;
  for (const line of listing.split('\n')) {
    if (/^Server scenarios\b/.test(line)) inServerSection = true;
    else if (/^\S/.test(line)) inServerSection = false;
    const scored = inServerSection ? /^ {2}- (\S+)$/.exec(line) : null;
    const unscored = /^\s+- (\S+) \[server\]$/.exec(line);
    const name = scored?.[1] ?? unscored?.[1];
    if (name) names.push(name);
  }
  return names;
}

/**
 * The server scenarios the installed suite holds for a protocol revision.
 * @param {string} revision
 */
export async function listServerScenarios(revision) {
  const listed = await runSuite(['list', '--server', '--requirements', revision]);
  if (listed.code !== 0) throw new Error(`conformance list --requirements ${revision} failed (exit ${listed.code}):\n${listed.stderr || listed.stdout}`);
  const names = parseServerScenarios(listed.stdout);
  if (names.length === 0) throw new Error(`conformance list --requirements ${revision} named no server scenario; its output was:\n${listed.stdout}`);
  return names;
}
