import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutUnusedBanner } from '../../scripts/bundle-banner.mjs';
import { assertBuilt } from '../helpers/built-bin.js';

const BANNER = "import { createRequire as __dspecCreateRequire } from 'node:module'; const require = __dspecCreateRequire(import.meta.url);";

describe('the bundle banner (scripts/bundle-banner.mjs)', () => {
  it('leaves the banner out of a chunk whose code needs none of it', () => {
    const [chunk] = withoutUnusedBanner([{ path: 'dist/chunks/chunk-A.js', contents: `${BANNER}\nimport{a}from"./chunk-B.js";export const b=a+1;\n` }], BANNER);
    expect(chunk?.contents).toBe('import{a}from"./chunk-B.js";export const b=a+1;\n');
  });

  it('keeps it where the code calls require or names __dspec_filename/__dspec_dirname, given as bytes too', () => {
    const files = [
      { path: 'dist/chunks/cjs.js', contents: `${BANNER}\nvar x=require("node:fs");\n` },
      { path: 'dist/chunks/dirname.js', contents: new TextEncoder().encode(`${BANNER}\nexport const d=__dspec_dirname;\n`) },
      { path: 'dist/chunks/typeof.js', contents: `${BANNER}\nvar r=typeof require<"u"?require:null;\n` },
    ];
    expect(withoutUnusedBanner(files, BANNER)).toEqual(files);
  });

  it('takes it from after a hashbang line, and leaves a banner-like line elsewhere and non-JavaScript files alone', () => {
    const [bin, elsewhere, map] = withoutUnusedBanner(
      [
        { path: 'dist/bin/dspec.js', contents: `#!/usr/bin/env node\n${BANNER}\nimport"../chunks/a.js";\n` },
        { path: 'dist/chunks/late.js', contents: `export const a=1;\n${BANNER}\n` },
        { path: 'dist/chunks/a.js.map', contents: `${BANNER}\n{}` },
      ],
      BANNER,
    );
    expect(bin?.contents).toBe('#!/usr/bin/env node\nimport"../chunks/a.js";\n');
    expect(elsewhere?.contents).toBe(`export const a=1;\n${BANNER}\n`);
    expect(map?.contents).toBe(`${BANNER}\n{}`);
  });

  it('in the built package, every file that uses require or __dspec_* defines them, and most chunks go without', () => {
    assertBuilt();
    const chunksDir = path.resolve('dist/chunks');
    const files = [
      path.resolve('dist/bin/dspec.js'),
      path.resolve('dist/index.js'),
      ...readdirSync(chunksDir)
        .filter((name) => name.endsWith('.js'))
        .map((name) => path.join(chunksDir, name)),
    ];
    let without = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const defines = text.includes('const require = __dspecCreateRequire(import.meta.url);');
      if (!defines) without++;
      const uses = /require|__dspec/.test(text);
      expect({ file: path.relative('dist', file), usesWithoutDefining: uses && !defines }).toEqual({ file: path.relative('dist', file), usesWithoutDefining: false });
    }
    expect(without).toBeGreaterThan(files.length / 2);
  });
});
