// What `npx -y --package=<spec> <bin>` leaves in a user's npm cache for one package: the folder
// `<cache>/_npx/<hash>/` it installs into, measured as `du -sb` does (apparent bytes, each hard
// link once: esbuild links its platform binary into its own bin/), and every package under its
// node_modules, nested and optional ones included. Shared by the first-launch bench and the
// npx tarball test, so both report the number the ≤ 40 MB target is about.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The one install folder npx made under `<cache>/_npx/`; an error when there is none or several. */
export function npxInstallFolder(cache) {
  const npxRoot = path.join(cache, '_npx');
  const hashes = existsSync(npxRoot) ? readdirSync(npxRoot) : [];
  const [hash, ...others] = hashes;
  if (hash === undefined || others.length > 0) throw new Error(`expected one npx install under ${npxRoot}, found ${hashes.length === 0 ? 'none' : hashes.join(', ')}`);
  return path.join(npxRoot, hash);
}

/** Apparent size of a folder tree, as `du -sb`: files, folders and links by their own size, each inode once. */
export function apparentBytes(folder) {
  const seen = new Set();
  let bytes = 0;
  const visit = (entry) => {
    const stats = lstatSync(entry, { bigint: true });
    const inode = `${stats.dev}:${stats.ino}`;
    if (seen.has(inode)) return;
    seen.add(inode);
    bytes += Number(stats.size);
    if (stats.isDirectory()) for (const name of readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(folder);
  return bytes;
}

/** `name@version` of every package in a node_modules folder and in the node_modules nested in them. */
export function installedPackages(nodeModules) {
  /** @type {string[]} */
  const found = [];
  if (!existsSync(nodeModules)) return found;
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const directories = name.startsWith('@') ? readdirSync(path.join(nodeModules, name)).map((scoped) => path.join(nodeModules, name, scoped)) : [path.join(nodeModules, name)];
    for (const directory of directories) {
      const manifestFile = path.join(directory, 'package.json');
      if (!existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      found.push(`${manifest.name}@${manifest.version}`);
      found.push(...installedPackages(path.join(directory, 'node_modules')));
    }
  }
  return found.sort();
}

/** The npx install of one package in `cache`: its folder, apparent size in bytes and MB (10^6 bytes), and packages. */
export function measureNpxInstall(cache) {
  const folder = npxInstallFolder(cache);
  const bytes = apparentBytes(folder);
  const packages = installedPackages(path.join(folder, 'node_modules'));
  return { folder, bytes, megabytes: Math.round(bytes / 1e4) / 100, packages };
}
