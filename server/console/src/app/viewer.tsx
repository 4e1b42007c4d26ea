import { createContext, useContext, type ReactNode } from 'react';
import type { MemberRole } from './roles.ts';

export { VIEWER_QUERY } from './operations.ts';

/** `me` as the Console reads it once after sign-in. */
export interface Viewer {
  user: { id: string; email: string };
  tenant: { id: string; name: string };
  role: MemberRole;
  isPlatformAdmin: boolean;
  memberships: { role: MemberRole; tenant: { id: string; name: string } }[];
}


const ViewerContext = createContext<Viewer | undefined>(undefined);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

/** The signed-in member; screens render only inside the shell, where there always is one. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside the signed-in shell');
  return viewer;
}
