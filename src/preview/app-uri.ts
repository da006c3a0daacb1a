/** The preview MCP App's resource URI (`ui://` is reserved for such HTML apps). Kept apart so tool modules import it without loading the preview. */
export const PREVIEW_APP_URI = 'ui://dspec/preview';
