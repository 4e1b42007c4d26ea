import type { BotBundle } from '@mascot/bot-bundle';
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../ErrorNote.tsx';
import { studio, type ProjectState } from '../../studio.ts';
import { Field } from '../../ui/Field.tsx';
import { useAction } from '../../use-action.ts';

/** The two sizes a designer checks: a laptop and a phone (the widget goes full-screen at ≤ 480 px). */
const DEVICES = [
  { id: 'desktop', label: 'Desktop', width: 1280, height: 800, scale: 0.5 },
  { id: 'phone', label: 'Phone', width: 390, height: 780, scale: 0.55 },
] as const;

const BOT_ITSELF = '';

function DeviceFrame({ device, url }: { device: (typeof DEVICES)[number]; url: string }) {
  const { width, height, scale } = device;
  return (
    <figure className="device">
      <div className="device-frame" style={{ width: width * scale, height: height * scale }}>
        <iframe
          // A new URL mounts a new frame: the page loads afresh with the saved draft.
          key={url}
          title={`${device.label} preview`}
          data-testid={`preview-${device.id}`}
          src={url}
          width={width}
          height={height}
          style={{ transform: `scale(${scale})` }}
          // Another origin (the loopback preview server): scripts, its own storage and the chat's forms; it cannot
          // navigate Studio or open windows.
          sandbox="allow-scripts allow-same-origin allow-forms"
        />
      </div>
      <figcaption>{device.label} · {width}×{height}</figcaption>
    </figure>
  );
}

/**
 * The live preview: the real widget build on a mock host page, against the saved draft, at desktop and
 * phone sizes. Each autosave reloads it, so theme, placement and variant edits show as visitors get them.
 */
export function PreviewPanel({ project, bundle }: { project: ProjectState; bundle: BotBundle }) {
  const { error, run } = useAction();
  // The page and variant tried last are kept for the session, so a trip to another editor comes back to them.
  const remembered = `studio:preview:${project.id}`;
  const initial = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(remembered) ?? 'null') as { variant: string; pagePath: string } | null;
    } catch {
      return null;
    }
  })();
  const [variant, setVariant] = useState<string>(initial?.variant ?? bundle.variants[0]?.id ?? BOT_ITSELF);
  const [pagePath, setPagePath] = useState(initial?.pagePath ?? '/');
  useEffect(() => sessionStorage.setItem(remembered, JSON.stringify({ variant, pagePath })), [remembered, variant, pagePath]);
  const [url, setUrl] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const variantId = bundle.variants.some((v) => v.id === variant) ? variant : null;
  const request = { variantId, pagePath: pagePath.startsWith('/') ? pagePath : `/${pagePath}` };
  const revision = JSON.stringify(bundle);

  useEffect(() => {
    void run(() => studio.previewPage(project.id, request)).then((page) => page && setUrl(`${page.url}&revision=${hash(revision)}`));
    // The page is asked for again whenever the saved bundle, the variant or the page changes.
  }, [project.id, variantId, request.pagePath, revision, run]);

  return (
    <div className="editor preview-panel" aria-label="Preview">
      <section className="card">
        <div className="row preview-controls">
          {bundle.variants.length > 0 && (
            <Field label="Variant">
              {(props) => (
                <select {...props} value={variantId ?? BOT_ITSELF} onChange={(e) => setVariant(e.target.value)}>
                  <option value={BOT_ITSELF}>As a new visitor gets it (random)</option>
                  {bundle.variants.map((v) => <option key={v.id} value={v.id}>{v.id}</option>)}
                </select>
              )}
            </Field>
          )}
          <Field label="Page on your site">
            {(props) => <input {...props} value={pagePath} onChange={(e) => setPagePath(e.target.value)} placeholder="/help/returns" />}
          </Field>
          <button type="button" className="button" onClick={() => void run(() => studio.openTestPage(project.id, request)).then((page) => page && setOpened(page.url))}>
            Open a test page
          </button>
        </div>
        {opened && <p className="hint" data-testid="test-page">Opened in your browser: <code>{opened}</code></p>}
        <p className="hint">The same widget build visitors get, answering from this project’s knowledge with the offline answerer. The launcher appears after the placement delay; pages the placement excludes show none.</p>
        <ErrorNote error={error} />
      </section>
      {url && (
        <div className="preview-stage">
          {DEVICES.map((device) => <DeviceFrame key={device.id} device={device} url={url} />)}
        </div>
      )}
    </div>
  );
}

/** A short stable fingerprint of the bundle: a new one reloads the frames. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
