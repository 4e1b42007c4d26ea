import type { EntityManager } from '@mikro-orm/postgresql';

/** A member or an API key whose access to a tenant ended, or no longer covers handling conversations. */
export type DepartedAgent = { kind: 'user'; tenantId: string; userId: string } | { kind: 'apiKey'; tenantId: string; keyId: string };

/**
 * Lets go of what a departed agent held (conversations it had taken over: conversations/handoff.service.ts
 * `releaseHeldBy`) inside the transaction that ends its access, so a revocation never commits without its
 * consequences; returns what to publish once that transaction committed. Passed in by the composition:
 * identity cannot import conversations, which imports identity.
 */
export type AgentDepartureHandler = (tx: EntityManager, agent: DepartedAgent) => Promise<() => Promise<void>>;
