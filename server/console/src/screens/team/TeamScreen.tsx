import { useState } from 'react';
import { Tabs } from '../../ui/Tabs.tsx';
import '../../ui/screens.css';
import './team.css';
import { ApiKeysTab } from './ApiKeysTab.tsx';
import { AuditLogTab } from './AuditLogTab.tsx';
import { CannedRepliesTab } from './CannedRepliesTab.tsx';
import { MembersTab } from './MembersTab.tsx';
import { PlanUsageTab } from './PlanUsageTab.tsx';
import { WebhooksTab } from './WebhooksTab.tsx';

type TabKey = 'members' | 'keys' | 'webhooks' | 'replies' | 'audit' | 'usage';
const TABS: { key: TabKey; label: string }[] = [
  { key: 'members', label: 'Members' },
  { key: 'keys', label: 'API keys' },
  { key: 'webhooks', label: 'Webhooks' },
  { key: 'replies', label: 'Canned replies' },
  { key: 'audit', label: 'Audit log' },
  { key: 'usage', label: 'Plan and usage' },
];

/** Owners and admins: who is in the team, how integrations reach the API, what happened, and what the plan allows. */
export default function TeamScreen() {
  const [tab, setTab] = useState<TabKey>(() => {
    const asked = new URLSearchParams(window.location.search).get('tab');
    return TABS.some((t) => t.key === asked) ? (asked as TabKey) : 'members';
  });
  return (
    <div>
      <div className="page-header">
        <div>
          <h1>Team and integrations</h1>
          <p>Members, API keys, webhooks, the team's canned replies, the audit log and your plan.</p>
        </div>
      </div>
      <Tabs label="Team and integrations" tabs={TABS} selected={tab} onSelect={setTab}>
        <div className="team__panel">
          {tab === 'members' ? <MembersTab /> : null}
          {tab === 'keys' ? <ApiKeysTab /> : null}
          {tab === 'webhooks' ? <WebhooksTab /> : null}
          {tab === 'replies' ? <CannedRepliesTab /> : null}
          {tab === 'audit' ? <AuditLogTab /> : null}
          {tab === 'usage' ? <PlanUsageTab /> : null}
        </div>
      </Tabs>
    </div>
  );
}
