import type { ComponentType } from 'react';
import { ROLES_WITH, type MemberRole } from '../app/roles.ts';

/**
 * The screens the shell renders, in sidebar order. Each is a lazy import(), so each screen is its own
 * chunk. `path` is a prefix under /console: the screen renders nested (wouter `nest`), so inside it
 * `useRoute('/:id')` or `<Link href="/abc">` are relative to its path. A member whose role is not in
 * `roles` does not see the screen in the sidebar and gets "no access" on its URL (the API refuses anyway).
 * `platformAdmin: true` additionally requires me.isPlatformAdmin.
 *
 * Add entries by appending to the array; keep it a plain array.
 */
export interface ScreenEntry {
  path: string;
  title: string;
  roles: MemberRole[];
  /** A sidebar icon by name (src/ui/Icon.tsx: inbox, conversations, analytics, leads, knowledge-gaps, team, platform); else the title's first letter. */
  icon?: string;
  platformAdmin?: boolean;
  load: () => Promise<{ default: ComponentType }>;
}

export const screens: ScreenEntry[] = [
  { path: '/inbox', title: 'Inbox', icon: 'inbox', roles: [...ROLES_WITH.handleConversations], load: () => import('./inbox/InboxScreen.tsx') },
  { path: '/conversations', title: 'Conversations', icon: 'conversations', roles: [...ROLES_WITH.readConversations], load: () => import('./conversations/ConversationsScreen.tsx') },
  { path: '/analytics', title: 'Analytics', icon: 'analytics', roles: [...ROLES_WITH.readAnalytics], load: () => import('./analytics/AnalyticsScreen.tsx') },
  { path: '/leads', title: 'Leads', icon: 'leads', roles: [...ROLES_WITH.readLeads], load: () => import('./leads/LeadsScreen.tsx') },
  { path: '/knowledge-gaps', title: 'Knowledge gaps', icon: 'knowledge-gaps', roles: [...ROLES_WITH.readAnalytics], load: () => import('./knowledge-gaps/KnowledgeGapsScreen.tsx') },
  { path: '/team', title: 'Team & integrations', icon: 'team', roles: [...ROLES_WITH.manageTenant], load: () => import('./team/TeamScreen.tsx') },
  { path: '/platform', title: 'Platform', icon: 'platform', roles: ['OWNER', 'ADMIN', 'DESIGNER', 'AGENT', 'ANALYST', 'VIEWER'], platformAdmin: true, load: () => import('./platform/PlatformScreen.tsx') },
];
