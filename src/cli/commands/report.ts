import { spawn } from 'node:child_process';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../infra/atomic-write.js';
import { ExitCode } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand } from '../run-cli.js';

/** The platform's "open this file with its default application" command. */
function openerFor(platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

export const reportCommand: CliCommand = {
  words: ['report'],
  summary:
    'Write one self-contained HTML page (inline SVG charts, no network) of spend over time by component, model and provider against the budgets, cache hit rate and money saved, provider retries and circuit-breaker openings, and eval results. Default: <home>/report.html.',
  options: {
    output: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the HTML page (default: in the state home)' },
    open: { type: 'boolean', description: 'open the page in the default browser' },
  },
  async run({ values, positionals }, io, openRuntime) {
    if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; usage: ${usageLine(this)}`);
    const { config, home } = await openRuntime();
    const [{ collectDashboard }, { renderDashboard }] = await Promise.all([import('../../dashboard/collect-dashboard.js'), import('../../dashboard/dashboard-html.js')]);
    const data = await collectDashboard({ home, breakerThreshold: config.generation.breaker.failureThreshold });
    const file = path.resolve(io.cwd, typeof values.output === 'string' ? values.output : path.join(home, 'report.html'));
    await writeFileAtomic(file, renderDashboard(data));
    io.stderr(`wrote ${file} (${data.ledgerLines} ledger lines, ${data.cacheIndex?.entries ?? 0} cache entries, ${data.evals.length} eval runs)\n`);
    io.stdout(`${file}\n`);
    if (values.open) {
      const opener = openerFor(process.platform);
      await new Promise<void>((resolve) => {
        const child = spawn(opener.command, [...opener.args, file], { stdio: 'ignore', detached: true });
        child.on('error', (error) => {
          io.stderr(`dspec: could not open a browser (${opener.command}: ${error.message}); open ${file} yourself\n`);
          resolve();
        });
        child.on('spawn', () => {
          child.unref();
          resolve();
        });
      });
    }
    return ExitCode.Ok;
  },
};
