import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';

/** A logger at `level` and the JSON lines it has written. */
function recordingLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  let writes = 0;
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes++;
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ level, destination }), lines, writes: () => writes };
}

describe('the logger (its pino instance is made on the first line it writes)', () => {
  it('drops lines below its level and writes the rest, with secrets redacted', () => {
    const { logger, lines } = recordingLogger('warn');
    logger.info('not written');
    logger.debug({ token: 'x' }, 'nor this');
    expect(lines).toEqual([]);
    logger.warn({ apiKey: 'sk-secret', env: { OPENAI_API_KEY: 'sk-other' } }, 'written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, name: 'dspec', msg: 'written', apiKey: '[redacted]', env: { OPENAI_API_KEY: '[redacted]' } });
    expect(JSON.stringify(lines)).not.toContain('sk-');
  });

  it('answers level and isLevelEnabled before any line, as pino would', () => {
    const { logger, writes } = recordingLogger('info');
    expect(logger.level).toBe('info');
    expect(logger.isLevelEnabled('debug')).toBe(false);
    expect(logger.isLevelEnabled('info')).toBe(true);
    expect(logger.isLevelEnabled('error')).toBe(true);
    expect(writes()).toBe(0);
  });

  it('makes children that keep their bindings and level, before and after the parent writes', () => {
    const { logger, lines } = recordingLogger('info');
    const early = logger.child({ tool: 'preview' });
    const quiet = logger.child({ tool: 'cost_report' }, { level: 'error' });
    quiet.warn('below the child level');
    early.info({ authorization: 'Bearer t' }, 'from the early child');
    logger.info('from the parent');
    logger.child({ tool: 'export_screen' }).error('from a late child');
    expect(lines.map((line) => [line.msg, line.tool, line.authorization])).toEqual([
      ['from the early child', 'preview', '[redacted]'],
      ['from the parent', undefined, undefined],
      ['from a late child', 'export_screen', undefined],
    ]);
  });

  it('takes a new level set before its first line', () => {
    const { logger, lines } = recordingLogger('warn');
    logger.level = 'debug';
    logger.debug('now written');
    expect(logger.level).toBe('debug');
    expect(lines.map((line) => line.msg)).toEqual(['now written']);
  });

  it('refuses an unknown level when it is made, naming it', () => {
    expect(() => createLogger({ level: 'verbose' })).toThrow(/unknown log level "verbose"/);
  });
});
