import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../metrics/index.ts';
import type { GraphQLContext } from './context.ts';
import { errorCodeOf } from './error-formatter.ts';

/** Counts and times HTTP GraphQL operations; failures are counted once per request, by the first error's code. */
export function useMetrics(metrics: Metrics): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ request }) {
      let operation = metrics.operationLabel(request.operationName);
      let stopTimer: (() => void) | undefined;
      return {
        async didResolveOperation({ operationName, operation: definition }) {
          operation = metrics.operationLabel(operationName);
          stopTimer = metrics.operationStarted({ operation, type: definition?.operation ?? 'query', transport: 'http' });
        },
        async didEncounterErrors({ errors }) {
          metrics.operationFailed({ operation, code: errorCodeOf(errors[0]), transport: 'http' });
        },
        async willSendResponse() {
          stopTimer?.();
        },
      };
    },
  };
}
