import { validateBotBundle, type BotBundle, type BundleFieldError } from '@mascot/bot-bundle';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { studio, type ProjectState } from '../studio.ts';
import { useAction } from '../use-action.ts';

/** Typing is saved this long after the last keystroke (each save is one undo step). */
export const AUTOSAVE_MS = 500;

export type SaveState = 'saved' | 'pending' | 'invalid';

export interface BundleEditor {
  /** What the forms show: the saved bundle plus edits not saved yet (possibly invalid ones). */
  draft: BotBundle;
  edit(change: (bundle: BotBundle) => BotBundle): void;
  /** The bundle's own field errors for the draft (validateBotBundle), by dotted path. */
  errors: BundleFieldError[];
  errorAt(path: string): string | undefined;
  errorsUnder(prefix: string): BundleFieldError[];
  saveState: SaveState;
  /** What the main process refused (it validates again), if anything. */
  saveError: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One draft of the whole bundle for every editor: each edit is validated at once with the bundle's
 * own rules (the errors the server would give, shown beside the fields), and a valid draft is
 * autosaved through the main process, which records it as one undo step. An invalid draft is kept
 * (and shown) but never saved. Undo, redo and edits elsewhere (the avatar panel) replace the draft;
 * the echo of our own save does not, so typing during a save is not lost.
 */
export function useBundleDraft(project: ProjectState, onSaved: (next: ProjectState | undefined) => void): BundleEditor {
  const [draft, setDraft] = useState<BotBundle>(project.bundle);
  const { error, run } = useAction();
  const sent = useRef<BotBundle | null>(null);

  useEffect(() => {
    // The echo of our own save is consumed once: the same bundle coming back later (redo) is news.
    const echo = sent.current !== null && same(sent.current, project.bundle);
    sent.current = null;
    if (!echo) setDraft(project.bundle);
  }, [project.bundle]);

  const validation = useMemo(() => validateBotBundle(draft), [draft]);

  useEffect(() => {
    if (!validation.ok || same(validation.bundle, project.bundle)) return;
    const timer = setTimeout(() => {
      sent.current = validation.bundle;
      void run(() => studio.updateBundle(project.id, validation.bundle)).then(onSaved);
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [validation, project.id, project.bundle, run, onSaved]);

  const edit = useCallback((change: (bundle: BotBundle) => BotBundle) => setDraft(change), []);

  const errors = validation.ok ? [] : validation.errors;
  const errorAt = useCallback((path: string) => errors.find((e) => e.path === path)?.message, [errors]);
  const errorsUnder = useCallback(
    (prefix: string) => errors.filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`)),
    [errors],
  );
  const saveState: SaveState = !validation.ok ? 'invalid' : same(validation.bundle, project.bundle) ? 'saved' : 'pending';
  return { draft, edit, errors, errorAt, errorsUnder, saveState, saveError: error };
}
