import { z } from 'zod';

/** Published on `subjects.botPublished` once the new live version is committed. */
export const botPublishedEventSchema = z.object({
  type: z.literal('BotPublished'),
  tenantId: z.uuid(),
  botId: z.uuid(),
  versionId: z.uuid(),
  number: z.number().int().positive(),
  rolledBackFrom: z.number().int().positive().nullable(),
  publishedAt: z.iso.datetime(),
});
export type BotPublishedEvent = z.infer<typeof botPublishedEventSchema>;
