// The bundle's banner gives bundled CommonJS a `require`, `__dspec_filename` and `__dspec_dirname`
// (ES modules have none). Each file that holds it pays two more imports to resolve and a
// createRequire() when it loads, yet most chunks (dspec's own ES modules) use none of it: 24 of
// the 32 files a stdio start loads. The build writes a file that names none of them without it.

/**
 * The emitted files, each without the banner if its code names nothing the banner defines.
 * @param {ReadonlyArray<{ path: string, contents: string | Uint8Array }>} files esbuild's output files
 * @param {string} banner the banner exactly as given to esbuild (it adds a newline after it)
 * @returns {Array<{ path: string, contents: string | Uint8Array }>}
 */
export function withoutUnusedBanner(files, banner) {
  const line = `${banner}\n`;
  return files.map((file) => {
    if (!file.path.endsWith('.js')) return file;
    const text = typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8');
    const at = text.indexOf(line);
    // Only at the top, or right after a hashbang line: anywhere else it is not the banner.
    const atTop = at === 0 || (text.startsWith('#!') && at === text.indexOf('\n') + 1);
    if (at < 0 || !atTop) return file;
    const code = text.slice(0, at) + text.slice(at + line.length);
    // Any mention, even in a string or a property name, keeps the banner: a false keep costs ~0.1 ms, a false strip breaks the file.
    return /require|__dspec/.test(code) ? file : { path: file.path, contents: code };
  });
}
