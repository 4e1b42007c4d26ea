import { z } from 'zod';

/**
 * Events of one assistant reply, as they travel over the bus between server instances.
 * `seq` increases by one per event within a reply stream so a subscriber can drop duplicates
 * and notice gaps; replay across reconnects builds on it.
 */
export const replySourceSchema = z.object({
  marker: z.number().int().positive(),
  documentTitle: z.string(),
  snippet: z.string(),
  sectionPath: z.array(z.string()),
  page: z.number().int().positive().nullable().default(null),
});

export const replyMessageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  role: z.enum(['VISITOR', 'ASSISTANT']),
  text: z.string(),
  createdAt: z.iso.datetime(),
  sources: z.array(replySourceSchema),
});

export const conversationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ReplyStarted'), seq: z.number().int(), messageId: z.uuid() }),
  z.object({ type: z.literal('ReplyDelta'), seq: z.number().int(), messageId: z.uuid(), delta: z.string() }),
  z.object({ type: z.literal('ReplyCompleted'), seq: z.number().int(), message: replyMessageSchema }),
  z.object({
    type: z.literal('ReplyFailed'),
    seq: z.number().int(),
    messageId: z.uuid(),
    code: z.string(),
    reason: z.string(),
  }),
]);

export type ReplySource = z.infer<typeof replySourceSchema>;
export type ReplyMessage = z.infer<typeof replyMessageSchema>;
export type ConversationEvent = z.infer<typeof conversationEventSchema>;
export type ConversationEventType = ConversationEvent['type'];
