import * as z from 'zod';

/**
 * The variable contract between themes and the Tier 1 components in `ui-reference/`.
 *
 * Components read only these custom properties: a shared set (`--dspec-*`: fonts, spacing,
 * radii, focus ring, colours every component needs) and per-component variables named
 * `--<component>-<part>-<property>`. A theme rarely defines them itself, so for each one the
 * theme CSS emits `--name: var(--<first source the theme defines>)`, or the fallback when it
 * defines none: every component renders with every theme, and a theme that does define
 * `component.button.primary.background` (say) takes precedence.
 *
 * `sources` are token paths in priority order, dotted as in the theme (`semantic.text.primary`
 * in Tekton, `fgColor.default` in Primer-style DTCG, `color.brand.primary` in common DTCG
 * trees), or another contract variable (`--dspec-color-brand`), which always exists and so
 * ends the search. `fallback` is a CSS value: colour literals belong here, never in a
 * component; a fallback may read other contract variables (`color-mix(…, var(--dspec-color-canvas))`),
 * which are bound first.
 */

export const ContractVariableSchema = z.strictObject({
  name: z.string().regex(/^--[a-z][a-z0-9-]*$/),
  description: z.string().min(1),
  sources: z.array(z.string().regex(/^(--[a-z][a-z0-9-]*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)$/)).min(1),
  fallback: z.string().min(1),
});
export type ContractVariable = z.infer<typeof ContractVariableSchema>;

/** The prefix of the shared variables; every other contract variable belongs to one component. */
export const SHARED_PREFIX = '--dspec-';

/**
 * Fallbacks of the quiet status backgrounds and status text are mixed from the solid status
 * colour and the theme's own canvas or text, so they suit a dark theme as well as a light one.
 */
function mixWithCanvas(status: string): string {
  return `color-mix(in oklch, var(${status}) 14%, var(--dspec-color-canvas))`;
}

function mixWithText(status: string): string {
  return `color-mix(in oklch, var(${status}) 78%, var(--dspec-color-text))`;
}

function variable(name: string, description: string, sources: string[], fallback: string): ContractVariable {
  return { name, description, sources, fallback };
}

const SPACE_PX = { 1: 4, 2: 8, 3: 12, 4: 16, 5: 20, 6: 24, 8: 32, 10: 40, 12: 48 } as const;

const SHARED: ContractVariable[] = [
  // Typography
  variable(
    '--dspec-font-sans',
    'Font stack for interface text.',
    ['typography.fontFamily.sans', 'typography.fontFamily.body', 'fontStack.sansSerif', 'fontStack.system', 'font.family.sans', 'fontFamily.sans'],
    "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  ),
  variable(
    '--dspec-font-heading',
    'Font stack for headings.',
    ['typography.fontFamily.display', 'typography.fontFamily.heading', 'fontStack.sansSerifDisplay', 'font.family.heading', '--dspec-font-sans'],
    "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  ),
  variable(
    '--dspec-font-mono',
    'Font stack for code.',
    ['typography.fontFamily.mono', 'fontStack.monospace', 'font.family.mono', 'fontFamily.mono'],
    'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  ),
  variable('--dspec-font-weight-regular', 'Body text weight.', ['typography.fontWeight.regular', 'typography.fontWeight.normal', 'fontWeight.regular', 'font.weight.regular'], '400'),
  variable('--dspec-font-weight-medium', 'Labels and controls.', ['typography.fontWeight.medium', 'fontWeight.medium', 'font.weight.medium'], '500'),
  variable('--dspec-font-weight-semibold', 'Headings and emphasis.', ['typography.fontWeight.semibold', 'typography.fontWeight.semiBold', 'fontWeight.semibold', 'font.weight.semibold'], '600'),
  variable('--dspec-font-weight-bold', 'Strong emphasis.', ['typography.fontWeight.bold', 'fontWeight.bold', 'font.weight.bold'], '700'),
  ...(
    [
      ['xs', '0.75rem'],
      ['sm', '0.875rem'],
      ['md', '1rem'],
      ['lg', '1.125rem'],
      ['xl', '1.25rem'],
      ['2xl', '1.5rem'],
      ['3xl', '1.875rem'],
      ['4xl', '2.25rem'],
    ] as const
  ).map(([step, size]) => variable(`--dspec-font-size-${step}`, `Font size step ${step}.`, [`typography.fontSize.${step}`, `fontSize.${step}`, `font.size.${step}`], size)),
  variable('--dspec-line-height-tight', 'Line height of headings and controls.', ['typography.lineHeight.tight', 'lineHeight.tight', 'font.lineHeight.tight'], '1.25'),
  variable('--dspec-line-height-normal', 'Line height of running text.', ['typography.lineHeight.normal', 'lineHeight.normal', 'font.lineHeight.normal'], '1.5'),
  // Space, shape, depth
  ...Object.entries(SPACE_PX).map(([step, px]) =>
    variable(`--dspec-space-${step}`, `Spacing step ${step} (${px}px on a 4px grid).`, [`atomic.spacing.${step}`, `spacing.${step}`, `space.${step}`, `base.size.${px}`], `${px / 16}rem`),
  ),
  variable('--dspec-radius-sm', 'Small corner radius.', ['atomic.radius.sm', 'border.radius.sm', 'borderRadius.small', 'radius.sm'], '0.25rem'),
  variable('--dspec-radius-md', 'Default corner radius of controls.', ['atomic.radius.md', 'border.radius.md', 'borderRadius.medium', 'radius.md'], '0.375rem'),
  variable('--dspec-radius-lg', 'Corner radius of surfaces (cards, dialogs).', ['atomic.radius.lg', 'border.radius.lg', 'borderRadius.large', 'radius.lg'], '0.5rem'),
  variable('--dspec-radius-full', 'Pill and circle radius.', ['atomic.radius.full', 'border.radius.full', 'borderRadius.full', 'radius.full'], '9999px'),
  variable('--dspec-border-width', 'Hairline border width.', ['border.width.thin', 'borderWidth.thin', 'borderWidth.default'], '1px'),
  variable('--dspec-shadow-sm', 'Resting elevation (cards, thumbs).', ['elevation.context.card.default', 'elevation.level.1', 'shadow.resting.small', 'shadow.sm'], '0 1px 3px rgba(31, 35, 40, 0.12)'),
  variable(
    '--dspec-shadow-md',
    'Raised elevation (menus, popovers).',
    ['elevation.context.popover', 'elevation.context.popup', 'elevation.level.2', 'shadow.floating.small', 'shadow.md'],
    '0 4px 12px rgba(31, 35, 40, 0.15)',
  ),
  variable('--dspec-shadow-lg', 'Overlay elevation (dialogs).', ['elevation.context.modal', 'elevation.level.3', 'shadow.floating.large', 'shadow.lg'], '0 12px 32px rgba(31, 35, 40, 0.2)'),
  // Motion and states
  variable('--dspec-duration-fast', 'Hover and press transitions.', ['motion.duration.fast', 'motion.duration.quick', 'motion.duration.short', 'duration.fast'], '100ms'),
  variable('--dspec-duration-normal', 'Enter and exit transitions.', ['motion.duration.medium', 'motion.duration.moderate', 'motion.duration.standard', 'duration.normal'], '200ms'),
  variable('--dspec-easing-standard', 'Default easing curve.', ['motion.easing.standard', 'motion.timingFunction.standard', 'easing.standard'], 'cubic-bezier(0.2, 0, 0, 1)'),
  variable('--dspec-disabled-opacity', 'Opacity of disabled controls.', ['stateLayer.disabled.opacity', 'opacity.disabled'], '0.5'),
  variable('--dspec-focus-ring-width', 'Width of the focus outline.', ['border.width.medium', 'focus.outline.width', 'focus.ring.width'], '2px'),
  variable('--dspec-focus-ring-offset', 'Gap between a control and its focus outline.', ['focus.outline.offset', 'focus.ring.offset'], '2px'),
  variable(
    '--dspec-focus-ring-color',
    'Colour of the focus outline.',
    ['semantic.border.focus', 'semantic.border.brand.default', 'focus.outlineColor', 'borderColor.accent.emphasis', 'color.focus', '--dspec-color-brand'],
    '#0969da',
  ),
  // Colours
  variable('--dspec-color-canvas', 'Page background.', ['semantic.background.canvas', 'bgColor.default', 'color.background.canvas', 'color.background.default'], '#ffffff'),
  variable(
    '--dspec-color-surface',
    'Background of cards, fields, dialogs and menus.',
    ['semantic.background.surface.default', 'bgColor.default', 'color.background.surface', 'atomic.color.white', 'atomic.color.neutral.white'],
    '#ffffff',
  ),
  variable(
    '--dspec-color-surface-subtle',
    'Quiet background: stripes, hover of quiet controls.',
    ['semantic.background.surface.subtle', 'bgColor.muted', 'color.background.subtle', 'atomic.color.neutral.50'],
    '#f6f8fa',
  ),
  variable(
    '--dspec-color-surface-emphasis',
    'Filled background: secondary buttons, tracks, tags.',
    ['semantic.background.surface.emphasis', 'bgColor.neutral.muted', 'color.background.emphasis', 'atomic.color.neutral.100'],
    '#eff2f5',
  ),
  variable(
    '--dspec-color-text',
    'Primary text.',
    ['semantic.foreground.primary', 'semantic.text.primary', 'fgColor.default', 'color.text.primary', 'color.foreground.default', 'atomic.color.neutral.900', 'atomic.color.neutral.black'],
    '#1f2328',
  ),
  variable(
    '--dspec-color-text-muted',
    'Secondary text: hints, captions, placeholders.',
    ['semantic.foreground.secondary', 'semantic.text.secondary', 'fgColor.muted', 'color.text.secondary', 'color.foreground.muted', 'atomic.color.neutral.500'],
    '#59636e',
  ),
  variable('--dspec-color-border', 'Default border.', ['semantic.border.default.default', 'borderColor.default', 'color.border.default', 'atomic.color.neutral.200'], '#d1d9e0'),
  variable(
    '--dspec-color-border-strong',
    'Border of fields and hovered controls.',
    ['semantic.border.default.emphasis', 'borderColor.emphasis', 'control.borderColor.rest', 'color.border.strong', 'atomic.color.neutral.300'],
    '#818b98',
  ),
  variable(
    '--dspec-color-brand',
    'Brand fill: primary buttons, selected controls.',
    ['semantic.background.brand.default', 'semantic.action.primary', 'bgColor.accent.emphasis', 'color.brand.primary', 'color.primary', 'atomic.color.brand.500'],
    '#0969da',
  ),
  variable(
    '--dspec-color-brand-emphasis',
    'Brand fill on hover and press.',
    ['semantic.background.brand.emphasis', 'button.primary.bgColor.hover', 'color.brand.emphasis', 'atomic.color.brand.600', 'atomic.color.brand.700', '--dspec-color-brand'],
    '#0757ba',
  ),
  variable(
    '--dspec-color-brand-subtle',
    'Quiet brand background: brand badges, highlighted items.',
    ['semantic.background.brand.subtle', 'bgColor.accent.muted', 'color.brand.subtle', 'atomic.color.brand.100'],
    '#ddf4ff',
  ),
  variable(
    '--dspec-color-brand-text',
    'Brand-coloured text: links, ghost buttons.',
    ['semantic.foreground.brand', 'semantic.text.brand', 'fgColor.link', 'fgColor.accent', 'color.text.brand', 'semantic.background.brand.emphasis', '--dspec-color-brand'],
    '#0969da',
  ),
  variable(
    '--dspec-color-on-brand',
    'Text on the brand fill.',
    ['semantic.foreground.onBrand', 'semantic.text.onBrand', 'semantic.action.primary-text', 'fgColor.onEmphasis', 'color.text.onBrand', 'atomic.color.white', 'atomic.color.neutral.white'],
    '#ffffff',
  ),
  variable(
    '--dspec-color-on-emphasis',
    'Text on solid status fills (danger buttons).',
    ['semantic.foreground.onEmphasis', 'fgColor.onEmphasis', 'atomic.color.white', 'atomic.color.neutral.white'],
    '#ffffff',
  ),
  variable('--dspec-color-danger', 'Solid danger fill.', ['semantic.status.danger', 'semantic.status.error', 'bgColor.danger.emphasis', 'color.danger', 'color.error'], '#cf222e'),
  variable('--dspec-color-danger-subtle', 'Quiet danger background.', ['semantic.status.dangerSubtle', 'bgColor.danger.muted', 'color.danger.subtle'], mixWithCanvas('--dspec-color-danger')),
  variable(
    '--dspec-color-danger-text',
    'Danger text and invalid borders.',
    ['semantic.foreground.danger', 'semantic.text.danger', 'fgColor.danger', 'color.text.danger'],
    mixWithText('--dspec-color-danger'),
  ),
  variable('--dspec-color-success', 'Solid success fill.', ['semantic.status.success', 'bgColor.success.emphasis', 'color.success'], '#1f883d'),
  variable('--dspec-color-success-subtle', 'Quiet success background.', ['semantic.status.successSubtle', 'bgColor.success.muted', 'color.success.subtle'], mixWithCanvas('--dspec-color-success')),
  variable('--dspec-color-success-text', 'Success text.', ['semantic.foreground.success', 'semantic.text.success', 'fgColor.success', 'color.text.success'], mixWithText('--dspec-color-success')),
  variable('--dspec-color-warning', 'Solid warning fill.', ['semantic.status.warning', 'bgColor.attention.emphasis', 'color.warning'], '#9a6700'),
  variable('--dspec-color-warning-subtle', 'Quiet warning background.', ['semantic.status.warningSubtle', 'bgColor.attention.muted', 'color.warning.subtle'], mixWithCanvas('--dspec-color-warning')),
  variable('--dspec-color-warning-text', 'Warning text.', ['semantic.foreground.warning', 'semantic.text.warning', 'fgColor.attention', 'color.text.warning'], mixWithText('--dspec-color-warning')),
  variable('--dspec-color-info-subtle', 'Quiet informational background.', ['semantic.status.infoSubtle', 'bgColor.accent.muted', 'color.info.subtle', '--dspec-color-brand-subtle'], '#ddf4ff'),
  variable('--dspec-color-info-text', 'Informational text.', ['semantic.foreground.info', 'semantic.text.info', 'fgColor.accent', 'color.text.info', '--dspec-color-brand-text'], '#0969da'),
  variable('--dspec-color-overlay', 'Backdrop behind dialogs.', ['semantic.background.overlay', 'overlay.backdrop.bgColor', 'color.overlay'], 'rgba(31, 35, 40, 0.5)'),
];

const sharedByName = new Map(SHARED.map((entry) => [entry.name, entry]));

/**
 * A component variable: its own token paths first (a theme's component layer, Primer's
 * component tokens), then a shared variable, whose fallback it copies.
 */
function component(name: string, description: string, ownSources: string[], shared: string): ContractVariable {
  const base = sharedByName.get(shared);
  if (!base) throw new Error(`contract: ${name} falls back to ${shared}, which is not a shared variable`);
  return variable(name, description, [...ownSources, shared], base.fallback);
}

/** A component dimension with no shared equivalent: own token paths, then a literal. */
function dimension(name: string, description: string, ownSources: string[], fallback: string): ContractVariable {
  return variable(name, description, ownSources, fallback);
}

/** `component.<name>.<part...>` in a Tekton-style component layer. */
function layer(name: string): string {
  return `component.${name.slice(2).replace(/-/g, '.')}`;
}

function own(name: string, description: string, shared: string, extra: string[] = []): ContractVariable {
  return component(name, description, [layer(name), ...extra], shared);
}

function size(name: string, description: string, fallback: string, extra: string[] = []): ContractVariable {
  return dimension(name, description, [layer(name), ...extra], fallback);
}

const BUTTON: ContractVariable[] = [
  own('--button-radius', 'Corner radius of buttons.', '--dspec-radius-md', ['borderRadius.medium']),
  own('--button-font-weight', 'Weight of button labels.', '--dspec-font-weight-medium'),
  own('--button-primary-background', 'Primary button fill.', '--dspec-color-brand', ['button.primary.bgColor.rest']),
  own('--button-primary-background-hover', 'Primary button fill on hover.', '--dspec-color-brand-emphasis', ['button.primary.bgColor.hover']),
  own('--button-primary-background-active', 'Primary button fill while pressed.', '--dspec-color-brand-emphasis', ['button.primary.bgColor.active']),
  own('--button-primary-foreground', 'Primary button label.', '--dspec-color-on-brand', ['button.primary.fgColor.rest']),
  own('--button-secondary-background', 'Secondary button fill.', '--dspec-color-surface-emphasis', ['button.default.bgColor.rest']),
  own('--button-secondary-background-hover', 'Secondary button fill on hover.', '--dspec-color-border', ['button.default.bgColor.hover']),
  own('--button-secondary-background-active', 'Secondary, outline and ghost buttons while pressed.', '--dspec-color-border', ['button.default.bgColor.active']),
  own('--button-secondary-foreground', 'Secondary button label.', '--dspec-color-text', ['button.default.fgColor.rest']),
  own('--button-secondary-border', 'Secondary button border.', '--dspec-color-border', ['button.default.borderColor.rest']),
  own('--button-outline-border', 'Outline button border.', '--dspec-color-border-strong'),
  own('--button-outline-foreground', 'Outline button label.', '--dspec-color-text'),
  own('--button-ghost-foreground', 'Ghost button label.', '--dspec-color-brand-text', ['button.invisible.fgColor.rest']),
  own('--button-ghost-background-hover', 'Outline and ghost button fill on hover.', '--dspec-color-surface-subtle', ['button.invisible.bgColor.hover']),
  own('--button-danger-background', 'Danger button fill.', '--dspec-color-danger'),
  own('--button-danger-background-hover', 'Danger button fill on hover and press.', '--dspec-color-danger-text'),
  own('--button-danger-foreground', 'Danger button label.', '--dspec-color-on-emphasis'),
  size('--button-height-sm', 'Minimum height of small buttons.', '2rem', ['control.small.size']),
  size('--button-height-md', 'Minimum height of medium buttons.', '2.5rem', ['control.medium.size']),
  size('--button-height-lg', 'Minimum height of large buttons.', '3rem', ['control.large.size']),
  own('--button-padding-x-sm', 'Inline padding of small buttons.', '--dspec-space-3', ['control.small.paddingInline.normal']),
  own('--button-padding-x-md', 'Inline padding of medium buttons.', '--dspec-space-4', ['control.medium.paddingInline.normal']),
  own('--button-padding-x-lg', 'Inline padding of large buttons.', '--dspec-space-5', ['control.large.paddingInline.normal']),
  own('--button-font-size-sm', 'Label size of small buttons.', '--dspec-font-size-sm'),
  own('--button-font-size-md', 'Label size of medium buttons.', '--dspec-font-size-sm'),
  own('--button-font-size-lg', 'Label size of large buttons.', '--dspec-font-size-md'),
];

const INPUT: ContractVariable[] = [
  own('--input-background', 'Field background.', '--dspec-color-surface', ['control.bgColor.rest']),
  own('--input-foreground', 'Field text.', '--dspec-color-text', ['control.fgColor.rest']),
  own('--input-border', 'Field border.', '--dspec-color-border-strong', ['control.borderColor.rest']),
  own('--input-border-hover', 'Field border on hover.', '--dspec-color-text-muted', ['control.borderColor.emphasis']),
  own('--input-border-focus', 'Field border while focused.', '--dspec-color-brand', ['control.borderColor.selected']),
  own('--input-border-invalid', 'Border of an invalid field.', '--dspec-color-danger-text', ['control.borderColor.danger']),
  own('--input-placeholder', 'Placeholder text.', '--dspec-color-text-muted', ['control.fgColor.placeholder']),
  own('--input-label-foreground', 'Label above the field.', '--dspec-color-text'),
  own('--input-hint-foreground', 'Hint under the field.', '--dspec-color-text-muted'),
  own('--input-error-foreground', 'Error message under the field.', '--dspec-color-danger-text'),
  own('--input-radius', 'Field corner radius.', '--dspec-radius-md'),
  own('--input-padding-x', 'Inline padding of the field.', '--dspec-space-3'),
  size('--input-height-sm', 'Minimum height of small fields.', '2rem', ['control.small.size']),
  size('--input-height-md', 'Minimum height of medium fields.', '2.5rem', ['control.medium.size']),
  size('--input-height-lg', 'Minimum height of large fields.', '3rem', ['control.large.size']),
  own('--input-font-size-sm', 'Text size of small fields.', '--dspec-font-size-sm'),
  own('--input-font-size-md', 'Text size of medium fields.', '--dspec-font-size-md'),
  own('--input-font-size-lg', 'Text size of large fields.', '--dspec-font-size-lg'),
];

const CARD: ContractVariable[] = [
  own('--card-background', 'Card surface.', '--dspec-color-surface'),
  own('--card-foreground', 'Card text.', '--dspec-color-text'),
  own('--card-border', 'Border of the default card.', '--dspec-color-border'),
  own('--card-outlined-border', 'Border of the outlined card.', '--dspec-color-border-strong'),
  own('--card-filled-background', 'Surface of the filled card.', '--dspec-color-surface-subtle'),
  own('--card-elevated-shadow', 'Shadow of the elevated card.', '--dspec-shadow-sm', ['elevation.context.card.default']),
  own('--card-radius', 'Card corner radius.', '--dspec-radius-lg'),
  own('--card-gap', 'Space between the children of a card.', '--dspec-space-3'),
  own('--card-padding-sm', 'Small card padding.', '--dspec-space-3'),
  own('--card-padding-md', 'Medium card padding.', '--dspec-space-5'),
  own('--card-padding-lg', 'Large card padding.', '--dspec-space-8'),
];

const TEXT: ContractVariable[] = [
  own('--text-foreground', 'Default text colour.', '--dspec-color-text'),
  own('--text-secondary-foreground', 'Secondary text colour.', '--dspec-color-text-muted'),
  own('--text-muted-foreground', 'Muted text colour (captions).', '--dspec-color-text-muted'),
  own('--text-brand-foreground', 'Brand text colour.', '--dspec-color-brand-text'),
  own('--text-success-foreground', 'Success text colour.', '--dspec-color-success-text'),
  own('--text-warning-foreground', 'Warning text colour.', '--dspec-color-warning-text'),
  own('--text-danger-foreground', 'Danger text colour.', '--dspec-color-danger-text'),
  own('--text-body-font-size', 'Size of body text.', '--dspec-font-size-md'),
  own('--text-lead-font-size', 'Size of lead paragraphs.', '--dspec-font-size-lg'),
  own('--text-caption-font-size', 'Size of captions, labels and code.', '--dspec-font-size-sm'),
  own('--text-font-size-sm', 'Explicit small size.', '--dspec-font-size-sm'),
  own('--text-font-size-md', 'Explicit medium size.', '--dspec-font-size-md'),
  own('--text-font-size-lg', 'Explicit large size.', '--dspec-font-size-xl'),
];

const HEADING: ContractVariable[] = [
  own('--heading-foreground', 'Heading colour.', '--dspec-color-text'),
  own('--heading-font-family', 'Heading font stack.', '--dspec-font-heading'),
  own('--heading-font-weight', 'Heading weight.', '--dspec-font-weight-semibold'),
  own('--heading-font-size-xs', 'Heading size xs.', '--dspec-font-size-sm'),
  own('--heading-font-size-sm', 'Heading size sm.', '--dspec-font-size-md'),
  own('--heading-font-size-md', 'Heading size md.', '--dspec-font-size-lg'),
  own('--heading-font-size-lg', 'Heading size lg.', '--dspec-font-size-xl'),
  own('--heading-font-size-xl', 'Heading size xl.', '--dspec-font-size-2xl'),
  own('--heading-font-size-2xl', 'Heading size 2xl.', '--dspec-font-size-3xl'),
  own('--heading-font-size-3xl', 'Heading size 3xl.', '--dspec-font-size-4xl'),
];

const IMAGE: ContractVariable[] = [
  own('--image-placeholder-background', 'Shown while the image loads.', '--dspec-color-surface-emphasis'),
  own('--image-radius-sm', 'Small image radius.', '--dspec-radius-sm'),
  own('--image-radius-md', 'Medium image radius.', '--dspec-radius-md'),
  own('--image-radius-lg', 'Large image radius.', '--dspec-radius-lg'),
];

const LINK: ContractVariable[] = [
  own('--link-foreground', 'Link colour.', '--dspec-color-brand-text', ['fgColor.link']),
  own('--link-foreground-hover', 'Link colour on hover and press.', '--dspec-color-brand-emphasis'),
  own('--link-subtle-foreground', 'Colour of subtle links.', '--dspec-color-text'),
  own('--link-subtle-underline', 'Underline of subtle links.', '--dspec-color-border-strong'),
];

const LIST: ContractVariable[] = [
  own('--list-foreground', 'List text.', '--dspec-color-text'),
  own('--list-divider', 'Line between items of the divided list.', '--dspec-color-border'),
  own('--list-indent', 'Indent of bulleted and numbered lists.', '--dspec-space-5'),
  own('--list-gap-sm', 'Space between items, small.', '--dspec-space-1'),
  own('--list-gap-md', 'Space between items, medium.', '--dspec-space-2'),
  own('--list-gap-lg', 'Space between items, large.', '--dspec-space-3'),
];

const FORM: ContractVariable[] = [
  own('--form-gap-sm', 'Space between fields, compact.', '--dspec-space-2'),
  own('--form-gap-md', 'Space between fields.', '--dspec-space-4'),
  own('--form-gap-lg', 'Space between fields, roomy.', '--dspec-space-6'),
];

const MODAL: ContractVariable[] = [
  own('--modal-overlay-background', 'Backdrop behind the dialog.', '--dspec-color-overlay'),
  own('--modal-background', 'Dialog surface.', '--dspec-color-surface', ['overlay.bgColor']),
  own('--modal-foreground', 'Dialog text.', '--dspec-color-text'),
  own('--modal-border', 'Dialog border.', '--dspec-color-border', ['overlay.borderColor']),
  own('--modal-radius', 'Dialog corner radius.', '--dspec-radius-lg'),
  own('--modal-shadow', 'Dialog shadow.', '--dspec-shadow-lg', ['elevation.context.modal']),
  own('--modal-padding', 'Dialog padding.', '--dspec-space-6'),
  own('--modal-title-font-size', 'Dialog title size.', '--dspec-font-size-lg'),
  own('--modal-description-foreground', 'Dialog description text.', '--dspec-color-text-muted'),
  own('--modal-close-foreground', 'Close button icon.', '--dspec-color-text-muted'),
  own('--modal-close-background-hover', 'Close button fill on hover.', '--dspec-color-surface-emphasis'),
  own('--modal-trigger-background', 'Fill of the built-in trigger button.', '--dspec-color-surface-emphasis'),
  own('--modal-trigger-background-hover', 'Trigger fill on hover and press.', '--dspec-color-border'),
  own('--modal-trigger-foreground', 'Trigger label.', '--dspec-color-text'),
  own('--modal-trigger-border', 'Trigger border.', '--dspec-color-border'),
  own('--modal-trigger-radius', 'Trigger corner radius.', '--dspec-radius-md'),
  size('--modal-trigger-height', 'Trigger minimum height.', '2.5rem', ['control.medium.size']),
  size('--modal-width-sm', 'Maximum width of small dialogs.', '24rem'),
  size('--modal-width-md', 'Maximum width of medium dialogs.', '32rem'),
  size('--modal-width-lg', 'Maximum width of large dialogs.', '48rem'),
];

const TABS: ContractVariable[] = [
  own('--tabs-list-border', 'Line under the line-variant tab list.', '--dspec-color-border'),
  own('--tabs-list-background', 'Background of the pill-variant tab list.', '--dspec-color-surface-emphasis'),
  own('--tabs-trigger-foreground', 'Unselected tab label.', '--dspec-color-text-muted'),
  own('--tabs-trigger-foreground-hover', 'Tab label on hover.', '--dspec-color-text'),
  own('--tabs-trigger-active-foreground', 'Selected tab label.', '--dspec-color-text'),
  own('--tabs-indicator', 'Underline of the selected tab.', '--dspec-color-brand'),
  own('--tabs-pill-active-background', 'Fill of the selected pill tab.', '--dspec-color-surface'),
  own('--tabs-radius', 'Corner radius of pill tabs.', '--dspec-radius-md'),
  own('--tabs-font-size', 'Tab label size.', '--dspec-font-size-sm'),
  own('--tabs-trigger-padding-x', 'Inline padding of a tab.', '--dspec-space-3'),
  own('--tabs-trigger-padding-y', 'Block padding of a tab.', '--dspec-space-2'),
  own('--tabs-indicator-width', 'Thickness of the selected-tab underline.', '--dspec-focus-ring-width'),
];

const TABLE: ContractVariable[] = [
  own('--table-foreground', 'Cell text.', '--dspec-color-text'),
  own('--table-caption-foreground', 'Caption and empty-state text.', '--dspec-color-text-muted'),
  own('--table-header-background', 'Header row fill.', '--dspec-color-surface-subtle'),
  own('--table-header-foreground', 'Header text.', '--dspec-color-text'),
  own('--table-border', 'Row separators.', '--dspec-color-border'),
  own('--table-stripe-background', 'Fill of every other row when striped.', '--dspec-color-surface-subtle'),
  own('--table-row-hover-background', 'Row fill on hover.', '--dspec-color-surface-emphasis'),
  own('--table-cell-padding-x', 'Inline cell padding.', '--dspec-space-3'),
  own('--table-cell-padding-y-sm', 'Block cell padding, small.', '--dspec-space-1'),
  own('--table-cell-padding-y-md', 'Block cell padding, medium.', '--dspec-space-2'),
  own('--table-cell-padding-y-lg', 'Block cell padding, large.', '--dspec-space-3'),
];

const BADGE: ContractVariable[] = [
  own('--badge-radius', 'Badge corner radius.', '--dspec-radius-full'),
  own('--badge-font-weight', 'Badge label weight.', '--dspec-font-weight-medium'),
  own('--badge-default-background', 'Neutral badge fill.', '--dspec-color-surface-emphasis'),
  own('--badge-default-foreground', 'Neutral badge label.', '--dspec-color-text'),
  own('--badge-brand-background', 'Brand badge fill.', '--dspec-color-brand-subtle'),
  own('--badge-brand-foreground', 'Brand badge label.', '--dspec-color-brand-text'),
  own('--badge-success-background', 'Success badge fill.', '--dspec-color-success-subtle'),
  own('--badge-success-foreground', 'Success badge label.', '--dspec-color-success-text'),
  own('--badge-warning-background', 'Warning badge fill.', '--dspec-color-warning-subtle'),
  own('--badge-warning-foreground', 'Warning badge label.', '--dspec-color-warning-text'),
  own('--badge-danger-background', 'Danger badge fill.', '--dspec-color-danger-subtle'),
  own('--badge-danger-foreground', 'Danger badge label.', '--dspec-color-danger-text'),
  own('--badge-info-background', 'Info badge fill.', '--dspec-color-info-subtle'),
  own('--badge-info-foreground', 'Info badge label.', '--dspec-color-info-text'),
  own('--badge-outline-border', 'Outline badge border.', '--dspec-color-border-strong'),
  own('--badge-padding-x-sm', 'Inline padding, small.', '--dspec-space-1'),
  own('--badge-padding-x-md', 'Inline padding, medium.', '--dspec-space-2'),
  own('--badge-padding-x-lg', 'Inline padding, large.', '--dspec-space-3'),
  own('--badge-font-size-sm', 'Label size, small.', '--dspec-font-size-xs'),
  own('--badge-font-size-md', 'Label size, medium.', '--dspec-font-size-xs'),
  own('--badge-font-size-lg', 'Label size, large.', '--dspec-font-size-sm'),
];

const AVATAR: ContractVariable[] = [
  own('--avatar-background', 'Fill behind initials.', '--dspec-color-brand-subtle'),
  own('--avatar-foreground', 'Initials colour.', '--dspec-color-brand-text'),
  own('--avatar-square-radius', 'Corner radius of square avatars.', '--dspec-radius-md'),
  size('--avatar-size-xs', 'Extra-small avatar.', '1.5rem'),
  size('--avatar-size-sm', 'Small avatar.', '2rem'),
  size('--avatar-size-md', 'Medium avatar.', '2.5rem'),
  size('--avatar-size-lg', 'Large avatar.', '3.5rem'),
  size('--avatar-size-xl', 'Extra-large avatar.', '5rem'),
];

const DROPDOWN: ContractVariable[] = [
  own('--dropdown-trigger-background', 'Trigger button fill.', '--dspec-color-surface', ['button.default.bgColor.rest']),
  own('--dropdown-trigger-background-hover', 'Trigger fill on hover, press and while open.', '--dspec-color-surface-subtle', ['button.default.bgColor.hover']),
  own('--dropdown-trigger-foreground', 'Trigger label.', '--dspec-color-text'),
  own('--dropdown-trigger-border', 'Trigger border.', '--dspec-color-border-strong'),
  own('--dropdown-trigger-radius', 'Trigger corner radius.', '--dspec-radius-md'),
  size('--dropdown-trigger-height-sm', 'Trigger height, small.', '2rem', ['control.small.size']),
  size('--dropdown-trigger-height-md', 'Trigger height, medium.', '2.5rem', ['control.medium.size']),
  size('--dropdown-trigger-height-lg', 'Trigger height, large.', '3rem', ['control.large.size']),
  own('--dropdown-content-background', 'Menu surface.', '--dspec-color-surface', ['overlay.bgColor']),
  own('--dropdown-content-border', 'Menu border.', '--dspec-color-border', ['overlay.borderColor']),
  own('--dropdown-content-radius', 'Menu corner radius.', '--dspec-radius-md'),
  own('--dropdown-content-shadow', 'Menu shadow.', '--dspec-shadow-md'),
  own('--dropdown-item-foreground', 'Item label.', '--dspec-color-text'),
  own('--dropdown-item-background-highlighted', 'Fill of the focused item.', '--dspec-color-brand-subtle'),
  own('--dropdown-item-foreground-highlighted', 'Label of the focused item.', '--dspec-color-text'),
  own('--dropdown-item-danger-foreground', 'Label of destructive items.', '--dspec-color-danger-text'),
  own('--dropdown-separator', 'Line between item groups.', '--dspec-color-border'),
  own('--dropdown-item-padding-x', 'Inline item padding.', '--dspec-space-3'),
  own('--dropdown-item-padding-y', 'Block item padding.', '--dspec-space-2'),
];

const CHECKBOX: ContractVariable[] = [
  own('--checkbox-background', 'Unchecked box fill.', '--dspec-color-surface'),
  own('--checkbox-border', 'Unchecked box border.', '--dspec-color-border-strong'),
  own('--checkbox-border-hover', 'Box border on hover and press.', '--dspec-color-text-muted'),
  own('--checkbox-border-invalid', 'Border of an invalid box.', '--dspec-color-danger-text'),
  own('--checkbox-checked-background', 'Checked box fill.', '--dspec-color-brand'),
  own('--checkbox-checked-foreground', 'Check mark.', '--dspec-color-on-brand'),
  own('--checkbox-radius', 'Box corner radius.', '--dspec-radius-sm'),
  own('--checkbox-label-foreground', 'Label text.', '--dspec-color-text'),
  own('--checkbox-description-foreground', 'Description text.', '--dspec-color-text-muted'),
  size('--checkbox-size-sm', 'Box size, small.', '0.875rem'),
  size('--checkbox-size-md', 'Box size, medium.', '1rem'),
  size('--checkbox-size-lg', 'Box size, large.', '1.25rem'),
];

const RADIO: ContractVariable[] = [
  own('--radio-background', 'Radio fill.', '--dspec-color-surface'),
  own('--radio-border', 'Unselected radio border.', '--dspec-color-border-strong'),
  own('--radio-border-hover', 'Radio border on hover.', '--dspec-color-text-muted'),
  own('--radio-border-invalid', 'Border of an invalid radio.', '--dspec-color-danger-text'),
  own('--radio-checked-border', 'Selected radio border.', '--dspec-color-brand'),
  own('--radio-indicator', 'Dot of the selected radio.', '--dspec-color-brand'),
  own('--radio-label-foreground', 'Option label.', '--dspec-color-text'),
  own('--radio-legend-foreground', 'Group label.', '--dspec-color-text'),
  size('--radio-size-sm', 'Radio size, small.', '0.875rem'),
  size('--radio-size-md', 'Radio size, medium.', '1rem'),
  size('--radio-size-lg', 'Radio size, large.', '1.25rem'),
];

const SWITCH: ContractVariable[] = [
  own('--switch-track-background', 'Track when off.', '--dspec-color-border-strong'),
  own('--switch-track-background-hover', 'Track when off, on hover.', '--dspec-color-text-muted'),
  own('--switch-track-checked-background', 'Track when on.', '--dspec-color-brand'),
  own('--switch-thumb-background', 'Thumb.', '--dspec-color-surface'),
  own('--switch-label-foreground', 'Label text.', '--dspec-color-text'),
  size('--switch-thumb-inset', 'Gap between thumb and track edge.', '2px'),
  size('--switch-width-sm', 'Track width, small.', '1.75rem'),
  size('--switch-height-sm', 'Track height, small.', '1rem'),
  size('--switch-width-md', 'Track width, medium.', '2.25rem'),
  size('--switch-height-md', 'Track height, medium.', '1.25rem'),
];

const SLIDER: ContractVariable[] = [
  own('--slider-track-background', 'Unfilled track.', '--dspec-color-surface-emphasis'),
  own('--slider-range-background', 'Filled part of the track; thumb border on hover.', '--dspec-color-brand'),
  own('--slider-thumb-background', 'Thumb fill.', '--dspec-color-surface'),
  own('--slider-thumb-border', 'Thumb border.', '--dspec-color-brand'),
  own('--slider-label-foreground', 'Visible label.', '--dspec-color-text'),
  own('--slider-value-foreground', 'Visible value.', '--dspec-color-text-muted'),
  size('--slider-track-thickness', 'Track thickness.', '0.375rem'),
  size('--slider-thumb-size-sm', 'Thumb size, small.', '0.875rem'),
  size('--slider-thumb-size-md', 'Thumb size, medium.', '1.25rem'),
];

const PROGRESS: ContractVariable[] = [
  own('--progress-track-background', 'Unfilled track.', '--dspec-color-surface-emphasis'),
  own('--progress-indicator-background', 'Filled part, default variant.', '--dspec-color-brand'),
  own('--progress-success-background', 'Filled part, success variant.', '--dspec-color-success'),
  own('--progress-warning-background', 'Filled part, warning variant.', '--dspec-color-warning'),
  own('--progress-danger-background', 'Filled part, danger variant.', '--dspec-color-danger'),
  own('--progress-label-foreground', 'Visible label and value.', '--dspec-color-text'),
  own('--progress-radius', 'Track corner radius.', '--dspec-radius-full'),
  size('--progress-height-sm', 'Track height, small.', '0.25rem'),
  size('--progress-height-md', 'Track height, medium.', '0.5rem'),
  size('--progress-height-lg', 'Track height, large.', '0.75rem'),
];

/** Every contract variable: the shared set first, then each component's, in catalog order. */
export const CONTRACT_VARIABLES: ReadonlyArray<ContractVariable> = [
  ...SHARED,
  ...BUTTON,
  ...INPUT,
  ...CARD,
  ...TEXT,
  ...HEADING,
  ...IMAGE,
  ...LINK,
  ...LIST,
  ...FORM,
  ...MODAL,
  ...TABS,
  ...TABLE,
  ...BADGE,
  ...AVATAR,
  ...DROPDOWN,
  ...CHECKBOX,
  ...RADIO,
  ...SWITCH,
  ...SLIDER,
  ...PROGRESS,
];

const byName = new Map(CONTRACT_VARIABLES.map((entry) => [entry.name, entry]));

/** The contract entry of a custom property name (`--button-radius`), if it is part of the contract. */
export function findContractVariable(name: string): ContractVariable | undefined {
  return byName.get(name);
}

/** Names of all contract variables, for "is this var(--…) allowed" checks. */
export const CONTRACT_VARIABLE_NAMES: ReadonlySet<string> = new Set(byName.keys());
