import type { Source } from './api-types.ts';

/** The citations behind an answer, collapsed by default so they don't crowd the chat. */
export function SourceList({ sources }: { sources: readonly Source[] }) {
  return (
    <details className="sources">
      <summary>Sources</summary>
      <ol className="sources__list">
        {sources.map((source) => (
          <li key={source.marker} className="sources__item">
            <span className="sources__title">
              [{source.marker}] {source.documentTitle}
            </span>
            <p className="sources__snippet">{source.snippet}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}
