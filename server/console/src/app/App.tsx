import { useEffect, useState, useSyncExternalStore } from 'react';
import { Provider, useQuery } from 'urql';
import { Router } from 'wouter';
import { Button, EmptyState, ToastProvider } from '../ui/index.ts';
import { createConsoleClient, type ConsoleClient } from './client.ts';
import { SessionContext } from './session-context.tsx';
import type { SessionStore } from './session.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './SignIn.tsx';
import { VIEWER_QUERY, ViewerProvider, type Viewer } from './viewer.tsx';

function SignedIn({ session }: { session: SessionStore }) {
  const [{ data, error, fetching }] = useQuery<{ me: Viewer }>({ query: VIEWER_QUERY });
  useEffect(() => {
    // The server no longer knows the session (signed out elsewhere, member removed): back to sign-in.
    if (error?.graphQLErrors.some((e) => e.extensions['code'] === 'UNAUTHENTICATED')) session.drop();
  }, [error, session]);
  if (fetching && !data) return <p className="shell__loading" role="status">Loading…</p>;
  if (!data) {
    return (
      <main className="signin">
        <EmptyState title="The Console could not load your account" action={<Button onClick={() => void session.signOut()}>Sign out</Button>}>
          {error?.message ?? 'No answer from the server.'}
        </EmptyState>
      </main>
    );
  }
  return (
    <ViewerProvider viewer={data.me}>
      <Shell onSignOut={() => void session.signOut()} />
    </ViewerProvider>
  );
}

/** Sign-in, or the shell with one API client per signed-in session (a new sign-in starts a clean cache and socket). */
export function App({ session }: { session: SessionStore }) {
  const signedIn = useSyncExternalStore(session.subscribe, session.isSignedIn);
  const identity = useSyncExternalStore(session.subscribe, session.identityKey);
  const [client, setClient] = useState<ConsoleClient>();
  useEffect(() => {
    if (!signedIn) return;
    const created = createConsoleClient(session);
    setClient(created);
    return () => {
      created.dispose();
      setClient(undefined);
    };
  }, [signedIn, identity, session]);
  return (
    <SessionContext.Provider value={session}>
      <ToastProvider>
        <Router base="/console">
          {signedIn && client ? (
            <Provider value={client.urql} key={identity}>
              <SignedIn session={session} />
            </Provider>
          ) : signedIn ? null : (
            <SignIn session={session} />
          )}
        </Router>
      </ToastProvider>
    </SessionContext.Provider>
  );
}
