import { useCallback, useEffect, useState } from 'react';
import { AppearancePanel } from './features/appearance/AppearancePanel.tsx';
import { AudiencePanel } from './features/audience/AudiencePanel.tsx';
import { AvatarPanel } from './features/avatar/AvatarPanel.tsx';
import { BehaviourPanel } from './features/behaviour/BehaviourPanel.tsx';
import { ChatPanel } from './features/chat/ChatPanel.tsx';
import { KnowledgePanel } from './features/knowledge/KnowledgePanel.tsx';
import { PersonalityPanel } from './features/personality/PersonalityPanel.tsx';
import { PlacementPanel } from './features/placement/PlacementPanel.tsx';
import { PreviewPanel } from './features/preview/PreviewPanel.tsx';
import { ProjectList } from './features/projects/ProjectList.tsx';
import { PublishPanel } from './features/publish/PublishPanel.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { studio, type ProjectState, type SyncStatus } from './studio.ts';
import { ColorSchemeToggle } from './ui/ColorSchemeToggle.tsx';
import { ToastProvider } from './ui/Toasts.tsx';
import { useBundleDraft, type SaveState } from './ui/use-bundle-draft.ts';
import { useAction } from './use-action.ts';
import { useStudioEvent } from './use-studio-event.ts';

/** The editor groups, in the order a designer works through a bot. */
const GROUPS = [
  { title: 'Bot', tabs: ['Character', 'Personality', 'Knowledge'] },
  { title: 'On the site', tabs: ['Appearance', 'Placement', 'Audience', 'Behaviour'] },
  { title: 'Try and ship', tabs: ['Preview', 'Chat', 'Publish'] },
] as const;
type Tab = (typeof GROUPS)[number]['tabs'][number];

/** Which editor shows the fields under each bundle path (the longest matching prefix wins). */
const TAB_OF_PATH: [prefix: string, tab: Tab][] = [
  ['personality.offerHuman', 'Behaviour'],
  ['name', 'Personality'],
  ['personality', 'Personality'],
  ['avatar', 'Character'],
  ['theme', 'Appearance'],
  ['placement', 'Placement'],
  ['engagement', 'Placement'],
  ['allowedOrigins', 'Audience'],
  ['variants', 'Audience'],
  ['providers', 'Behaviour'],
  ['privacy', 'Behaviour'],
];

function tabOf(path: string): Tab | undefined {
  return TAB_OF_PATH.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1];
}

/** Sync states that end an attempt and change what the project shows (dirty, queued, revision). */
const SYNC_ENDED: ReadonlySet<SyncStatus['state']> = new Set(['synced', 'conflict', 'waiting-for-network']);

const SAVE_STATE_TEXT: Record<SaveState, string> = {
  saved: '',
  pending: 'Saving…',
  invalid: 'Not saved: fix the marked fields',
};

export function App() {
  const [project, setProject] = useState<ProjectState | null>(null);
  return (
    <ToastProvider>
      {project ? <ProjectEditor key={project.id} initial={project} onClose={() => setProject(null)} /> : <ProjectList onOpen={setProject} />}
    </ToastProvider>
  );
}

function ProjectEditor({ initial, onClose }: { initial: ProjectState; onClose: () => void }) {
  const [project, setProject] = useState<ProjectState>(initial);
  const [tab, setTab] = useState<Tab>('Character');
  const { error, run } = useAction();

  // An older answer (an autosave that returns after the undo that followed it) never replaces a newer one.
  const update = useCallback((next: ProjectState | undefined) => {
    if (next) setProject((current) => (next.editSequence >= current.editSequence ? next : current));
  }, []);
  const editor = useBundleDraft(project, update);

  // A sync that ended (clicked, or retried by the queue in the background) changes the project's sync marks.
  useStudioEvent((event) => {
    if (event.type !== 'syncStatus' || event.status.projectId !== project.id) return;
    if (SYNC_ENDED.has(event.status.state)) void run(() => studio.openProject(event.status.projectId)).then(update);
  });

  useEffect(() => {
    // Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z undo and redo the bundle, as in every editor. Inside a text field
    // the field's own undo runs (the browser's), so typing is undone letter by letter first.
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z') return;
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      event.preventDefault();
      void run(() => (event.shiftKey ? studio.redo(project.id) : studio.undo(project.id))).then(update);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [project.id, run, update]);

  // An invalid field holds back every save, so each editor says how many problems it shows.
  const problems = new Map<Tab, number>();
  for (const { path } of editor.errors) {
    const owner = tabOf(path);
    if (owner) problems.set(owner, (problems.get(owner) ?? 0) + 1);
  }
  const saveText = SAVE_STATE_TEXT[editor.saveState] || (project.dirty ? 'Saved locally' : 'Synced');
  return (
    <div className="app">
      <header className="topbar">
        <button type="button" className="button ghost" onClick={onClose}>← Projects</button>
        <h1>{project.name}</h1>
        <span className="status" data-testid="save-status" data-state={editor.saveState} aria-live="polite">
          {saveText}{project.queuedSync ? ' · sync queued' : ''}
        </span>
        <button type="button" className="button" disabled={!project.canUndo} aria-keyshortcuts="Control+Z" onClick={() => void run(() => studio.undo(project.id)).then(update)}>Undo</button>
        <button type="button" className="button" disabled={!project.canRedo} aria-keyshortcuts="Control+Shift+Z" onClick={() => void run(() => studio.redo(project.id)).then(update)}>Redo</button>
        <ColorSchemeToggle />
      </header>
      <div className="workspace">
        <nav className="sidebar" aria-label="Editors">
          {GROUPS.map((group) => (
            <div key={group.title} className="nav-group">
              <p className="nav-title" id={`group-${group.title}`}>{group.title}</p>
              <div role="tablist" aria-orientation="vertical" aria-labelledby={`group-${group.title}`}>
                {group.tabs.map((name) => (
                  <button key={name} type="button" role="tab" id={`tab-${name}`} aria-controls="editor-panel" aria-selected={tab === name} tabIndex={tab === name ? 0 : -1}
                    onClick={() => setTab(name)}>
                    {name}
                    {problems.has(name) && (
                      <>
                        <span className="badge" aria-hidden="true">{problems.get(name)}</span>
                        <span className="sr-only">, {problems.get(name)} to fix</span>
                      </>
                    )}
                  </button>
                ))}
              </div>
            </div>
          ))}
        </nav>
        <main className="panel">
          <div role="tabpanel" id="editor-panel" aria-labelledby={`tab-${tab}`}>
            <ErrorNote error={error ?? editor.saveError} />
            {tab === 'Character' && <AvatarPanel project={project} onChange={update} />}
            {tab === 'Personality' && <PersonalityPanel editor={editor} />}
            {tab === 'Knowledge' && <KnowledgePanel project={project} />}
            {tab === 'Appearance' && <AppearancePanel editor={editor} />}
            {tab === 'Placement' && <PlacementPanel editor={editor} />}
            {tab === 'Audience' && <AudiencePanel editor={editor} />}
            {tab === 'Behaviour' && <BehaviourPanel editor={editor} />}
            {tab === 'Preview' && <PreviewPanel project={project} bundle={project.bundle} />}
            {tab === 'Chat' && <ChatPanel project={project} />}
            {tab === 'Publish' && <PublishPanel project={project} onChange={update} />}
          </div>
        </main>
      </div>
    </div>
  );
}
