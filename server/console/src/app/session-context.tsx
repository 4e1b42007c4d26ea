import { createContext, useContext } from 'react';
import type { SessionStore } from './session.ts';

export const SessionContext = createContext<SessionStore | undefined>(undefined);

/** The session store: its access token for downloads that cannot go through urql (exports). */
export function useSession(): SessionStore {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the app');
  return session;
}
