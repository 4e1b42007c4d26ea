import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import { Conversation } from './conversation.entity.ts';
import { ConversationNote } from './conversation-note.entity.ts';
import { defaultAgentName } from './handoff-agent.ts';

/** A conversation shows at most its latest this many notes. */
const NOTES_SHOWN = 200;

const noteSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

/**
 * Internal notes on a conversation: the team writes them (conversations:handle) and reads them
 * (conversations:read). They live in their own table, never in `message`, so nothing the visitor or the
 * provider sees — the widget's history, the live events, the prompt, the visitor's transcript and data
 * export — can include them (conversation-notes.int.test.ts checks each).
 */
export class ConversationNotesService {
  async add(em: EntityManager, author: TenantActor, conversationId: string, text: string): Promise<ConversationNote> {
    const id = parseId(conversationId, 'conversationId');
    const input = parseInput(noteSchema, { text });
    return inTenant(em, author.tenantId, async (tx) => {
      if ((await tx.count(Conversation, { id })) === 0) throw DomainError.notFound('Conversation');
      const note = tx.create(ConversationNote, {
        id: randomUUID(), tenantId: author.tenantId, conversationId: id, text: input.text,
        authorUserId: author.kind === 'user' ? author.userId : null,
        authorApiKeyId: author.kind === 'apiKey' ? author.keyId : null,
        authorName: await defaultAgentName(tx, author),
      });
      await tx.flush();
      return note;
    });
  }

  /** The conversation's notes, oldest first (the latest 200). */
  async list(em: EntityManager, tenantId: string, conversationId: string): Promise<ConversationNote[]> {
    const id = parseId(conversationId, 'conversationId');
    return inTenant(em, tenantId, async (tx) => {
      const latest = await tx.find(ConversationNote, { conversationId: id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: NOTES_SHOWN });
      return latest.reverse();
    });
  }

  /** Deletes a note: only its author may. Another tenant's or an unknown note is NOT_FOUND. */
  async remove(em: EntityManager, author: TenantActor, noteId: string): Promise<string> {
    const id = parseId(noteId, 'id');
    return inTenant(em, author.tenantId, async (tx) => {
      const note = await tx.findOne(ConversationNote, { id });
      if (!note) throw DomainError.notFound('ConversationNote');
      const own = author.kind === 'user' ? note.authorUserId === author.userId : note.authorApiKeyId === author.keyId;
      if (!own) throw DomainError.forbidden('Only the author may delete a note.');
      tx.remove(note);
      await tx.flush();
      return id;
    });
  }
}
