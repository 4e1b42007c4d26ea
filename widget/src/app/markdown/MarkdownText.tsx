import { compiler, RuleType, type MarkdownToJSX } from 'markdown-to-jsx';
import { Fragment, useMemo, type ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';
import { splitCitationMarkers, type TextPart } from './citation-markers.ts';
import { safeLinkUrl } from './safe-url.ts';
import { closeOpenMarkdown } from './streaming-markdown.ts';

export type CitationRenderer = (part: Exclude<TextPart, string>, key: string) => ReactNode;

interface MarkdownTextProps {
  /** Untrusted Markdown: a reply, an agent's message, a source snippet. */
  text: string;
  /** The reply is still arriving: unfinished syntax is closed so it renders as it will end up. */
  streaming?: boolean;
  /** A single line of inline Markdown (source snippets), no paragraphs. */
  inline?: boolean;
  /** Turns citation markers ([1], [1, 2]) into controls; without it they stay text. */
  renderCitation?: CitationRenderer;
}

/** A link that always opens outside the iframe, without giving the new page a handle on us. */
function SafeLink({ href, title, children }: { href?: string; title?: string; children?: ReactNode }) {
  const { t } = useI18n();
  const url = safeLinkUrl(href);
  if (!url) return <span className="md-unsafe-link">{children}</span>;
  return (
    <a href={url} title={title} target="_blank" rel="noopener noreferrer">
      {children}
      <span className="sr-only"> {t('opensInNewTab')}</span>
    </a>
  );
}

/**
 * Images are never loaded: a remote image in a reply could be a tracking pixel that tells a third
 * party who reads the chat and when. The visitor gets a link to it instead (or just its description).
 */
function ImageAsLink({ src, alt }: { src?: string; alt?: string }) {
  const { t } = useI18n();
  const url = safeLinkUrl(src);
  const label = alt?.trim() ? t('imageLink', { alt: alt.trim() }) : t('image');
  if (!url) return <span className="md-image">{label}</span>;
  return (
    <a className="md-image" href={url} target="_blank" rel="noopener noreferrer">
      {label}
      <span className="sr-only"> {t('opensInNewTab')}</span>
    </a>
  );
}

/** Headings inside a bubble are emphasis, not document structure (the page has its own outline). */
function BubbleHeading({ children }: { children?: ReactNode }) {
  return (
    <p className="md-heading" dir="auto">
      <strong>{children}</strong>
    </p>
  );
}

/** Tables scroll inside the bubble instead of widening it. */
function ScrollingTable({ children }: { children?: ReactNode }) {
  return (
    <div className="md-table">
      <table>{children}</table>
    </div>
  );
}

const OVERRIDES: MarkdownToJSX.Overrides = {
  a: { component: SafeLink },
  img: { component: ImageAsLink },
  h1: { component: BubbleHeading },
  h2: { component: BubbleHeading },
  h3: { component: BubbleHeading },
  h4: { component: BubbleHeading },
  h5: { component: BubbleHeading },
  h6: { component: BubbleHeading },
  table: { component: ScrollingTable },
  // Each block lays itself out by its own first strong character, so a reply mixing an Arabic or
  // Hebrew paragraph with an English one reads right in both.
  p: { props: { dir: 'auto' } },
  li: { props: { dir: 'auto' } },
  blockquote: { props: { dir: 'auto' } },
};

function compileOptions(inline: boolean, renderCitation: CitationRenderer | undefined): MarkdownToJSX.Options {
  // A marker inside a link's text stays text: a button inside a link is neither valid nor operable.
  let linkDepth = 0;
  return {
    // Raw HTML in the text is shown as text, never turned into elements.
    disableParsingRawHTML: true,
    forceBlock: !inline,
    forceInline: inline,
    wrapper: Fragment,
    overrides: OVERRIDES,
    renderRule(next, node, _renderChildren, state) {
      if (node.type === RuleType.gfmTask) {
        // "[x]" opening a line is a task checkbox in GFM; a chat has no use for focusable inputs.
        return <Fragment key={state.key}>{node.completed ? '☑ ' : '☐ '}</Fragment>;
      }
      if (node.type === RuleType.link || node.type === RuleType.refLink) {
        linkDepth++;
        try {
          return next();
        } finally {
          linkDepth--;
        }
      }
      if (node.type === RuleType.text && renderCitation && linkDepth === 0) {
        const parts = splitCitationMarkers(node.text);
        if (parts.length === 1 && typeof parts[0] === 'string') return next();
        return (
          <Fragment key={state.key}>
            {parts.map((part, i) => (typeof part === 'string' ? part : renderCitation(part, `${String(state.key)}-${i}`)))}
          </Fragment>
        );
      }
      return next();
    },
  };
}

/**
 * Markdown rendered safely: React elements built by markdown-to-jsx (no innerHTML), raw HTML
 * parsing off, links limited to http(s)/mailto and opened in a new tab with noopener, images
 * shown as links. Compiled again only when the text changes.
 */
export function MarkdownText({ text, streaming = false, inline = false, renderCitation }: MarkdownTextProps) {
  const source = streaming ? closeOpenMarkdown(text) : text;
  const content = useMemo(
    () => compiler(source, compileOptions(inline, renderCitation)),
    [source, inline, renderCitation],
  );
  const Wrapper = inline ? 'span' : 'div';
  return (
    <Wrapper className={inline ? 'md md--inline' : 'md'} dir="auto">
      {content}
    </Wrapper>
  );
}
