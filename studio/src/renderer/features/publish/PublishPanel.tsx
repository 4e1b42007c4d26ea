import { useCallback, useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type PendingDiff, type ProjectState, type PublishResult, type SessionInfo, type SyncResult, type VersionInfo } from '../../studio.ts';
import { useAction } from '../../use-action.ts';
import { useStudioEvent } from '../../use-studio-event.ts';
import { ChangeList } from './ChangeList.tsx';
import { EmbedInstructions } from './EmbedInstructions.tsx';
import { SyncQueueStatus } from './SyncQueueStatus.tsx';

function SignIn({ onSignedIn, endedBecause }: { onSignedIn: (session: SessionInfo) => void; endedBecause: string | null }) {
  const { busy, error, run } = useAction();
  const [serverUrl, setServerUrl] = useState('http://localhost:4000');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form
      className="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => studio.signIn({ serverUrl, email, password })).then((s) => s && onSignedIn(s));
      }}
    >
      <h2>Sign in to a Mascot server</h2>
      {endedBecause && <p className="error" data-testid="session-ended">{endedBecause}</p>}
      <label>Server <input value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} /></label>
      <label>Email <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
      <label>Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
      <button type="submit" disabled={busy}>Sign in</button>
      <ErrorNote error={error} />
    </form>
  );
}

export function PublishPanel({ project, onChange }: { project: ProjectState; onChange: (p: ProjectState | undefined) => void }) {
  const { busy, error, run } = useAction();
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [pending, setPending] = useState<PendingDiff | null>(null);
  const [sync, setSync] = useState<SyncResult | null>(null);
  const [published, setPublished] = useState<PublishResult | null>(null);
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  useEffect(() => void run(() => studio.session()).then((s) => s !== undefined && setSession(s)), [run]);
  useStudioEvent((event) => {
    if (event.type !== 'session') return;
    setSession(event.session);
    setEndedBecause(event.reason);
  });

  const refresh = useCallback(async () => {
    if (!project.link) return;
    const [diff, list] = [await studio.pendingDiff(project.id), await studio.versions(project.id)];
    setPending(diff);
    setVersions(list);
  }, [project.id, project.link]);

  useEffect(() => {
    if (session && project.link) void run(refresh);
  }, [session, project.link, run, refresh]);

  if (!session) return <SignIn onSignedIn={setSession} endedBecause={endedBecause} />;
  const reload = async () => onChange(await studio.openProject(project.id));

  return (
    <div className="publish">
      <p>Signed in to {session.serverUrl} as {session.email} ({session.tenantName}).</p>
      {!project.link ? (
        <button type="button" disabled={busy} onClick={() => void run(() => studio.linkProject(project.id)).then(onChange)}>Create the bot on the server and link it</button>
      ) : (
        <>
          <p data-testid="link">Linked to bot <code>{project.link.embedId}</code> · draft revision {project.link.syncedRevision}</p>
          {/* The app reloads the project when a sync ends; the panel refreshes what is on the server. */}
          <SyncQueueStatus projectId={project.id} onSettled={() => void run(refresh)} />
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void run(async () => setSync(await studio.sync(project.id)))}>Sync</button>
            <button type="button" disabled={busy} onClick={() => void run(async () => { setPublished(await studio.publish(project.id)); await reload(); await refresh(); })}>Publish</button>
          </div>
          {/* A queued sync is shown by the queue's status line above. */}
          {sync && sync.status !== 'queued' && (
            <div role="status" data-status={sync.status} className={sync.status === 'conflict' ? 'conflict' : ''}>
              <p>{sync.message}</p>
              {sync.conflict && (
                <>
                  <ChangeList changes={sync.conflict.changes} label="Server changes" />
                  <button type="button" onClick={() => void run(async () => { onChange(await studio.resolveConflict(project.id, 'keep-local')); setSync(null); await refresh(); })}>Keep mine (overwrite the server)</button>
                  <button type="button" onClick={() => void run(async () => { onChange(await studio.resolveConflict(project.id, 'take-server')); setSync(null); await refresh(); })}>Take the server's</button>
                </>
              )}
            </div>
          )}
          <section>
            <h2>Not yet live {pending && (pending.liveVersion ? `(against version ${pending.liveVersion})` : '(nothing published yet)')}</h2>
            {pending && <ChangeList changes={pending.changes} label="Pending changes" />}
          </section>
          {published && (
            <section data-testid="published">
              <h2>Version {published.version.number} is live{published.version.rolledBackFrom ? ` (version ${published.version.rolledBackFrom} again)` : ''}</h2>
              {published.diff ? <ChangeList changes={published.diff.changes} label="Published changes" /> : <p className="muted">First publication.</p>}
            </section>
          )}
          {(published || versions.length > 0) && <EmbedInstructions link={project.link} allowedOrigins={project.bundle.allowedOrigins} />}
          <section>
            <h2>Versions</h2>
            <table className="table" aria-label="Versions">
              <tbody>
                {versions.map((v, i) => (
                  <tr key={v.number}>
                    <td>Version {v.number}{i === 0 ? ' (live)' : ''}</td>
                    <td>{new Date(v.publishedAt).toLocaleString()}</td>
                    <td>{v.rolledBackFrom ? `rollback to ${v.rolledBackFrom}` : ''}</td>
                    <td>
                      {i > 0 && (
                        <button type="button" aria-label={`Roll back to version ${v.number}`} disabled={busy}
                          onClick={() => void run(async () => { setPublished(await studio.rollback(project.id, v.number)); await refresh(); })}>
                          Roll back
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
