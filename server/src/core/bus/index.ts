export type { BusSubscription, MessageBus } from './message-bus.ts';
export { createInProcessBus } from './in-process-bus.ts';
export { connectNatsBus } from './nats-bus.ts';
export { AsyncQueue } from './async-queue.ts';
