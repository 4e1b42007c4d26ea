import { ANIMATION_CATALOGUE, ANIMATION_SLOTS, type AnimationSlot } from '@mascot/avatar-core';
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type AvatarReaction, type ProjectState } from '../../studio.ts';
import { DropZone } from '../../ui/DropZone.tsx';
import { useAction } from '../../use-action.ts';
import { AvatarPreview, type AvatarCommand } from './AvatarPreview.tsx';

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

export function AvatarPanel({ project, onChange }: { project: ProjectState; onChange: (p: ProjectState | undefined) => void }) {
  const { busy, error, run } = useAction();
  const [builtins, setBuiltins] = useState<{ id: string; name: string; description: string }[]>([]);
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [command, setCommand] = useState<AvatarCommand | null>(null);
  const [sentence, setSentence] = useState('');
  const [reaction, setReaction] = useState<AvatarReaction | null>(null);
  const avatarRef = project.avatar ? `${project.avatar.kind}:${project.avatar.ref}` : 'none';
  const map = project.bundle.avatar.animationMap;

  useEffect(() => void run(() => studio.listBuiltinAvatars()).then((list) => list && setBuiltins(list)), [run]);
  useEffect(() => {
    void run(() => studio.avatarBytes(project.id)).then((file) => setBytes(file ?? null));
    // Reload only when the model changes, not on every slot edit.
  }, [avatarRef, project.id, run]);
  useEffect(() => setCommand(null), [avatarRef]);
  // The gallery shows the avatar as it stands here; a failed save only leaves the old picture.
  const saveThumbnail = (png: Uint8Array) =>
    void studio.saveProjectThumbnail(project.id, png).catch((failure: unknown) => console.warn('[studio] thumbnail not saved', failure));
  const send = (kind: AvatarCommand['kind'], slot: AnimationSlot) => setCommand((last) => ({ kind, slot, serial: (last?.serial ?? 0) + 1 }));

  const setSlot = (slot: AnimationSlot, clip: string | null) =>
    run(() => studio.updateBundle(project.id, { ...project.bundle, avatar: { ...project.bundle.avatar, animationMap: { ...map, [slot]: clip } } })).then(onChange);

  const info = project.avatar;
  return (
    <div className="avatar-panel">
      <section className="avatar-stage">
        <AvatarPreview bytes={bytes} animationMap={map} command={command} onSnapshot={saveThumbnail} />
        {info && (
          <dl className="budgets" aria-label="Budgets">
            <dt>Size</dt>
            <dd data-over={info.byteSize > info.budgets.maxBytes}>{kb(info.byteSize)} of {kb(info.budgets.maxBytes)}</dd>
            <dt>Triangles</dt>
            <dd data-over={info.triangleCount > info.budgets.maxTriangles}>{info.triangleCount.toLocaleString('en')} of {info.budgets.maxTriangles.toLocaleString('en')}</dd>
            <dt>Clips</dt>
            <dd>{info.clipNames.length}</dd>
          </dl>
        )}
        <form
          className="react-test"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => studio.reactTo(project.id, sentence)).then((r) => {
              if (!r) return;
              setReaction(r);
              // The cue goes to the runtime's director, as the server's cue does in the widget.
              send('cue', r.slot);
            });
          }}
        >
          <label>
            Try a visitor sentence <input value={sentence} onChange={(e) => setSentence(e.target.value)} placeholder="This is awful, I want a refund!" />
          </label>
          <button type="submit" disabled={busy || !sentence.trim()}>React</button>
          {reaction && (
            <p data-testid="reaction">
              {reaction.slot} ({reaction.clip ?? 'no clip'}) · sentiment {reaction.sentiment} · intent {reaction.intent} — {reaction.reason}
            </p>
          )}
        </form>
      </section>
      <section className="avatar-setup">
        <h2>Model</h2>
        <div className="row">
          {builtins.map((b) => (
            <button key={b.id} type="button" title={b.description} disabled={busy} onClick={() => void run(() => studio.useBuiltinAvatar(project.id, b.id)).then(onChange)}>
              Use {b.name}
            </button>
          ))}
        </div>
        <DropZone label="Import a GLB avatar" accept=".glb,model/gltf-binary" testId="avatar-drop"
          onFiles={([file]) => file && void run(() => studio.importAvatar(project.id, file)).then(onChange)}>
          Drop a GLB model here, or
        </DropZone>
        <ErrorNote error={error} />
        {info && (
          <>
            <h2>Animation slots</h2>
            <button type="button" className="button" disabled={busy} onClick={() => void run(() => studio.suggestSlots(project.id)).then(onChange)}>Auto-suggest from clip names</button>
            <table className="slots table" aria-label="Animation slots">
              <tbody>
                {ANIMATION_SLOTS.map((slot) => (
                  <tr key={slot}>
                    <th scope="row" title={ANIMATION_CATALOGUE[slot].description}>{slot}</th>
                    <td>
                      <select aria-label={`Clip for ${slot}`} value={map[slot] ?? ''} onChange={(e) => void setSlot(slot, e.target.value || null)}>
                        <option value="">(none: falls back)</option>
                        {info.clipNames.map((clip) => <option key={clip} value={clip}>{clip}</option>)}
                      </select>
                    </td>
                    <td>
                      <button type="button" aria-label={`Preview ${slot}`} onClick={() => send('preview', slot)}>Preview</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
