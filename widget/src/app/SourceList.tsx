import type { Source } from './api-types.ts';
import { useI18n } from './i18n/use-i18n.ts';
import { MarkdownText } from './markdown/MarkdownText.tsx';

/** A cited web page's link and its label (host and path, as people read URLs); null unless http(s). */
function pageLink(url: string | null | undefined): { href: string; label: string } | null {
  if (!url || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return { href: parsed.href, label: `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}` };
}

interface SourceListProps {
  sources: readonly Source[];
  /** Markers whose details are shown. */
  expanded: ReadonlySet<number>;
  onToggle(marker: number): void;
  /** The id of a source's details, shared with the citation markers that control it. */
  detailsId(marker: number): string;
}

/**
 * The citations behind an answer: each title is a disclosure button, collapsed by default so the
 * chat stays compact, that reveals where the passage sits (headings, page) and its snippet with
 * the matched words highlighted. The citation markers in the answer toggle the same details.
 */
export function SourceList({ sources, expanded, onToggle, detailsId }: SourceListProps) {
  const { t } = useI18n();
  return (
    // A group, not a section: one landmark per answer would clutter screen readers' landmark list.
    <div className="sources" role="group" aria-label={t('sources')}>
      <p className="sources__heading" aria-hidden="true">
        {t('sources')}
      </p>
      <ol className="sources__list">
        {sources.map((source) => {
          const open = expanded.has(source.marker);
          const location = [
            source.sectionPath.join(' › '),
            source.page === null ? '' : t('sourcePage', { page: source.page }),
          ].filter((part) => part !== '');
          const link = pageLink(source.url);
          return (
            <li key={source.marker} className="sources__item">
              <button
                type="button"
                className="sources__toggle"
                aria-expanded={open}
                aria-controls={detailsId(source.marker)}
                onClick={() => onToggle(source.marker)}
              >
                <span className="sources__marker">[{source.marker}]</span>{' '}
                <span className="sources__title">{source.documentTitle}</span>
              </button>
              <div id={detailsId(source.marker)} className="sources__details" hidden={!open}>
                {location.length > 0 && <p className="sources__location">{location.join(' · ')}</p>}
                {link && (
                  <p className="sources__page">
                    <a className="sources__link" href={link.href} target="_blank" rel="noopener noreferrer">
                      {link.label}
                    </a>
                  </p>
                )}
                <p className="sources__snippet">
                  <MarkdownText inline text={source.snippet} />
                </p>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
