import { subjects, visitorPresenceEventSchema, type VisitorPresenceEvent } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import type { Logger } from '../../core/logging/index.ts';

/*
 * Visitor presence on `subjects.conversationPresence`, both sides of it in one place. A visitor's
 * conversationEvents subscription (on any instance) says VisitorJoined when it starts and whenever a
 * reply probes, and VisitorLeft when it ends. A running reply watches: after a VisitorLeft it probes,
 * and when nobody answers within the grace period the visitor is gone and the reply may stop paying
 * for tokens nobody reads (a visitor may have the conversation open in two tabs, or reconnect).
 */

interface PresenceOf {
  tenantId: string;
  conversationId: string;
}

const typeOf = (payload: unknown) => visitorPresenceEventSchema.safeParse(payload).data?.type;

/**
 * Marks a visitor's subscription present (VisitorJoined, and an answer to every probe) until the
 * returned function is called, which says VisitorLeft. A notice the bus loses is only logged: presence
 * saves provider tokens, it must not break the visitor's stream.
 */
export async function announceVisitor(bus: MessageBus, logger: Logger, conversation: PresenceOf): Promise<() => Promise<void>> {
  const subject = subjects.conversationPresence(conversation.tenantId, conversation.conversationId);
  const say = async (type: VisitorPresenceEvent['type']) => {
    try {
      await bus.publish(subject, { type } satisfies VisitorPresenceEvent);
    } catch (error) {
      logger.warn({ err: error, type }, 'could not announce visitor presence');
    }
  };
  const probes = await bus.subscribe(subject);
  void (async () => {
    for await (const payload of probes) {
      if (typeOf(payload) === 'PresenceProbe') await say('VisitorJoined');
    }
  })();
  await say('VisitorJoined');
  return async () => {
    // Deaf to probes first, so this subscription never answers for itself on its way out.
    probes.unsubscribe();
    await say('VisitorLeft');
  };
}

/**
 * Calls `onGone` when the visitor's subscriptions ended and none answered the probe or came back
 * within `graceMs`. Resolves, once listening, to the function that stops watching.
 */
export async function watchVisitorLeaving(
  bus: MessageBus,
  conversation: PresenceOf,
  graceMs: number,
  onGone: () => void,
): Promise<() => void> {
  const subject = subjects.conversationPresence(conversation.tenantId, conversation.conversationId);
  const subscription = await bus.subscribe(subject);
  let timer: NodeJS.Timeout | undefined;
  void (async () => {
    for await (const payload of subscription) {
      const type = typeOf(payload);
      if (type === undefined || type === 'PresenceProbe') continue;
      clearTimeout(timer);
      if (type === 'VisitorLeft') {
        // Anyone still there (another tab, another instance) answers the probe and clears the timer.
        void bus.publish(subject, { type: 'PresenceProbe' } satisfies VisitorPresenceEvent).catch(() => undefined);
        timer = setTimeout(onGone, graceMs);
        timer.unref();
      }
    }
  })();
  return () => {
    clearTimeout(timer);
    subscription.unsubscribe();
  };
}
