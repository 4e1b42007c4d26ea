// A reply is rendered as Markdown while it streams, so at most moments it is cut mid-syntax:
// "**Pro pl", "[Pricing](https://acme.exa", an open code fence. Rendered as is, the markup would
// flash as literal asterisks and brackets and then jump into formatting when the closing half
// arrives. This closes what is open (or drops a marker that has nothing after it yet) so each
// intermediate render already looks like the final one. The completed reply is rendered untouched.

const FENCE = /^ {0,3}(```|~~~)/;

/** Counts `marker` in `text`, skipping backslash-escaped ones. */
function countMarker(text: string, marker: string): number {
  let count = 0;
  for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + marker.length)) {
    if (text[i - 1] !== '\\') count++;
  }
  return count;
}

/** Closes an unbalanced inline `marker`: appended before trailing spaces, or removed when nothing follows it yet. */
function balance(text: string, marker: string): string {
  if (countMarker(text, marker) % 2 === 0) return text;
  const trimmed = text.trimEnd();
  if (trimmed.endsWith(marker)) return trimmed.slice(0, -marker.length);
  return trimmed + marker + text.slice(trimmed.length);
}

/** Single-asterisk emphasis, not list bullets ("* item") nor spaced operators ("2 * 3"). */
function emphasisAsterisks(text: string): number {
  const withoutStrong = text.replace(/\*\*/g, '');
  let count = 0;
  for (let i = 0; i < withoutStrong.length; i++) {
    if (withoutStrong[i] !== '*' || withoutStrong[i - 1] === '\\') continue;
    const before = withoutStrong[i - 1] ?? '\n';
    const after = withoutStrong[i + 1] ?? '';
    const isBullet = /^[ \t]*$/.test(withoutStrong.slice(withoutStrong.lastIndexOf('\n', i - 1) + 1, i)) && after === ' ';
    if (!isBullet && !(/\s/.test(before) && /\s/.test(after))) count++;
  }
  return count;
}

/** `text` (a reply still streaming) with its unfinished Markdown closed or trimmed. */
export function closeOpenMarkdown(text: string): string {
  const lines = text.split('\n');
  const fences = lines.filter((line) => FENCE.test(line)).length;
  // Inside an open code block everything is literal: just close the block.
  if (fences % 2 === 1) return `${text}\n${lines.find((line) => FENCE.test(line))!.trim().slice(0, 3)}`;

  let result = text
    // A link or image whose target is still arriving: show its text for now.
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*$/, '$1')
    // An opening bracket with no closing one yet ("[1" of a citation, "[Pric" of a link).
    .replace(/!?\[([^\]\n]*)$/, '$1');
  result = balance(result, '`');
  if (countMarker(result, '`') % 2 === 0) {
    result = balance(result, '**');
    result = balance(result, '~~');
    if (emphasisAsterisks(result) % 2 === 1) {
      const trimmed = result.trimEnd();
      result = trimmed.endsWith('*') ? trimmed.slice(0, -1) : `${trimmed}*${result.slice(trimmed.length)}`;
    }
  }
  return result;
}
