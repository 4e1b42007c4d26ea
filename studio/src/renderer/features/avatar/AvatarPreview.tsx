// The avatar in 3D, played by the widget's own runtime (@mascot/avatar-runtime's AvatarRig: clip
// resolution and fallbacks, the director's cue rules, crossfades, face and blinks), hosted in a
// @react-three/fiber scene with the runtime's lights and camera framing, plus orbit controls for the
// designer. No avatar logic lives here: what plays is what a visitor's widget plays for the same cue.
// Test hooks on the figure: data-loaded, data-playing (the clip after fallbacks), data-slot (the slot
// the director chose) and data-frames (frames drawn, so a test sees the scene is running).
import type { AnimationSlot } from '@mascot/avatar-core';
import {
  AvatarRig,
  FIELD_OF_VIEW_DEG,
  createAvatarLights,
  disposeAvatarModel,
  frameBounds,
  modelBounds,
  parseAvatarModel,
  type AnimationMapInput,
  type AvatarModel,
} from '@mascot/avatar-runtime';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

/** What the designer asked the avatar to do: `cue` as a conversation would, `preview` one slot itself. */
export interface AvatarCommand {
  readonly kind: 'cue' | 'preview';
  readonly slot: AnimationSlot;
  /** Changes on every request, so asking for the same slot twice plays it again. */
  readonly serial: number;
}

interface PlayState {
  rig: AvatarRig;
  slot: string;
  clip: string | null;
  frames: number;
}

/** How often (in frames) the frame count reaches React: the hook is for tests, not every frame. */
const REPORT_EVERY_FRAMES = 15;
/** The gallery's picture is taken once the pose has settled into the idle loop. */
const SNAPSHOT_AT_FRAME = 20;
const SNAPSHOT_SIZE = { width: 240, height: 180 };

/** A small PNG of what the canvas shows (drawn with preserveDrawingBuffer, so it can be read back). */
async function snapshot(canvas: HTMLCanvasElement): Promise<Uint8Array | null> {
  const small = document.createElement('canvas');
  Object.assign(small, SNAPSHOT_SIZE);
  const context = small.getContext('2d');
  if (!context) return null;
  // Cover: crop the wide stage to the thumbnail's proportions around its centre.
  const scale = Math.max(small.width / canvas.width, small.height / canvas.height);
  const [w, h] = [small.width / scale, small.height / scale];
  context.drawImage(canvas, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h, 0, 0, small.width, small.height);
  const blob = await new Promise<Blob | null>((resolve) => small.toBlob(resolve, 'image/png'));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}

function Stage({ rig, onPlay, onSnapshot }: { rig: AvatarRig; onPlay: (state: PlayState) => void; onSnapshot?: ((png: Uint8Array) => void) | undefined }) {
  const { camera, gl, size } = useThree();
  const lights = useMemo(() => createAvatarLights(), []);
  const bounds = useMemo(() => modelBounds(rig.model.scene), [rig]);
  const frames = useRef(0);
  const reported = useRef<PlayState | null>(null);

  useEffect(() => {
    const framing = frameBounds(bounds, size.width / Math.max(size.height, 1), FIELD_OF_VIEW_DEG);
    camera.position.copy(framing.position);
    camera.near = framing.near;
    camera.far = framing.far;
    camera.updateProjectionMatrix();
    const controls = new OrbitControls(camera, gl.domElement);
    controls.target.copy(framing.target);
    controls.enableDamping = true;
    controls.update();
    return () => controls.dispose();
  }, [bounds, camera, gl, size.width, size.height]);

  useFrame((_, deltaS) => {
    rig.update(deltaS * 1000);
    frames.current += 1;
    if (frames.current === SNAPSHOT_AT_FRAME && onSnapshot) void snapshot(gl.domElement).then((png) => png && onSnapshot(png));
    const last = reported.current;
    if (!last || last.slot !== rig.slot || last.clip !== rig.clip || frames.current - last.frames >= REPORT_EVERY_FRAMES) {
      reported.current = { rig, slot: rig.slot, clip: rig.clip, frames: frames.current };
      onPlay(reported.current);
    }
  });

  return (
    <>
      {lights.map((light) => <primitive key={light.uuid} object={light} />)}
      <primitive object={rig.model.scene} />
    </>
  );
}

export function AvatarPreview({ bytes, animationMap, command, onSnapshot }: {
  bytes: Uint8Array | null;
  animationMap: AnimationMapInput;
  command: AvatarCommand | null;
  /** A small PNG of the avatar, once per model or map: the project gallery's thumbnail. */
  onSnapshot?: (png: Uint8Array) => void;
}) {
  const [model, setModel] = useState<AvatarModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [play, setPlay] = useState<PlayState | null>(null);

  useEffect(() => {
    setModel(null);
    setError(null);
    if (!bytes) return;
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    let cancelled = false;
    let loaded: AvatarModel | null = null;
    parseAvatarModel(buffer).then(
      (parsed) => {
        if (cancelled) return disposeAvatarModel(parsed);
        loaded = parsed;
        setModel(parsed);
      },
      (failure: unknown) => !cancelled && setError(String(failure)),
    );
    return () => {
      cancelled = true;
      if (loaded) disposeAvatarModel(loaded);
    };
  }, [bytes]);

  // A remapped slot is a new rig over the same model, exactly as the widget builds one per map.
  const mapKey = JSON.stringify(animationMap);
  const [rig, setRig] = useState<AvatarRig | null>(null);
  useEffect(() => {
    if (!model) return setRig(null);
    const created = new AvatarRig(model, { animationMap });
    setRig(created);
    return () => created.dispose();
    // The map is compared by content (mapKey): a new object with the same slots keeps the rig.
  }, [model, mapKey]);

  useEffect(() => {
    if (!rig || !command) return;
    if (command.kind === 'cue') rig.cue(command.slot);
    else rig.preview(command.slot);
    // A command applies once, to the rig present when it was given.
  }, [command]);

  // Loaded once the current rig has drawn a frame; a state reported by an earlier rig is stale.
  const shown = rig && play?.rig === rig ? play : null;
  return (
    <figure className="preview" data-testid="avatar-preview" data-loaded={shown ? 'true' : 'false'}
      data-playing={shown?.clip ?? ''} data-slot={shown?.slot ?? ''} data-frames={shown?.frames ?? 0}>
      {!bytes && <p className="muted">No avatar yet: pick a built-in one or import a GLB.</p>}
      {error && <p role="alert" className="error">The model could not be shown: {error}</p>}
      {rig && (
        <Canvas camera={{ fov: FIELD_OF_VIEW_DEG }} gl={{ preserveDrawingBuffer: true }}>
          <color attach="background" args={['#eef0f7']} />
          <Stage rig={rig} onPlay={setPlay} onSnapshot={onSnapshot} />
        </Canvas>
      )}
      <figcaption aria-live="polite">{rig ? `Playing: ${shown?.slot ?? 'idle'} (${shown?.clip ?? 'no clip'})` : bytes ? 'Loading the model…' : ''}</figcaption>
    </figure>
  );
}
