import { z } from 'zod';

/**
 * Which AI service answers. `offline` is Mascot's own extractive method (no network, no key) and
 * may stand anywhere in the chain, typically last as the answer of last resort.
 * API keys are tenant secrets kept by the server; they never appear in a bundle, which Studio
 * shows, exports and diffs.
 */
export const PROVIDER_KINDS = ['offline', 'openai', 'anthropic', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const MAX_PROVIDERS = 5;

const MODEL_NAME = /^[\x21-\x7e]+$/;

function isHttpUrlWithoutCredentials(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
}

export const providerSchema = z
  .strictObject({
    provider: z.enum(PROVIDER_KINDS),
    model: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(MODEL_NAME, "must be a model name without spaces, such as 'gpt-4o-mini'"),
    /** Only for `openai-compatible` (a self-hosted or third-party endpoint); the others have fixed URLs. */
    baseUrl: z
      .string()
      .trim()
      .max(500)
      .refine(
        isHttpUrlWithoutCredentials,
        'must be an http(s) URL without a user name or password, such as https://llm.example.com/v1',
      )
      .optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: z.int().min(1).max(8192).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.provider === 'openai-compatible' && entry.baseUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is required for an openai-compatible provider' });
    }
    if (entry.provider !== 'openai-compatible' && entry.baseUrl !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: `is only allowed for openai-compatible providers; ${entry.provider} has a fixed endpoint`,
      });
    }
  });
export type ProviderEntry = z.output<typeof providerSchema>;

/** The fallback chain: the first entry answers; each next one takes over when the one before fails. */
export const providersSchema = z.array(providerSchema).min(1).max(MAX_PROVIDERS);
