import { agentPresenceEventSchema, subjects, type AgentPresenceEvent } from '@mascot/events';
import type { BusSubscription, MessageBus } from '../../core/bus/index.ts';
import type { Logger } from '../../core/logging/index.ts';

/*
 * Agent presence on `subjects.agentPresence`, the same pattern as visitor presence (visitor-presence.ts):
 * an agent is online while one of their agent clients holds the queue subscription (waitingConversations)
 * on any instance, and away otherwise. The instance holding it says AgentOnline when it starts and to every
 * probe, AgentOffline when the last one of that agent ends. Whoever needs to know (a visitor accepting a
 * handoff) asks its own instance first and probes the others only when none is connected locally.
 */

/** How long a probe waits for another instance to name an online agent. */
const DEFAULT_PROBE_MS = 300;

const parse = (payload: unknown) => agentPresenceEventSchema.safeParse(payload).data;

export class AgentPresence {
  /** Per tenant: the agents connected to this instance and how many queue subscriptions each holds. */
  private readonly local = new Map<string, Map<string, number>>();
  /** Per tenant with local agents: the subscription answering other instances' probes. */
  private readonly answering = new Map<string, Promise<BusSubscription | null>>();

  constructor(
    private readonly bus: MessageBus,
    private readonly logger: Logger,
    private readonly probeMs = DEFAULT_PROBE_MS,
  ) {}

  /** Marks `userId` online until the returned function is called (the agent's subscription ended). */
  async join(tenantId: string, userId: string): Promise<() => Promise<void>> {
    const agents = this.local.get(tenantId) ?? new Map<string, number>();
    this.local.set(tenantId, agents);
    agents.set(userId, (agents.get(userId) ?? 0) + 1);
    if (!this.answering.has(tenantId)) this.answering.set(tenantId, this.answerProbes(tenantId));
    await this.answering.get(tenantId);
    await this.say(tenantId, { type: 'AgentOnline', userId });
    let left = false;
    return async () => {
      if (left) return;
      left = true;
      const count = (agents.get(userId) ?? 1) - 1;
      if (count > 0) {
        agents.set(userId, count);
        return;
      }
      agents.delete(userId);
      if (agents.size === 0 && this.local.get(tenantId) === agents) {
        this.local.delete(tenantId);
        const answering = this.answering.get(tenantId);
        this.answering.delete(tenantId);
        (await answering)?.unsubscribe();
      }
      await this.say(tenantId, { type: 'AgentOffline', userId });
    };
  }

  /** The agents of the tenant online now, on any instance (others answer within the probe time). */
  async onlineAgents(tenantId: string): Promise<Set<string>> {
    const online = new Set(this.local.get(tenantId)?.keys() ?? []);
    if (this.bus.kind === 'in-process') return online;
    await this.probe(tenantId, (userId) => void online.add(userId), () => false);
    return online;
  }

  /** Whether any agent of the tenant is online; answered from this instance when one is connected here. */
  async anyOnline(tenantId: string): Promise<boolean> {
    if ((this.local.get(tenantId)?.size ?? 0) > 0) return true;
    if (this.bus.kind === 'in-process') return false;
    let found = false;
    await this.probe(tenantId, () => void (found = true), () => found);
    return found;
  }

  /** Publishes a probe and hands every AgentOnline heard within the probe time to `onAgent`, until `done`. */
  private async probe(tenantId: string, onAgent: (userId: string) => void, done: () => boolean): Promise<void> {
    let answers: BusSubscription;
    try {
      answers = await this.bus.subscribe(subjects.agentPresence(tenantId));
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot probe agent presence; counting local agents only');
      return;
    }
    const timer = setTimeout(() => answers.unsubscribe(), this.probeMs);
    timer.unref();
    const listening = (async () => {
      for await (const payload of answers) {
        const event = parse(payload);
        if (event?.type === 'AgentOnline') onAgent(event.userId);
        if (done()) break;
      }
    })();
    await this.say(tenantId, { type: 'AgentPresenceProbe' });
    await listening;
    clearTimeout(timer);
    answers.unsubscribe();
  }

  private async answerProbes(tenantId: string): Promise<BusSubscription | null> {
    let probes: BusSubscription;
    try {
      probes = await this.bus.subscribe(subjects.agentPresence(tenantId));
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot answer agent presence probes; other instances see these agents away');
      return null;
    }
    void (async () => {
      for await (const payload of probes) {
        if (parse(payload)?.type !== 'AgentPresenceProbe') continue;
        for (const userId of this.local.get(tenantId)?.keys() ?? []) await this.say(tenantId, { type: 'AgentOnline', userId });
      }
    })();
    return probes;
  }

  private async say(tenantId: string, event: AgentPresenceEvent): Promise<void> {
    try {
      await this.bus.publish(subjects.agentPresence(tenantId), event);
    } catch (error) {
      // Presence decides whether a visitor waits; a lost notice is logged, never thrown into the queue subscription.
      this.logger.warn({ err: error, type: event.type }, 'could not announce agent presence');
    }
  }
}
