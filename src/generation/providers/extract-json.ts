/**
 * The JSON object inside a model's plain-text answer, for servers that ignore a forced tool
 * choice (Ollama, some llama.cpp builds) or clients that only sample text: first a ```json
 * fence, then any fence, then the first balanced `{…}` that parses. Undefined when none does.
 */
export function extractJsonObject(text: string): unknown {
  const fences = [...text.matchAll(/```([A-Za-z]*)[ \t]*\r?\n([\s\S]*?)```/g)];
  const ordered = [...fences.filter((m) => m[1]?.toLowerCase() === 'json'), ...fences.filter((m) => m[1]?.toLowerCase() !== 'json')];
  for (const match of ordered) {
    const parsed = tryParseObject(match[2] ?? '');
    if (parsed !== undefined) return parsed;
  }
  return firstBalancedObject(text);
}

function tryParseObject(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text.trim());
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Scans for `{`, tracks depth outside strings, and tries each balanced candidate in turn. */
function firstBalancedObject(text: string): unknown {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (let i = start; i < text.length; i++) {
      const char = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (char === '\\') escaped = true;
        else if (char === '"') inString = false;
        continue;
      }
      if (char === '"') inString = true;
      else if (char === '{') depth++;
      else if (char === '}' && --depth === 0) {
        const parsed = tryParseObject(text.slice(start, i + 1));
        if (parsed !== undefined) return parsed;
        break;
      }
    }
  }
  return undefined;
}
