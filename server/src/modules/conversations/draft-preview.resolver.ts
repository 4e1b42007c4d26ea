import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { requirePermission, whenIterationEnds, type GraphQLContext } from '../../core/graphql/index.ts';
import type { DraftPreviewService, PreviewEvent, PreviewInput } from './draft-preview.service.ts';
import { PreviewReplyEventUnion, PreviewReplyInput } from './draft-preview.types.ts';

export function createDraftPreviewResolver(preview: DraftPreviewService) {
  @Resolver()
  class DraftPreviewResolver {
    @Subscription(() => PreviewReplyEventUnion, {
      description:
        "A designer's test reply from a bot's draft (or the bundle given) through the tenant's real provider chain: " +
        'PreviewReplyDelta while it streams, then PreviewReplyCompleted. Nothing is stored as a conversation; the cost counts in the AI spend.',
      subscribe: async ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) => {
        const { tenantId } = requirePermission(context, 'bots:write');
        // The designer closing the chat (or the socket) stops the provider stream at once.
        const stop = new AbortController();
        const events = await preview.start(context.em, tenantId, String(args['botId']), args['input'] as PreviewInput, stop.signal);
        return whenIterationEnds(events, () => stop.abort());
      },
    })
    previewReply(
      @Arg('botId', () => ID) _botId: string,
      @Arg('input', () => PreviewReplyInput) _input: PreviewReplyInput,
      @Root() event: PreviewEvent,
    ): PreviewEvent {
      return event;
    }
  }
  return DraftPreviewResolver;
}
