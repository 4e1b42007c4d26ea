import { useCallback, useEffect, useState } from 'react';
import { AvatarPanel } from './features/avatar/AvatarPanel.tsx';
import { ChatPanel } from './features/chat/ChatPanel.tsx';
import { KnowledgePanel } from './features/knowledge/KnowledgePanel.tsx';
import { PersonalityPanel } from './features/personality/PersonalityPanel.tsx';
import { ProjectList } from './features/projects/ProjectList.tsx';
import { PublishPanel } from './features/publish/PublishPanel.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { studio, type ProjectState, type SyncStatus } from './studio.ts';
import { useAction } from './use-action.ts';
import { useStudioEvent } from './use-studio-event.ts';

const TABS = ['Avatar', 'Personality', 'Knowledge', 'Chat', 'Publish'] as const;
type Tab = (typeof TABS)[number];

/** Sync states that end an attempt and change what the project shows (dirty, queued, revision). */
const SYNC_ENDED: ReadonlySet<SyncStatus['state']> = new Set(['synced', 'conflict', 'waiting-for-network']);

export function App() {
  const [project, setProject] = useState<ProjectState | null>(null);
  const [tab, setTab] = useState<Tab>('Avatar');
  const { error, run } = useAction();

  const update = useCallback((next: ProjectState | undefined) => {
    if (next) setProject(next);
  }, []);

  // A sync that ended (clicked, or retried by the queue in the background) changes the project's sync marks.
  useStudioEvent((event) => {
    if (event.type !== 'syncStatus' || event.status.projectId !== project?.id) return;
    if (SYNC_ENDED.has(event.status.state)) void run(() => studio.openProject(event.status.projectId)).then(update);
  });

  useEffect(() => {
    // Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z undo and redo the bundle, as in every editor.
    const onKey = (event: KeyboardEvent) => {
      if (!project || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z') return;
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      event.preventDefault();
      void run(() => (event.shiftKey ? studio.redo(project.id) : studio.undo(project.id))).then(update);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [project, run, update]);

  if (!project) return <ProjectList onOpen={setProject} />;

  return (
    <div className="app">
      <header className="topbar">
        <button type="button" onClick={() => setProject(null)}>Projects</button>
        <h1>{project.name}</h1>
        <span className="status" data-testid="save-status">
          {project.dirty ? 'Saved locally' : 'Synced'}{project.queuedSync ? ' · sync queued' : ''}
        </span>
        <button type="button" disabled={!project.canUndo} onClick={() => void run(() => studio.undo(project.id)).then(update)}>Undo</button>
        <button type="button" disabled={!project.canRedo} onClick={() => void run(() => studio.redo(project.id)).then(update)}>Redo</button>
      </header>
      <nav className="tabs" role="tablist">
        {TABS.map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>{name}</button>
        ))}
      </nav>
      <ErrorNote error={error} />
      <main className="panel" role="tabpanel" aria-label={tab}>
        {tab === 'Avatar' && <AvatarPanel project={project} onChange={update} />}
        {tab === 'Personality' && <PersonalityPanel project={project} onChange={update} />}
        {tab === 'Knowledge' && <KnowledgePanel project={project} />}
        {tab === 'Chat' && <ChatPanel project={project} />}
        {tab === 'Publish' && <PublishPanel project={project} onChange={update} />}
      </main>
    </div>
  );
}
