import { z } from 'zod';

/**
 * Format 1: the server's bot config before bundles (server/src/modules/bots/bot-config.ts), kept
 * here frozen so stored drafts and published versions in that shape can always be read.
 * Never edit it; a change to what the server writes is a new format version.
 * Like the original, it is not strict: unknown keys are dropped, not refused.
 */
export const botBundleV1Schema = z.object({
  personality: z.object({
    systemPrompt: z.string().max(8000),
    tone: z.enum(['friendly', 'professional', 'playful', 'concise']),
    greeting: z.string().trim().min(1).max(500),
    unknownAnswer: z.string().trim().max(500).nullable(),
    offerHuman: z.boolean(),
  }),
  allowedOrigins: z.array(z.url().max(200)).max(50),
});
export type BotBundleV1 = z.output<typeof botBundleV1Schema>;
