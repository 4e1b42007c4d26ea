import type { EntityManager } from '@mikro-orm/postgresql';
import { analyticsQuestion } from './question-text.ts';

/** Whose analytics traces to remove: the conversations being erased and the widget visitor ids they carried. */
export interface ErasedVisitor {
  tenantId: string;
  conversationIds: string[];
  visitorIds: string[];
}

/**
 * Removes what analytics keeps about one visitor, inside the erasing transaction and before their messages
 * are deleted (it reads them). Aggregates stay as they are: the daily counters (`analytics_daily`) and
 * question rows other visitors asked too. What goes: the visitor's rows of `analytics_visitor_day` (keyed by
 * their visitor id, or by conversation without one) and question rows only this visitor asked that day,
 * whose text is theirs alone. `analytics_conversation` rows go with their conversations (foreign key).
 */
export async function forgetVisitorAnalytics(tx: EntityManager, visitor: ErasedVisitor): Promise<void> {
  if (visitor.conversationIds.length === 0) return;
  const questions = await tx.execute<{ bot_id: string; day: string; text: string }[]>(
    `select c.bot_id, to_char((m.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, m.text
       from message m join conversation c on c.id = m.conversation_id
      where m.tenant_id = ? and m.role = 'VISITOR' and m.conversation_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
    [visitor.tenantId, JSON.stringify(visitor.conversationIds)],
  );
  const asked = new Map<string, { botId: string; day: string; hash: string; times: number }>();
  for (const row of questions) {
    const { hash } = analyticsQuestion(row.text);
    const key = `${row.bot_id}\u0000${row.day}\u0000${hash}`;
    const entry = asked.get(key) ?? { botId: row.bot_id, day: row.day, hash, times: 0 };
    entry.times += 1;
    asked.set(key, entry);
  }
  for (const { botId, day, hash, times } of asked.values()) {
    await tx.execute(
      'delete from analytics_question_day where tenant_id = ? and bot_id = ? and day = ? and question_hash = ? and asked <= ?',
      [visitor.tenantId, botId, day, hash, times],
    );
  }
  const keys = [...visitor.visitorIds, ...visitor.conversationIds.map((id) => `c:${id}`)];
  await tx.execute(
    'delete from analytics_visitor_day where tenant_id = ? and visitor_key in (select value from jsonb_array_elements_text(?::jsonb))',
    [visitor.tenantId, JSON.stringify(keys)],
  );
}
