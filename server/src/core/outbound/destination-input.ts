import { DomainError } from '../errors/index.ts';
import { DestinationRefusal, findDestinationRefusal, type OutboundPolicy } from './outbound-policy.ts';

/**
 * The save-time check of a URL a tenant just typed: refused destinations become BAD_USER_INPUT with
 * `extensions.reason` and a field error. A host that does not resolve yet is accepted here (a DNS
 * hiccup must not block saving an unrelated change); the check at send time refuses it, and it is
 * the authority anyway, since DNS can change after saving.
 */
export async function assertDestinationAllowed(policy: OutboundPolicy, url: string, field: string): Promise<void> {
  try {
    await policy.check(url);
  } catch (error) {
    const refusal = findDestinationRefusal(error);
    if (!refusal) throw error;
    if (refusal.reason === DestinationRefusal.DESTINATION_UNRESOLVABLE) return;
    throw new DomainError('BAD_USER_INPUT', `Invalid input. ${field}: ${refusal.message}`, {
      reason: refusal.reason,
      fieldErrors: [{ field, message: refusal.message }],
    }, { cause: error });
  }
}
