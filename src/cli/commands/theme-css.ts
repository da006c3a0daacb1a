import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../infra/atomic-write.js';
import { loadConfig } from '../../infra/config.js';
import { parseJsonText } from '../../infra/json.js';
import { generateThemeCss } from '../../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema } from '../../theme/schemas.js';
import { ExitCode } from '../io.js';
import type { CliCommand } from '../run-cli.js';
import { CONTRACT_VARIABLES } from '../../catalog/contract.js';

export const themeCssCommand: CliCommand = {
  words: ['theme', 'css'],
  usage: 'dspec theme css <theme.json> [-o out.css] [--dark-selector S] [--dark-media] [--minify] [--comments] [--references var|resolve] [--no-component-defaults]',
  summary: 'Turn a Tekton theme or W3C DTCG tokens (or resolver) into one CSS file of custom properties.',
  options: {
    output: { type: 'string', short: 'o' },
    'dark-selector': { type: 'string' },
    'dark-media': { type: 'boolean' },
    minify: { type: 'boolean' },
    comments: { type: 'boolean' },
    references: { type: 'string' },
    'no-component-defaults': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new InputError(`expected exactly one theme file, got ${positionals.length}; usage: ${this.usage}`);
    const config = loadConfig({ cwd: io.cwd, env: io.env });
    const file = path.resolve(io.cwd, positionals[0]!);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (Buffer.byteLength(text) > config.limits.maxThemeBytes) {
      throw new InputError(`${positionals[0]} is larger than the ${config.limits.maxThemeBytes}-byte limit for a theme`);
    }
    const options = ThemeCssOptionsSchema.safeParse({
      darkSelector: values['dark-selector'],
      darkMedia: values['dark-media'],
      minify: values.minify,
      comments: values.comments,
      references: values.references,
      componentDefaults: values['no-component-defaults'] ? false : undefined,
    });
    if (!options.success) {
      throw new InputError(`invalid option: ${options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const theme = parseJsonText(text, positionals[0]);
    const result = generateThemeCss(theme, options.data, { maxTokens: config.limits.maxTokens, defaultBindings: CONTRACT_VARIABLES });
    for (const warning of result.warnings) io.stderr(`warning ${warning.code} ${warning.path}: ${warning.message}\n`);
    if (typeof values.output === 'string') {
      await writeFileAtomic(path.resolve(io.cwd, values.output), result.css);
      io.stderr(`wrote ${values.output} (${result.variables.size + result.darkVariables.size} variables, sha256 ${result.hash.slice(0, 12)})\n`);
    } else {
      io.stdout(result.css.endsWith('\n') ? result.css : `${result.css}\n`);
    }
    return ExitCode.Ok;
  },
};
