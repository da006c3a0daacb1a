import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileCache } from '../../src/cache/file-cache.js';
import { buildCostModules, writeChildScript } from '../cost/build-child-modules.js';
import { tempHome } from './entry-fixture.js';

function runNode(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('one cache directory shared by several processes', () => {
  let script: string;
  beforeAll(async () => {
    const modules = await buildCostModules();
    script = writeChildScript(
      modules.dir,
      'cache-writer.mjs',
      `import { FileCache, makeEntry } from ${JSON.stringify(modules.module)};
const [home, writer, count] = process.argv.slice(2);
const cache = new FileCache({ home });
for (let i = 0; i < Number(count); i++) {
  const entry = makeEntry({ component: 'C' + writer, seed: writer + i });
  await cache.set(entry);
  if (!(await new FileCache({ home }).get(entry.key))) throw new Error('just-written entry not readable');
  if (i % 40 === 0) await cache.stats(); // compaction and repair racing the other writers
}
`,
    );
  });

  it('keeps every entry and a consistent index while 3 processes write and read at once', async () => {
    const home = tempHome();
    const results = await Promise.all(['a', 'b', 'c'].map((writer) => runNode(script, [home, writer, '120'])));
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });
    const stats = await new FileCache({ home }).stats();
    expect(stats.entries).toBe(360);
    expect(stats.quarantined).toBe(0);
    expect(stats.byComponent.map((c) => [c.name, c.entries])).toEqual([
      ['Ca', 120],
      ['Cb', 120],
      ['Cc', 120],
    ]);
    expect(stats.index.corruptLines).toBe(0);
  });
});
