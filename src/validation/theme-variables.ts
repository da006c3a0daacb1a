import type { ThemeCss } from '../theme/schemas.js';

/** The custom properties a theme defines (light and dark), as the undefined-variable rule wants them. */
export function themeVariablesOf(themeCss: Pick<ThemeCss, 'variables' | 'darkVariables'>): ReadonlySet<string> {
  return new Set([...themeCss.variables.keys(), ...themeCss.darkVariables.keys()]);
}
