import { BOT_TONES, OFFER_HUMAN_MODES, type BotPersonality } from '@mascot/bot-bundle';
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type ProjectState } from '../../studio.ts';
import { useAction } from '../../use-action.ts';

/** Typing is saved this long after the last keystroke (each save is one undo step). */
const AUTOSAVE_MS = 500;

export function PersonalityPanel({ project, onChange }: { project: ProjectState; onChange: (p: ProjectState | undefined) => void }) {
  const { error, run } = useAction();
  const [draft, setDraft] = useState<BotPersonality>(project.bundle.personality);
  const [name, setName] = useState(project.bundle.name);

  // Undo/redo and other edits replace the draft shown.
  useEffect(() => {
    setDraft(project.bundle.personality);
    setName(project.bundle.name);
  }, [project.bundle]);

  useEffect(() => {
    const same = JSON.stringify(draft) === JSON.stringify(project.bundle.personality) && name === project.bundle.name;
    if (same) return;
    const timer = setTimeout(() => {
      void run(() => studio.updateBundle(project.id, { ...project.bundle, name, personality: draft })).then(onChange);
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [draft, name, project, run, onChange]);

  const set = <K extends keyof BotPersonality>(key: K, value: BotPersonality[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <form className="personality" onSubmit={(e) => e.preventDefault()}>
      <label>Bot name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} /></label>
      <label>Greeting <input value={draft.greeting} onChange={(e) => set('greeting', e.target.value)} maxLength={500} /></label>
      <label>
        Tone
        <select value={draft.tone} onChange={(e) => set('tone', e.target.value as BotPersonality['tone'])}>
          {BOT_TONES.map((tone) => <option key={tone}>{tone}</option>)}
        </select>
      </label>
      <label>Language <input value={draft.language} onChange={(e) => set('language', e.target.value)} maxLength={20} /></label>
      <label>
        When it does not know
        <input value={draft.unknownAnswer ?? ''} placeholder="(the tone's default)" onChange={(e) => set('unknownAnswer', e.target.value || null)} maxLength={500} />
      </label>
      <label>
        Offer a human
        <select value={draft.offerHuman} onChange={(e) => set('offerHuman', e.target.value as BotPersonality['offerHuman'])}>
          {OFFER_HUMAN_MODES.map((mode) => <option key={mode}>{mode}</option>)}
        </select>
      </label>
      <label className="wide">
        Instructions for AI providers
        <textarea rows={6} value={draft.systemPrompt} onChange={(e) => set('systemPrompt', e.target.value)} maxLength={8000} />
      </label>
      <ErrorNote error={error} />
    </form>
  );
}
