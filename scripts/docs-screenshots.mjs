// `npm run docs:screenshots`: the README's preview pictures, made by `dspec preview` as a user
// would run it (light and dark, desktop width) for a catalog component and a screen.
import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import path from 'node:path';

const out = 'docs/screenshots';
const theme = 'test/fixtures/screens/dual-mode-theme.json';
const run = (args) => execFileSync(process.execPath, ['dist/bin/dspec.js', 'preview', ...args, '--theme', theme, '--out', out, '--mode', 'light,dark'], { stdio: 'inherit' });

run(['Button', '--story', 'Sizes', '--viewport', '768']);
run(['examples/preview-screen.json', '--viewport', '1280']);
// Stable names for the README.
for (const mode of ['light', 'dark']) {
  renameSync(path.join(out, `Button-Sizes-768-${mode}.png`), path.join(out, `preview-button-${mode}.png`));
  renameSync(path.join(out, `TeamOverview-1280-${mode}.png`), path.join(out, `preview-screen-${mode}.png`));
}
console.log(`wrote ${out}/preview-button-{light,dark}.png and ${out}/preview-screen-{light,dark}.png`);
