import type { McpServer } from "@modelcontextprotocol/server";
import * as z from 'zod';
import { listPrompts, renderPrompt } from '../../generation/prompts/prompt-registry.js';
import type { ServerDeps } from '../context.js';

/**
 * The versioned generation prompts as MCP prompts, so an assistant (or a person in the
 * Inspector) can see exactly what dspec asks a model, and render it with its own arguments.
 */
export function registerGenerationPrompts(server: McpServer, deps: ServerDeps): void {
  let prompts;
  try {
    prompts = listPrompts();
  } catch (error) {
    deps.logger.warn({ err: error }, 'prompts/ could not be read; no MCP prompts are offered');
    return;
  }
  for (const prompt of prompts) {
    const argsSchema: Record<string, z.ZodOptional<z.ZodString> | z.ZodString> = {};
    for (const variable of prompt.variables) {
      const field = z.string().max(200_000).describe(variable.description ?? variable.name);
      argsSchema[variable.name] = variable.required ? field : field.optional();
    }
    server.registerPrompt(
      prompt.id,
      {
        title: `${prompt.id} v${prompt.version}`,
        description: `${prompt.description}${prompt.deprecated ? ` (deprecated${prompt.replacedBy ? `: use ${prompt.replacedBy}` : ''})` : ''}`,
        argsSchema: z.object(argsSchema),
      },
      (args) => {
        const composed = renderPrompt(prompt.id, Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined)));
        const text = [composed.system, ...composed.user].filter(Boolean).join('\n\n');
        return {
          description: `${prompt.id} v${composed.version}, sha256 ${composed.hash.slice(0, 12)}`,
          messages: [{ role: 'user', content: { type: 'text', text } }],
        };
      },
    );
  }
}
