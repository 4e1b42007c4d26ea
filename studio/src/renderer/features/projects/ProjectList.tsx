import { useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type ProjectState, type ProjectSummary } from '../../studio.ts';
import { useAction } from '../../use-action.ts';

export function ProjectList({ onOpen }: { onOpen: (project: ProjectState) => void }) {
  const [projects, setProjects] = useState<ProjectSummary[]>([]);
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();

  useEffect(() => {
    void run(() => studio.listProjects()).then((list) => list && setProjects(list));
  }, [run]);

  const open = async (id: string) => {
    const project = await run(() => studio.openProject(id));
    if (project) onOpen(project);
  };

  return (
    <main className="projects">
      <h1>Mascot Studio</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => studio.createProject({ name })).then((project) => project && onOpen(project));
        }}
      >
        <label>
          New bot name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        </label>
        <button type="submit" disabled={busy}>Create project</button>
      </form>
      <ErrorNote error={error} />
      <ul aria-label="Projects">
        {projects.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => void open(p.id)}>{p.name}</button>
            <span className="muted">{p.linked ? 'linked' : 'local only'} · {new Date(p.updatedAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </main>
  );
}
