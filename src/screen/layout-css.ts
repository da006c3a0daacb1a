import type { BlueprintLayout, Screen, ScreenElement, ScreenRegion } from './screen-model.js';

/**
 * The screen's layout as a CSS module: CSS grid and flex only, spacing from the theme contract
 * (`var(--dspec-space-*)`), colours only through theme variables, never literals (the gate's
 * colour rule checks this file like any other). Every selector and value here comes from a
 * fixed table or from validated integers, never from the screen's text.
 */

/** Breakpoints of Tekton's `responsive` overrides, mobile first. */
export const BREAKPOINTS = { sm: '640px', md: '768px', lg: '1024px', xl: '1280px', '2xl': '1536px' } as const;
type Breakpoint = keyof typeof BREAKPOINTS;

const GAP = { none: '0', sm: 'var(--dspec-space-2)', md: 'var(--dspec-space-4)', lg: 'var(--dspec-space-6)' } as const;

/** Slot names of a split section, mapped to its two areas. */
const SPLIT_PRIMARY = new Set(['left', 'main', 'primary', 'start', 'content']);
const SPLIT_SECONDARY = new Set(['right', 'sidebar', 'aside', 'secondary', 'end']);

/** Page widths by Tekton page token; other pages get the default and a warning. */
const PAGE_CLASSES: Record<string, string> = { dashboard: 'pageWide', detail: 'pageWide', settings: 'pageNarrow', list: 'pageWide', form: 'pageNarrow', landing: 'pageFull' };
const KNOWN_SHELLS = new Set(['shell.web.dashboard', 'shell.web.app', 'shell.web.marketing', 'shell.web.minimal', 'shell.web.auth']);

export interface RegionLayout {
  /** CSS module classes of the region's wrapper, in order. */
  classes: string[];
  /** The element the region renders as. */
  element: 'div' | 'header' | 'main' | 'aside' | 'footer' | 'section';
  /** Wrapper class of a direct child, when its slot places it in a named area. */
  slotClass(element: ScreenElement): string | undefined;
}

export interface ScreenLayout {
  css: string;
  rootClasses: string[];
  /** For Tekton screens, the `<main>` inside the shell; blueprints render their areas directly. */
  pageClasses?: string[];
  regions: RegionLayout[];
  warnings: string[];
}

const BASE_CSS = `.shell {
  box-sizing: border-box;
  min-block-size: 100vh;
  padding: var(--dspec-space-6);
  background: var(--dspec-color-canvas);
  color: var(--dspec-color-text);
  font-family: var(--dspec-font-sans);
}

.page {
  display: flex;
  flex-direction: column;
  gap: var(--dspec-space-8);
  margin-inline: auto;
  inline-size: 100%;
}

.pageWide {
  max-inline-size: 80rem;
}

.pageNarrow {
  max-inline-size: 48rem;
}

.pageFull {
  max-inline-size: none;
}

.stack {
  display: flex;
  flex-direction: column;
  gap: var(--dspec-space-4);
}

.container {
  display: flex;
  flex-wrap: wrap;
  align-items: flex-start;
  gap: var(--dspec-space-4);
}

.flex {
  display: flex;
  flex-wrap: wrap;
  align-items: stretch;
  gap: var(--dspec-space-4);
}

.flex > * {
  flex: 1 1 16rem;
}

.grid {
  display: grid;
  grid-template-columns: minmax(0, 1fr);
  gap: var(--dspec-space-4);
}

.split {
  display: grid;
  grid-template-columns: minmax(0, 1fr);
  grid-template-areas: 'primary' 'secondary';
  gap: var(--dspec-space-6);
}

@media (min-width: ${BREAKPOINTS.md}) {
  .split {
    grid-template-columns: repeat(2, minmax(0, 1fr));
    grid-template-areas: 'primary secondary';
  }

  .splitMain {
    grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
  }
}

.primary {
  grid-area: primary;
  min-inline-size: 0;
}

.secondary {
  grid-area: secondary;
  min-inline-size: 0;
}
`;

const LAYOUT_CSS = `.layout {
  box-sizing: border-box;
  display: grid;
  min-block-size: 100vh;
  grid-template-columns: minmax(0, 1fr);
  gap: var(--dspec-space-6);
  padding: var(--dspec-space-6);
  background: var(--dspec-color-canvas);
  color: var(--dspec-color-text);
  font-family: var(--dspec-font-sans);
}

.area {
  display: flex;
  flex-direction: column;
  gap: var(--dspec-space-4);
  min-inline-size: 0;
}

.areaGrid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
  gap: var(--dspec-space-4);
  align-items: start;
}

.header {
  grid-area: header;
  flex-direction: row;
  flex-wrap: wrap;
  align-items: center;
}

.main {
  grid-area: main;
}

.left {
  grid-area: left;
}

.right {
  grid-area: right;
}

.sidebar {
  grid-area: sidebar;
}

.footer {
  grid-area: footer;
  flex-direction: row;
  flex-wrap: wrap;
}

.hero {
  grid-area: hero;
  align-items: flex-start;
  padding-block: var(--dspec-space-12);
}

.features {
  grid-area: features;
}

.cta {
  grid-area: cta;
  flex-direction: row;
  flex-wrap: wrap;
  justify-content: center;
}
`;

/** grid-template-areas of each blueprint layout (named after its slots): narrow first, then from the md breakpoint. */
const LAYOUT_AREAS_CSS: Record<BlueprintLayout, { narrow: string; wide: string; columns: string }> = {
  'single-column': { narrow: "'header' 'main' 'footer'", wide: "'header' 'main' 'footer'", columns: 'minmax(0, 1fr)' },
  'two-column': { narrow: "'header' 'left' 'right' 'footer'", wide: "'header header' 'left right' 'footer footer'", columns: 'repeat(2, minmax(0, 1fr))' },
  'sidebar-left': { narrow: "'header' 'sidebar' 'main' 'footer'", wide: "'header header' 'sidebar main' 'footer footer'", columns: '16rem minmax(0, 1fr)' },
  'sidebar-right': { narrow: "'header' 'main' 'sidebar' 'footer'", wide: "'header header' 'main sidebar' 'footer footer'", columns: 'minmax(0, 1fr) 16rem' },
  dashboard: { narrow: "'header' 'sidebar' 'main' 'footer'", wide: "'header header' 'sidebar main' 'footer footer'", columns: '14rem minmax(0, 1fr)' },
  landing: { narrow: "'hero' 'features' 'cta' 'footer'", wide: "'hero' 'features' 'cta' 'footer'", columns: 'minmax(0, 1fr)' },
};

/** The element each slot renders as; the class of the same name places it in its grid area. */
const SLOT_ELEMENTS: Record<string, RegionLayout['element']> = {
  header: 'header',
  main: 'main',
  sidebar: 'aside',
  footer: 'footer',
  left: 'section',
  right: 'section',
  hero: 'section',
  features: 'section',
  cta: 'section',
};

function gridColumnsCss(selector: string, columns: number): string {
  return `${selector} {\n  grid-template-columns: repeat(${columns}, minmax(0, 1fr));\n}`;
}

function media(breakpoint: Breakpoint, body: string): string {
  return `@media (min-width: ${BREAKPOINTS[breakpoint]}) {\n${body.replace(/^/gm, '  ')}\n}`;
}

export function buildScreenLayout(screen: Screen): ScreenLayout {
  return screen.source === 'tekton' ? tektonLayout(screen) : blueprintLayout(screen);
}

function tektonLayout(screen: Screen): ScreenLayout {
  const warnings: string[] = [];
  const extra: string[] = [];
  if (screen.shell && !KNOWN_SHELLS.has(screen.shell)) warnings.push(`shell "${screen.shell}" has no layout of its own; the default shell layout is used`);
  const pageName = (screen.page ?? 'page.default').slice('page.'.length);
  const pageClass = PAGE_CLASSES[pageName];
  if (!pageClass) warnings.push(`page "${screen.page}" has no layout of its own; the default page width is used`);

  const regions = screen.regions.map((region, index): RegionLayout => {
    const classes: string[] = [];
    const pattern = /^([a-z]+)(?:-(\d+))?$/.exec(region.pattern);
    const kind = pattern?.[1] ?? 'stack';
    const count = Math.min(Math.max(Number(pattern?.[2] ?? 0), 0), 12);
    let slotClass: RegionLayout['slotClass'] = () => undefined;
    if (kind === 'grid') {
      classes.push('grid', `region${index}`);
      extra.push(...gridCss(`.region${index}`, region, count || 2));
    } else if (kind === 'split') {
      classes.push('split');
      const slots = region.children.map((child) => child.slot).filter((slot): slot is string => slot !== undefined);
      if (slots.some((slot) => slot === 'main' || slot === 'sidebar')) classes.push('splitMain');
      slotClass = (element) => (element.slot && SPLIT_PRIMARY.has(element.slot) ? 'primary' : element.slot && SPLIT_SECONDARY.has(element.slot) ? 'secondary' : undefined);
      for (const child of region.children) {
        if (child.slot && !SPLIT_PRIMARY.has(child.slot) && !SPLIT_SECONDARY.has(child.slot)) {
          warnings.push(`${child.path}.slot: "${child.slot}" is not an area of section.split (left/main or right/sidebar); placed in order`);
        }
      }
    } else if (kind === 'stack' || kind === 'container' || kind === 'flex') {
      classes.push(kind);
    } else {
      classes.push('stack');
      warnings.push(`${region.path}.pattern: "section.${region.pattern}" has no layout of its own; laid out as a stack`);
    }
    if (kind !== 'grid' && Object.keys(region.responsive).length) {
      const overrides = responsiveCss(`.region${index}`, region, kind === 'split');
      if (overrides.length) {
        classes.push(`region${index}`);
        extra.push(...overrides);
      }
    }
    return { classes, element: 'div', slotClass };
  });
  return { css: `${[BASE_CSS.trimEnd(), ...extra].join('\n\n')}\n`, rootClasses: ['shell'], pageClasses: ['page', pageClass ?? 'pageWide'], regions, warnings };
}

/** A grid-N section: one column on phones, then the overrides given, or 2 from md and N from lg. */
function gridCss(selector: string, region: ScreenRegion, count: number): string[] {
  const rules: string[] = [];
  const overrides = Object.entries(region.responsive) as Array<[Breakpoint, { gridColumns?: number; gap?: keyof typeof GAP }]>;
  if (!overrides.some(([, value]) => value.gridColumns !== undefined)) {
    if (count > 1) rules.push(media('md', gridColumnsCss(selector, Math.min(2, count))));
    if (count > 2) rules.push(media('lg', gridColumnsCss(selector, count)));
  }
  rules.push(...responsiveCss(selector, region, true));
  return rules;
}

function responsiveCss(selector: string, region: ScreenRegion, grid: boolean): string[] {
  const rules: string[] = [];
  for (const breakpoint of Object.keys(BREAKPOINTS) as Breakpoint[]) {
    const value = region.responsive[breakpoint];
    if (!value) continue;
    const declarations: string[] = [];
    if (grid && value.gridColumns !== undefined) declarations.push(`  grid-template-columns: repeat(${Math.trunc(value.gridColumns)}, minmax(0, 1fr));`);
    if (value.gap !== undefined) declarations.push(`  gap: ${GAP[value.gap]};`);
    if (declarations.length) rules.push(media(breakpoint, `${selector} {\n${declarations.join('\n')}\n}`));
  }
  return rules;
}

function blueprintLayout(screen: Screen): ScreenLayout {
  const layout = screen.layout ?? 'single-column';
  const areas = LAYOUT_AREAS_CSS[layout];
  const css = `${LAYOUT_CSS}
.layout {
  grid-template-areas: ${areas.narrow};
}

@media (min-width: ${BREAKPOINTS.md}) {
  .layout {
    grid-template-columns: ${areas.columns};
    grid-template-areas: ${areas.wide};
  }
}
`;
  const regions = screen.regions.map((region): RegionLayout => {
    const gridArea = (layout === 'dashboard' && region.id === 'main') || region.id === 'features';
    const element = SLOT_ELEMENTS[region.id];
    // Slot names come from LAYOUT_SLOTS, each with a class here; anything else is a bug, not input.
    if (!element) throw new Error(`layout-css: no grid area for slot "${region.id}"`);
    return { classes: ['area', region.id, ...(gridArea ? ['areaGrid'] : [])], element, slotClass: () => undefined };
  });
  return { css, rootClasses: ['layout'], regions, warnings: [] };
}
