import type { PubSub } from 'type-graphql';
import type { MessageBus } from '../bus/index.ts';

/**
 * type-graphql's PubSub over our bus, so topic-based `@Subscription({ topics })` fan out across
 * instances too. Topics are bus subjects; a dynamic id is appended as the last subject token.
 */
export function busPubSub(bus: MessageBus): PubSub {
  const subject = (routingKey: string, dynamicId?: unknown) =>
    dynamicId === undefined ? routingKey : `${routingKey}.${String(dynamicId)}`;
  return {
    publish(routingKey, ...args) {
      void bus.publish(subject(routingKey), args[0]);
    },
    async *subscribe(routingKey, dynamicId) {
      const subscription = await bus.subscribe(subject(routingKey, dynamicId));
      try {
        yield* subscription;
      } finally {
        subscription.unsubscribe();
      }
    },
  };
}
