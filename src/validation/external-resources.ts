/**
 * References to resources on another host: `url(https://…)`, protocol-relative `url(//…)` and
 * `@import` of a remote stylesheet. A component that loads them phones home from every page that
 * renders it and breaks offline and under a strict CSP, so the gate refuses them. Fragments
 * (`url(#gradient)`), `data:` URIs and relative paths are not remote and pass.
 */
export interface ExternalResourceHit {
  url: string;
  offset: number;
}

const REMOTE_URL = /url\(\s*(['"]?)\s*((?:[a-z][a-z0-9+.-]*:)?\/\/[^'")\s]*|(?:https?|ftp|wss?):[^'")\s]*)/gi;
const REMOTE_IMPORT = /@import\s+(['"])\s*((?:[a-z][a-z0-9+.-]*:)?\/\/[^'"]*|https?:[^'"]*)\1/gi;

export function findExternalResources(text: string): ExternalResourceHit[] {
  const hits: ExternalResourceHit[] = [];
  for (const match of text.matchAll(REMOTE_URL)) hits.push({ url: match[2]!, offset: match.index });
  for (const match of text.matchAll(REMOTE_IMPORT)) hits.push({ url: match[2]!, offset: match.index });
  return hits.sort((a, b) => a.offset - b.offset);
}
