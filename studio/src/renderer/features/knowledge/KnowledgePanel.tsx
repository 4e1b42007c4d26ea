import { useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { DropZone, type PickedFile } from '../../ui/DropZone.tsx';
import { studio, type KnowledgeChunkView, type KnowledgeDocumentSummary, type ProjectState, type SearchHit } from '../../studio.ts';
import { useAction } from '../../use-action.ts';

export function KnowledgePanel({ project }: { project: ProjectState }) {
  const { busy, error, run } = useAction();
  const [documents, setDocuments] = useState<KnowledgeDocumentSummary[]>([]);
  const [chunks, setChunks] = useState<{ title: string; chunks: KnowledgeChunkView[] } | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);

  useEffect(() => void run(() => studio.listKnowledge(project.id)).then((list) => list && setDocuments(list)), [project.id, run]);

  const importFiles = async (files: PickedFile[]) => {
    for (const file of files) await run(() => studio.importKnowledge(project.id, file));
    setDocuments(await studio.listKnowledge(project.id));
  };

  return (
    <div className="knowledge">
      <section>
        <DropZone label="Import a document" multiple testId="knowledge-drop" onFiles={(files) => void importFiles(files)}>
          Drop documents here (PDF, Word, HTML, Markdown, text, CSV), or
        </DropZone>
        <ErrorNote error={error} />
        <table className="table" aria-label="Documents">
          <thead><tr><th>Title</th><th>Format</th><th>Passages</th><th>Server</th><th /></tr></thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id}>
                <td>{d.title}{d.warnings.length > 0 && <span className="muted"> ({d.warnings.join('; ')})</span>}</td>
                <td>{d.format}</td>
                <td>
                  <button type="button" onClick={() => void run(() => studio.knowledgeChunks(project.id, d.id)).then((c) => c && setChunks({ title: d.title, chunks: c }))}>
                    {d.chunkCount} passages
                  </button>
                </td>
                <td>{d.syncedDocumentId ? 'uploaded' : 'not yet'}</td>
                <td><button type="button" onClick={() => void run(() => studio.removeKnowledge(project.id, d.id)).then((list) => list && setDocuments(list))}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {chunks && (
          <div aria-label="Passages">
            <h3>Passages of {chunks.title}</h3>
            <ol>{chunks.chunks.map((c) => <li key={c.id}><strong>{c.sectionPath.join(' › ')}</strong> {c.text} <span className="muted">({c.tokenCount} tokens)</span></li>)}</ol>
          </div>
        )}
      </section>
      <section>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => studio.searchKnowledge(project.id, query)).then((result) => result && setHits(result));
          }}
        >
          <label>Test search <input value={query} onChange={(e) => setQuery(e.target.value)} /></label>
          <button type="submit" disabled={busy || !query.trim()}>Search</button>
        </form>
        {hits && (
          <ol aria-label="Search results">
            {hits.length === 0 && <li className="muted">Nothing matches.</li>}
            {hits.map((hit) => (
              <li key={hit.id}>
                <strong>{hit.documentTitle}{hit.sectionPath.length > 0 ? ` › ${hit.sectionPath.join(' › ')}` : ''}</strong>
                <span className="muted"> · similarity {hit.score.toFixed(2)}</span>
                <p>{hit.text}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
