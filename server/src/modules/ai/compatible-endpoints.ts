import type { AiConfig } from '../../core/config/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { assertDestinationAllowed, DestinationRefusal, type OutboundPolicy } from '../../core/outbound/index.ts';

/**
 * Which OpenAI-compatible endpoints a bot may name in its provider chain: the same decision when a
 * bundle is saved (a typed error) and for every call (the check that counts, DNS can change). Base
 * URLs are tenant input, so they go through the outbound policy (core/outbound); origins the operator
 * listed in OPENAI_COMPATIBLE_ALLOWED_ORIGINS are allowed even when private, since listing them was
 * the operator's decision, and when that list is not empty nothing else is called.
 */
export class CompatibleEndpoints {
  /** The policy calls go through: the outbound policy plus the operator's listed origins. */
  readonly policy: OutboundPolicy;

  constructor(
    private readonly config: AiConfig['openaiCompatible'],
    outbound: OutboundPolicy,
  ) {
    this.policy = outbound.allowing(config.allowedOrigins.map((origin) => ({ kind: 'origin' as const, origin })));
  }

  /** Closes the pooled connections of its calls. */
  close(): Promise<void> {
    return this.policy.close();
  }

  /** Whether the operator listed this endpoint's origin (only listed origins receive the key). */
  isListed(baseUrl: string): boolean {
    return URL.canParse(baseUrl) && this.config.allowedOrigins.includes(new URL(baseUrl).origin);
  }

  /** Why configuration alone rules this base URL out, or undefined when it may be tried. */
  configuredRefusal(baseUrl: string): string | undefined {
    if (this.config.allowedOrigins.length > 0 && !this.isListed(baseUrl)) return 'its base URL is not in OPENAI_COMPATIBLE_ALLOWED_ORIGINS';
    return undefined;
  }

  /** The save-time check of one entry's base URL; `field` names it in the error (bundle.providers.1.baseUrl). */
  async assertAllowed(baseUrl: string, field: string): Promise<void> {
    const refusal = this.configuredRefusal(baseUrl);
    if (refusal) {
      throw new DomainError('BAD_USER_INPUT', `Invalid input. ${field}: ${refusal}`, {
        reason: DestinationRefusal.DESTINATION_NOT_ALLOWED,
        fieldErrors: [{ field, message: refusal }],
      });
    }
    await assertDestinationAllowed(this.policy, baseUrl, field);
  }
}
