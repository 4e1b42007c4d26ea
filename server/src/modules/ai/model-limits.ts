/**
 * Context windows of the hosted model families we know, in tokens, by model-name prefix. The prompt
 * budget is computed from them; a model we do not know (typically self-hosted) gets a small window,
 * so an unknown local model is never sent a prompt it cannot hold.
 */
const CONTEXT_WINDOWS: readonly [prefix: string, tokens: number][] = [
  ['gpt-4.1', 1_047_576],
  ['gpt-5', 400_000],
  ['gpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4', 200_000],
  ['gpt-3.5-turbo', 16_385],
  ['claude-', 200_000],
];

export const UNKNOWN_MODEL_CONTEXT_WINDOW = 8_192;

export function contextWindowFor(model: string): number {
  const name = model.toLowerCase();
  return CONTEXT_WINDOWS.find(([prefix]) => name.startsWith(prefix))?.[1] ?? UNKNOWN_MODEL_CONTEXT_WINDOW;
}
