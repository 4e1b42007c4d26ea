import { describe, expect, it } from 'vitest';
import { subjects } from './subjects.ts';

describe('subjects', () => {
  it('puts the tenant first and the conversation after it', () => {
    expect(subjects.conversationReply('t1', 'c-2')).toBe('tenant.t1.conversation.c-2.reply');
    expect(subjects.conversationPresence('t1', 'c-2')).toBe('tenant.t1.conversation.c-2.presence');
  });

  it('names server-internal subjects per installation', () => {
    expect(subjects.clusterRateLimits('')).toBe('cluster.default.rate-limits');
    expect(subjects.clusterIdentity('t1a2')).toBe('cluster.t1a2.identity');
    expect(subjects.clusterWebhookRoutes('t1a2')).toBe('cluster.t1a2.webhook-routes');
    expect(() => subjects.clusterIdentity('a.>')).toThrow(/Invalid installation id/);
  });

  it('refuses ids that would widen the subject with dots or wildcards', () => {
    for (const bad of ['a.b', '*', '>', 'a b', '']) {
      expect(() => subjects.conversationReply(bad, 'c')).toThrow(/Invalid tenant id/);
      expect(() => subjects.conversationReply('t', bad)).toThrow(/Invalid conversation id/);
    }
  });
});
