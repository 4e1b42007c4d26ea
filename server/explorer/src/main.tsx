// Monaco's editor, JSON and GraphQL workers, bundled by Vite (`?worker` imports inside graphiql's
// Vite setup) and loaded from our own origin: worker-src 'self', nothing from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './explorer.css';
import { useGraphiQL } from '@graphiql/react';
import { GraphiQL } from 'graphiql';
import { StrictMode, useEffect, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { createTokenStore, graphiqlStorage, sessionStore, syncAuthorizationHeader, type TokenStore } from './authorization.ts';
import { EXAMPLE_OPERATIONS } from './example-operations.ts';
import { createExplorerFetcher, logIn, sameOriginEndpoints } from './fetcher.ts';
import { createMascotPlugin, MASCOT_PLUGIN_TITLE } from './MascotPanel.tsx';

const endpoints = sameOriginEndpoints(window.location);
const storage = sessionStore();
const tokens = createTokenStore(storage);
// Tabs and history (which keeps request headers) live in this browser tab's session, not localStorage.
const graphiqlState = graphiqlStorage(storage);
const fetcher = createExplorerFetcher(endpoints);
const plugins = [createMascotPlugin({ tokens, logIn: (email, password) => logIn(endpoints.http, email, password) })];
// First visit in this browser tab (no saved tabs yet): open the panel so signing in is one step away.
const initialPlugin = storage.getItem('graphiql:tabState') === null ? MASCOT_PLUGIN_TITLE : undefined;
const defaultTabs = EXAMPLE_OPERATIONS.map(({ query, variables }) => ({ query, variables: variables ?? null }));

/**
 * Keeps the headers editor in line with the current token as tabs open and switch: a tab without an
 * Authorization header (or with one from before the last sign-in) gets the current one; signing out
 * removes it. A header the user typed themselves (say a visitor token) is left alone.
 */
function AuthorizationSync({ tokens }: { tokens: TokenStore }) {
  const token = useSyncExternalStore(tokens.subscribe, tokens.get);
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const activeTabIndex = useGraphiQL((state) => state.activeTabIndex);
  const tabCount = useGraphiQL((state) => state.tabs.length);
  useEffect(() => {
    if (!headerEditor) return;
    const next = syncAuthorizationHeader(headerEditor.getValue(), token, tokens.isRetired);
    if (next !== undefined) headerEditor.setValue(next);
  }, [headerEditor, activeTabIndex, tabCount, token, tokens]);
  return null;
}

function Explorer() {
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={plugins}
      visiblePlugin={initialPlugin}
      defaultTabs={defaultTabs}
      storage={graphiqlState}
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        <span className="mascot-logo">Mascot API</span>
      </GraphiQL.Logo>
      <AuthorizationSync tokens={tokens} />
    </GraphiQL>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
