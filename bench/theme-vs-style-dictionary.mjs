// generate_theme_css vs Style Dictionary 5.5 on the same @primer/primitives tokens: in-process
// (light; light + dark), fresh-process CLI, and a value-by-value comparison of both outputs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, rgb } from 'culori';
import StyleDictionary from 'style-dictionary';
import { allTokenFiles, countTokens, primerResolverDocument, primerTree } from './primer-tokens.mjs';
import { median, printTable, round } from './stats.mjs';

const WORK = path.resolve('bench/.work');

function sdConfig(tokensOrSource, destination) {
  return {
    ...tokensOrSource,
    log: { verbosity: 'silent', warnings: 'disabled' },
    platforms: { css: { transformGroup: 'css', buildPath: `${WORK}/`, files: [{ destination, format: 'css/variables' }] } },
  };
}

async function sdFormat(tree) {
  const dictionary = new StyleDictionary(sdConfig({ tokens: structuredClone(tree) }, 'sd.css'), { verbosity: 'silent' });
  const [file] = await dictionary.formatPlatform('css');
  if (!file) throw new Error('Style Dictionary formatted no file for the css platform');
  return file.output;
}

function parseDeclarations(css, selector = ':root') {
  const start = css.indexOf(`${selector} {`) === -1 ? css.indexOf(`${selector}{`) : css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf('}', start));
  const map = new Map();
  for (const match of block.matchAll(/(--[\w-]+)\s*:\s*([^;]*);/g)) map.set(match[1], match[2].trim());
  return map;
}

const normalise = (value) => value.replace(/\s+/g, ' ').replace(/, /g, ',').toLowerCase();

/** Two colour texts are the same colour when every sRGB channel agrees within half an 8-bit step. */
function sameColour(a, b) {
  const first = rgb(parse(a));
  const second = rgb(parse(b));
  if (!first || !second) return false;
  return ['r', 'g', 'b'].every((channel) => Math.abs(first[channel] - second[channel]) <= 0.5 / 255) && Math.abs((first.alpha ?? 1) - (second.alpha ?? 1)) <= 0.005;
}

function compareOutputs(dspecCss, sdCss) {
  const ours = parseDeclarations(dspecCss);
  const theirs = parseDeclarations(sdCss);
  const differences = [];
  let equal = 0;
  let sameColourOtherNotation = 0;
  for (const [name, value] of theirs) {
    if (!ours.has(name)) continue;
    if (normalise(ours.get(name)) === normalise(value)) equal++;
    else if (sameColour(ours.get(name), value)) sameColourOtherNotation++;
    else differences.push({ name, dspec: ours.get(name), styleDictionary: value });
  }
  const onlySd = [...theirs.keys()].filter((name) => !ours.has(name));
  const onlyDspec = [...ours.keys()].filter((name) => !theirs.has(name));
  const objectObject = [...theirs].filter(([, value]) => value.includes('[object Object]')).map(([name, value]) => ({ name, value }));
  return { dspecVariables: ours.size, sdVariables: theirs.size, equal, sameColourOtherNotation, differences, onlySd, onlyDspec, objectObject };
}

/**
 * Runs a and b alternately (after `warmup` of each) and records, per run, wall time and CPU time
 * (user + system, all threads of this process). CPU time does not grow with other processes'
 * load, so it shows the ratio on a busy machine too.
 */
async function pairedRuns(a, b, { runs, warmup }) {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const wall = { a: [], b: [] };
  const cpu = { a: [], b: [] };
  const measure = async (fn, side) => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await fn();
    wall[side].push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu[side].push((used.user + used.system) / 1000);
  };
  for (let i = 0; i < runs; i++) {
    await measure(a, 'a');
    await measure(b, 'b');
  }
  return { wall, cpu };
}

function timeProcess(command, args, runs) {
  const samples = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    execFileSync(command, args, { stdio: 'ignore' });
    if (i > 0) samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function runThemeBench({ runs = 15, processRuns = 7 } = {}) {
  const { generateThemeCss } = await import(path.resolve('dist/theme/generate-theme-css.js'));
  const { ThemeCssOptionsSchema } = await import(path.resolve('dist/theme/schemas.js'));
  const light = primerTree('light');
  const dark = primerTree('dark');
  const resolver = primerResolverDocument();
  const options = ThemeCssOptionsSchema.parse({});
  const resolveOptions = ThemeCssOptionsSchema.parse({ references: 'resolve' });
  const tokenCount = countTokens(light);

  // Both tools get the same warm-up, so the medians compare warm, JIT-compiled code on both sides;
  // their runs alternate, so a burst of load from other processes falls on both alike.
  const warmup = 5;
  const light1 = await pairedRuns(
    () => generateThemeCss(light, options),
    () => sdFormat(light),
    { runs, warmup },
  );
  const lightDark = await pairedRuns(
    () => generateThemeCss(resolver, options),
    async () => {
      await sdFormat(light);
      await sdFormat(dark);
    },
    { runs: Math.min(runs, 9), warmup },
  );
  const [dspecLight, sdLight] = [median(light1.wall.a), median(light1.wall.b)];
  const [dspecLightDark, sdLightDark] = [median(lightDark.wall.a), median(lightDark.wall.b)];
  const [cpuDspecLight, cpuSdLight] = [median(light1.cpu.a), median(light1.cpu.b)];

  mkdirSync(WORK, { recursive: true });
  writeFileSync(path.join(WORK, 'primer-light.json'), JSON.stringify(light));
  writeFileSync(path.join(WORK, 'sd-light.config.json'), JSON.stringify(sdConfig({ source: [path.join(WORK, 'primer-light.json')] }, 'sd-light.css')));
  const dspecCli = timeProcess(process.execPath, ['dist/bin/dspec.js', 'theme', 'css', path.join(WORK, 'primer-light.json'), '-o', path.join(WORK, 'dspec-light.css')], processRuns);
  const sdCli = timeProcess(process.execPath, ['node_modules/style-dictionary/bin/style-dictionary.js', 'build', '--config', path.join(WORK, 'sd-light.config.json'), '--silent'], processRuns);

  const comparison = compareOutputs(generateThemeCss(light, resolveOptions).css, await sdFormat(light));
  const result = {
    tokenSet: `@primer/primitives src/tokens: base (light or dark palette) + functional + component, ${tokenCount} tokens from all ${allTokenFiles().length} token files`,
    tokens: tokenCount,
    inProcess: {
      lightMs: { dspec: round(dspecLight, 2), styleDictionary: round(sdLight), speedup: round(sdLight / dspecLight) },
      lightDarkMs: { dspec: round(dspecLightDark, 2), styleDictionary: round(sdLightDark), speedup: round(sdLightDark / dspecLightDark) },
      lightCpuMs: { dspec: round(cpuDspecLight, 2), styleDictionary: round(cpuSdLight), speedup: round(cpuSdLight / cpuDspecLight) },
    },
    loadAverage: os.loadavg().map((load) => round(load, 2)),
    freshProcessCliLightMs: { dspec: round(dspecCli), styleDictionary: round(sdCli), speedup: round(sdCli / dspecCli, 2) },
    targets: { inProcessSpeedup: 10, cliSpeedup: 3 },
    values: {
      comparedVariables: comparison.dspecVariables,
      styleDictionaryVariables: comparison.sdVariables,
      equal: comparison.equal,
      sameColourOtherNotation: comparison.sameColourOtherNotation,
      different: comparison.differences.length,
      onlyInStyleDictionary: comparison.onlySd.length,
      onlyInDspec: comparison.onlyDspec.length,
      styleDictionaryObjectObject: comparison.objectObject.length,
      differenceExamples: comparison.differences.slice(0, 25),
      objectObjectExamples: comparison.objectObject.slice(0, 10),
      onlyInStyleDictionaryExamples: comparison.onlySd.slice(0, 10),
      onlyInDspecExamples: comparison.onlyDspec.slice(0, 10),
    },
  };
  result.pass = result.inProcess.lightMs.speedup >= 10 && result.inProcess.lightDarkMs.speedup >= 10 && result.freshProcessCliLightMs.speedup >= 3;
  printTable(`Theme CSS: dspec vs Style Dictionary 5.5 on ${tokenCount} Primer tokens (median ms; load average ${result.loadAverage.join(', ')})`, [
    { case: 'in-process, light', dspec: result.inProcess.lightMs.dspec, 'style-dictionary': result.inProcess.lightMs.styleDictionary, speedup: `${result.inProcess.lightMs.speedup}×` },
    {
      case: 'in-process, light, CPU time',
      dspec: result.inProcess.lightCpuMs.dspec,
      'style-dictionary': result.inProcess.lightCpuMs.styleDictionary,
      speedup: `${result.inProcess.lightCpuMs.speedup}×`,
    },
    {
      case: 'in-process, light + dark',
      dspec: result.inProcess.lightDarkMs.dspec,
      'style-dictionary': result.inProcess.lightDarkMs.styleDictionary,
      speedup: `${result.inProcess.lightDarkMs.speedup}×`,
    },
    {
      case: 'fresh-process CLI, light',
      dspec: result.freshProcessCliLightMs.dspec,
      'style-dictionary': result.freshProcessCliLightMs.styleDictionary,
      speedup: `${result.freshProcessCliLightMs.speedup}×`,
    },
  ]);
  console.log(
    `values: ${comparison.equal} equal, ${comparison.sameColourOtherNotation} the same colour in another notation, ${comparison.differences.length} different, ${comparison.onlySd.length} only in SD, ${comparison.onlyDspec.length} only in dspec; SD printed [object Object] in ${comparison.objectObject.length}`,
  );
  for (const difference of comparison.differences.slice(0, 8)) console.log(`  ${difference.name}: dspec ${difference.dspec} | SD ${difference.styleDictionary}`);
  return result;
}
