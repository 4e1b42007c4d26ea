import { useEffect, useRef } from 'react';
import { useClient, type AnyVariables, type CombinedError } from 'urql';

/**
 * Follows a GraphQL subscription, calling `onEvent` once per event in order (urql's useSubscription
 * keeps only the latest result per render, so events arriving together would be lost for a screen that
 * reacts to each). `key` restarts the subscription when it changes; `pause` ends it.
 */
export function useLiveSubscription<Event, Variables extends AnyVariables = AnyVariables>(
  query: string,
  variables: Variables,
  onEvent: (event: Event) => void,
  { pause = false, key = '', onError }: { pause?: boolean; key?: string; onError?: (error: CombinedError) => void } = {},
): void {
  const client = useClient();
  const handlers = useRef({ onEvent, onError });
  handlers.current = { onEvent, onError };
  const variablesRef = useRef(variables);
  variablesRef.current = variables;
  useEffect(() => {
    if (pause) return;
    const { unsubscribe } = client.subscription<Event, Variables>(query, variablesRef.current).subscribe((result) => {
      if (result.error) handlers.current.onError?.(result.error);
      if (result.data) handlers.current.onEvent(result.data);
    });
    return unsubscribe;
  }, [client, query, pause, key]);
}
