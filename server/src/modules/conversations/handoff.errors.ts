import { ErrorCode } from '@mascot/contracts';
import { DomainError } from '../../core/errors/index.ts';

/**
 * Why an agent operation conflicts with the conversation's state, in `extensions.reason` next to
 * `extensions.code: CONFLICT`, so an agent console can tell "someone was faster" from "hand it back first".
 */
export const HandoffConflictReason = {
  /** Another agent holds the conversation (or won the race to take it over). */
  TAKEN_BY_ANOTHER_AGENT: 'TAKEN_BY_ANOTHER_AGENT',
  /** The operation needs the conversation taken over by the caller first. */
  NOT_TAKEN_OVER: 'NOT_TAKEN_OVER',
  /** The visitor cancels a wait an agent already answered. */
  AGENT_JOINED: 'AGENT_JOINED',
  /** The bot hands no conversation to people (personality.offerHuman `never`). */
  NO_TEAM: 'NO_TEAM',
} as const;
export type HandoffConflictReason = (typeof HandoffConflictReason)[keyof typeof HandoffConflictReason];

export const HandoffError = {
  takenByAnotherAgent(agentName: string | null): DomainError {
    return new DomainError(
      ErrorCode.CONFLICT,
      `${agentName ?? 'Another agent'} has already taken this conversation over.`,
      { reason: HandoffConflictReason.TAKEN_BY_ANOTHER_AGENT, agentName },
    );
  },

  agentJoined(agentName: string | null): DomainError {
    return new DomainError(
      ErrorCode.CONFLICT,
      `${agentName ?? 'A person'} has already joined the conversation.`,
      { reason: HandoffConflictReason.AGENT_JOINED, agentName },
    );
  },

  noTeam(): DomainError {
    return new DomainError(ErrorCode.CONFLICT, 'This assistant does not hand conversations to people.', { reason: HandoffConflictReason.NO_TEAM });
  },

  notTakenOver(): DomainError {
    return new DomainError(
      ErrorCode.CONFLICT,
      'Take this conversation over before replying in it.',
      { reason: HandoffConflictReason.NOT_TAKEN_OVER },
    );
  },
};
