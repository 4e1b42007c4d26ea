import { useRef } from 'react';
import { useToast } from './Toasts.tsx';

/**
 * Text to paste elsewhere (an embed snippet, a CSP header) with a Copy button. The async clipboard API
 * first; where it is refused (no permission), a selection and the copy command, which need none.
 */
export function CopyBlock({ label, noun, text, testId }: {
  label: string;
  /** How the Copy button names it, in running text ("embed snippet"). */
  noun: string;
  text: string;
  testId?: string;
}) {
  const toast = useToast();
  const pre = useRef<HTMLPreElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre.current!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      document.execCommand('copy');
    }
    toast(`${label} copied`);
  };
  return (
    <div className="snippet">
      <pre ref={pre} aria-label={label} data-testid={testId} tabIndex={0}>{text}</pre>
      <button type="button" className="button" onClick={() => void copy()}>Copy {noun}</button>
    </div>
  );
}
