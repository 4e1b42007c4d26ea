// The start screen: a gallery of the local projects (the avatar's picture, name, when last edited,
// whether it is linked to a server) with open, duplicate and delete, and the form for a new one.
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type ProjectState, type ProjectSummary } from '../../studio.ts';
import { useAction } from '../../use-action.ts';

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "yesterday": how designers think of when they last touched a bot. */
function editedAgo(iso: string, now = Date.now()): string {
  let amount = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return new Date(iso).toLocaleDateString();
}

function Thumbnail({ png, name }: { png: Uint8Array | null; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!png) return setUrl(null);
    const objectUrl = URL.createObjectURL(new Blob([png as BlobPart], { type: 'image/png' }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [png]);
  // The name says who it is; the picture is decoration for screen readers.
  return url
    ? <img className="project-thumb" src={url} alt="" width={240} height={180} />
    : <span className="project-thumb placeholder" aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>;
}

function ProjectCard({ project, busy, onOpen, onDuplicate, onDelete }: {
  project: ProjectSummary;
  busy: boolean;
  onOpen: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="project-card card" aria-label={project.name}>
      <button type="button" className="project-open" onClick={onOpen} aria-label={`Open ${project.name}`}>
        <Thumbnail png={project.thumbnail} name={project.name} />
        <strong>{project.name}</strong>
      </button>
      <p className="muted" title={new Date(project.updatedAt).toLocaleString()}>
        Edited {editedAgo(project.updatedAt)} · {project.linked ? 'linked to a server' : 'local only'}
      </p>
      {confirming ? (
        <div className="row" role="group" aria-label={`Delete ${project.name}?`}>
          <span>Delete for good?</span>
          <button type="button" className="button danger" disabled={busy} onClick={onDelete}>Delete {project.name}</button>
          <button type="button" className="button ghost" onClick={() => setConfirming(false)}>Keep it</button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="button" disabled={busy} onClick={onDuplicate} aria-label={`Duplicate ${project.name}`}>Duplicate</button>
          <button type="button" className="button ghost danger" disabled={busy} onClick={() => setConfirming(true)} aria-label={`Delete ${project.name}`}>Delete</button>
        </div>
      )}
    </li>
  );
}

export function ProjectList({ onOpen }: { onOpen: (project: ProjectState) => void }) {
  const [projects, setProjects] = useState<ProjectSummary[]>([]);
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  const reload = () => run(() => studio.listProjects()).then((list) => list && setProjects(list));

  useEffect(() => void reload(), [run]);

  const open = async (id: string) => {
    const project = await run(() => studio.openProject(id));
    if (project) onOpen(project);
  };

  return (
    <main className="projects">
      <h1>Mascot Studio</h1>
      <form
        className="row new-project"
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => studio.createProject({ name })).then((project) => project && onOpen(project));
        }}
      >
        <label>
          New bot name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        </label>
        <button type="submit" className="button primary" disabled={busy}>Create project</button>
      </form>
      <ErrorNote error={error} />
      {projects.length > 0 && <h2>Your bots</h2>}
      <ul className="gallery" aria-label="Projects">
        {projects.map((p) => (
          <ProjectCard key={p.id} project={p} busy={busy}
            onOpen={() => void open(p.id)}
            onDuplicate={() => void run(() => studio.duplicateProject(p.id)).then(reload)}
            onDelete={() => void run(() => studio.deleteProject(p.id)).then(reload)} />
        ))}
      </ul>
    </main>
  );
}
