export { DOMAIN_EVENT_TYPES, discardingOutbox, type DomainEvent, type DomainEventOutbox, type DomainEventType } from './domain-events.ts';
