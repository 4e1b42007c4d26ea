import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { CannedReply } from './canned-reply.entity.ts';

/** A team keeps at most this many: the Inbox loads them all into its composer. */
export const MAX_CANNED_REPLIES = 200;

const cannedReplySchema = z.object({
  shortcut: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1 to 32 of a-z 0-9 _ - (starting with a letter or digit)'),
  text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
});
export type CannedReplyInput = z.input<typeof cannedReplySchema>;

const shortcutTaken = (shortcut: string) => DomainError.conflict(`The shortcut /${shortcut} is already in use.`);

/**
 * The team's canned replies (issue 17): owners and admins keep them (members:manage, audited), agents insert
 * them in the Inbox composer by typing "/" and the shortcut (conversations:handle reads them).
 */
export class CannedRepliesService {
  constructor(private readonly audit: AuditService) {}

  /** Every canned reply of the tenant, by shortcut. */
  list(em: EntityManager, tenantId: string): Promise<CannedReply[]> {
    return inTenant(em, tenantId, (tx) => tx.find(CannedReply, {}, { orderBy: { shortcut: 'asc' }, limit: MAX_CANNED_REPLIES }));
  }

  async create(em: EntityManager, actor: TenantActor, input: CannedReplyInput, ip?: string): Promise<CannedReply> {
    const fields = parseInput(cannedReplySchema, input);
    return this.write(fields.shortcut, () =>
      inTenant(em, actor.tenantId, async (tx) => {
        if ((await tx.count(CannedReply, {})) >= MAX_CANNED_REPLIES) throw DomainError.conflict(`A team keeps at most ${MAX_CANNED_REPLIES} canned replies.`);
        if ((await tx.count(CannedReply, { shortcut: fields.shortcut })) > 0) throw shortcutTaken(fields.shortcut);
        const reply = tx.create(CannedReply, { id: randomUUID(), tenantId: actor.tenantId, ...fields });
        this.record(tx, actor, 'canned_reply.created', reply, ip);
        await tx.flush();
        return reply;
      }),
    );
  }

  async update(em: EntityManager, actor: TenantActor, replyId: string, input: CannedReplyInput, ip?: string): Promise<CannedReply> {
    const id = parseId(replyId, 'id');
    return this.write(String(input.shortcut).trim().toLowerCase(), () =>
      inTenant(em, actor.tenantId, async (tx) => {
        // Found first: another tenant's reply is NOT_FOUND whatever the input, as for every id (cross-tenant.int.test.ts).
        const reply = await this.find(tx, id);
        const fields = parseInput(cannedReplySchema, input);
        if (reply.shortcut !== fields.shortcut && (await tx.count(CannedReply, { shortcut: fields.shortcut })) > 0) throw shortcutTaken(fields.shortcut);
        Object.assign(reply, fields);
        this.record(tx, actor, 'canned_reply.updated', reply, ip);
        await tx.flush();
        return reply;
      }),
    );
  }

  async remove(em: EntityManager, actor: TenantActor, replyId: string, ip?: string): Promise<string> {
    const id = parseId(replyId, 'id');
    return inTenant(em, actor.tenantId, async (tx) => {
      const reply = await this.find(tx, id);
      this.record(tx, actor, 'canned_reply.deleted', reply, ip);
      tx.remove(reply);
      await tx.flush();
      return id;
    });
  }

  private async find(tx: EntityManager, id: string): Promise<CannedReply> {
    const reply = await tx.findOne(CannedReply, { id });
    if (!reply) throw DomainError.notFound('CannedReply');
    return reply;
  }

  private record(tx: EntityManager, actor: TenantActor, action: 'canned_reply.created' | 'canned_reply.updated' | 'canned_reply.deleted', reply: CannedReply, ip?: string): void {
    this.audit.record(tx, actor.tenantId, { action, actor, target: { type: 'canned_reply', id: reply.id }, ip, metadata: { shortcut: reply.shortcut } });
  }

  /** Two admins saving the same shortcut at once: the unique index refuses the second, reported like the check. */
  private async write<T>(shortcut: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw shortcutTaken(shortcut);
      throw error;
    }
  }
}
