import { z } from 'zod';
import { MAX_VISITOR_MESSAGE_LENGTH } from '@mascot/contracts';

/**
 * A chat message as visitors and agents write it. Its own file: the visitor's path (conversations.service.ts)
 * and the agent's (handoff.service.ts) both check messages with it, and the first depends on the second.
 */
export const sendMessageSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(MAX_VISITOR_MESSAGE_LENGTH, `must be at most ${MAX_VISITOR_MESSAGE_LENGTH} characters`),
});
