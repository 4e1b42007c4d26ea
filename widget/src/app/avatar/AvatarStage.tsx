// The avatar above the chat (default export for React.lazy). It decides between the 3D avatar and
// the 2D portrait, feeds both from the chat's AvatarSignals, lets the visitor drag it (or move it
// with the arrow keys) and tap it, and stops all drawing while it cannot be seen.
//
// This chunk holds no three.js: the 3D runtime is a second, dynamically imported chunk, fetched
// only on devices that pass the capability check, so the portrait never pays for it.
// Test hooks on the stage element: data-avatar-state (loading | webgl | portrait), data-avatar-frame
// (frames rendered), data-avatar-running (3D drawing on or paused), data-avatar-slot,
// data-avatar-expression and data-avatar-talking.
import type { AvatarView } from '@mascot/avatar-runtime';
import { AvatarDirector, expressionForSlot, type FaceExpression } from '@mascot/avatar-runtime/logic';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import type { PublicAvatar } from '../api-types.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import type { AvatarSignal, AvatarSignals } from './avatar-signals.ts';
import { AvatarPortrait } from './AvatarPortrait.tsx';
import {
  FRAMES_SAMPLED,
  canCreateWebGL2,
  currentDeviceHints,
  isTooSlow,
  isWeakDevice,
  wantsAntialias,
} from './device-capabilities.ts';
import {
  loadPosition,
  offsetFor,
  positionAfterDrag,
  positionAfterKey,
  positionForOffset,
  safeLocalStorage,
  savePosition,
  travelRange,
  type Offset,
  type StagePosition,
  type TravelRange,
} from './stage-position.ts';
import { useReducedMotion } from './use-reduced-motion.ts';
import { useStageVisible } from './use-stage-visible.ts';
import './avatar-stage.css';

export interface AvatarStageProps {
  avatar: PublicAvatar;
  botName: string;
  signals: AvatarSignals;
  primaryColor: string;
}

type StageState = 'loading' | 'webgl' | 'portrait';

/** How long the portrait shows a gesture's expression (it has no clips to time it by). */
const PORTRAIT_GESTURE_MS = 2_400;
/** The portrait's clock: expressions change at most this often, and only while visible. */
const PORTRAIT_TICK_MS = 200;
/** Pointer travel (CSS px) that turns a press into a drag instead of a tap. */
const DRAG_THRESHOLD_PX = 4;

function initialState(): StageState {
  return isWeakDevice(currentDeviceHints()) || !canCreateWebGL2() ? 'portrait' : 'loading';
}

interface DragGesture {
  pointerId: number;
  startX: number;
  startY: number;
  start: Offset;
  moved: boolean;
}

/** The area the avatar may be dragged in: the chat header around the stage, else the stage's parent. */
const dragArea = (stage: HTMLElement): HTMLElement => stage.closest<HTMLElement>('header') ?? stage.parentElement ?? stage;

/** A new model (or map) is a new stage: the 3D view is built once per avatar. */
export default function AvatarStage(props: AvatarStageProps) {
  const key = `${props.avatar.modelUrl} ${JSON.stringify(props.avatar.animationMap)}`;
  return <AvatarStageFor key={key} {...props} />;
}

function AvatarStageFor({ avatar, botName, signals, primaryColor }: AvatarStageProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasHostRef = useRef<HTMLDivElement>(null);
  // Each 3D attempt draws on a canvas of its own (made outside React): a context given back on
  // dispose can then never be one a later view is using.
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const viewRef = useRef<AvatarView | null>(null);
  const dragRef = useRef<DragGesture | null>(null);
  const [state, setState] = useState<StageState>(initialState);
  const [position, setPosition] = useState<StagePosition | null>(() => loadPosition(safeLocalStorage()));
  const [range, setRange] = useState<TravelRange | null>(null);
  const [face, setFace] = useState<{ expression: FaceExpression; talking: boolean }>({ expression: 'neutral', talking: false });
  const visible = useStageVisible(stageRef);
  const reducedMotion = useReducedMotion();
  const reducedMotionRef = useRef(reducedMotion);
  reducedMotionRef.current = reducedMotion;
  const { t } = useI18n();
  const hintId = useId();

  // The portrait's director runs in every mode, so a 3D avatar that fails mid-conversation hands
  // over to a portrait already in the right mood.
  const director = useMemo(() => new AvatarDirector({ oneShotDurationMs: () => PORTRAIT_GESTURE_MS, crossfadeMs: 0 }), []);

  /** Mirrors what the avatar does onto the stage's data attributes (tests, diagnostics). */
  const publish = useCallback((slot: string, expression: FaceExpression, talking: boolean) => {
    const stage = stageRef.current;
    if (!stage) return;
    if (stage.dataset['avatarSlot'] !== slot) stage.dataset['avatarSlot'] = slot;
    if (stage.dataset['avatarExpression'] !== expression) stage.dataset['avatarExpression'] = expression;
    const talkingText = talking ? 'true' : 'false';
    if (stage.dataset['avatarTalking'] !== talkingText) stage.dataset['avatarTalking'] = talkingText;
  }, []);

  const showPortraitFace = useCallback(() => {
    const expression = expressionForSlot(director.current.slot);
    const talking = director.speaking;
    setFace((previous) => (previous.expression === expression && previous.talking === talking ? previous : { expression, talking }));
    // With the 3D avatar, publish what the rig does: at once here (a state may last less than a
    // frame), and every frame in onFrame.
    const rig = viewRef.current?.rig;
    if (rig) publish(rig.slot, rig.expression, rig.talking);
    else publish(director.current.slot, expression, talking);
  }, [director, publish]);

  // Signals from the chat go to both the portrait's director and the 3D rig.
  useEffect(
    () =>
      signals.subscribe((signal: AvatarSignal) => {
        const rig = viewRef.current?.rig;
        switch (signal.type) {
          case 'cue':
            director.cue(signal.slot);
            rig?.cue(signal.slot);
            break;
          case 'speech':
            director.setSpeaking(true);
            rig?.speak(signal.messageId, signal.delta);
            break;
          case 'speech-end':
            director.setSpeaking(false);
            rig?.endSpeech(signal.messageId);
            break;
          case 'visitor-typing':
            director.setVisitorTyping(signal.active);
            rig?.setVisitorTyping(signal.active);
            break;
        }
        showPortraitFace();
      }),
    [signals, director, showPortraitFace],
  );

  // The portrait's clock, only while the portrait shows and can be seen.
  useEffect(() => {
    if (state === 'webgl' || !visible) return;
    showPortraitFace();
    const timer = setInterval(() => {
      director.advance(PORTRAIT_TICK_MS);
      showPortraitFace();
    }, PORTRAIT_TICK_MS);
    return () => clearInterval(timer);
  }, [state, visible, director, showPortraitFace]);

  // Loading the 3D, once per avatar: the runtime chunk, the model, a renderer. Any failure, and
  // frames too slow to animate smoothly, mean the portrait.
  const frameTimesRef = useRef<number[]>([]);
  const lastFrameAtRef = useRef<number | null>(null);
  useEffect(() => {
    const host = canvasHostRef.current;
    if (!host) return; // the capability check chose the portrait
    const canvas = document.createElement('canvas');
    canvas.className = 'avatar-stage__canvas';
    host.append(canvas);
    canvasRef.current = canvas;
    let unmounted = false;
    const release = () => {
      viewRef.current?.dispose();
      viewRef.current = null;
      canvas.remove();
      if (canvasRef.current === canvas) canvasRef.current = null;
    };
    const fallBack = (reason: unknown) => {
      console.warn('[mascot] showing the 2D avatar:', reason);
      release();
      if (!unmounted) setState('portrait');
    };
    (async () => {
      const { createAvatarView } = await import('./three-avatar.ts');
      if (unmounted) return;
      const view = await createAvatarView(avatar.modelUrl, {
        canvas,
        animationMap: avatar.animationMap,
        reducedMotion: reducedMotionRef.current,
        antialias: wantsAntialias(currentDeviceHints()),
        onFrame: (frames) => {
          const stage = stageRef.current;
          if (stage) stage.dataset['avatarFrame'] = String(frames);
          // Judge speed by the time between frames (GPU work included), from the first frame on;
          // only while the animation loop runs (reduced motion renders only when the face changes).
          const now = performance.now();
          const samples = frameTimesRef.current;
          const lastFrameAt = lastFrameAtRef.current;
          if (lastFrameAt !== null && !reducedMotionRef.current && samples.length <= FRAMES_SAMPLED) {
            samples.push(now - lastFrameAt);
            if (isTooSlow(samples)) fallBack(`frames take too long (${samples.map(Math.round).join(', ')} ms)`);
          }
          lastFrameAtRef.current = now;
          const rig = viewRef.current?.rig;
          if (rig) publish(rig.slot, rig.expression, rig.talking);
        },
        onContextLost: () => fallBack('the WebGL context was lost'),
      });
      if (unmounted) {
        view.dispose();
        return;
      }
      viewRef.current = view;
      canvas.dataset['ready'] = 'true';
      setState('webgl');
    })().catch(fallBack);
    return () => {
      unmounted = true;
      release();
    };
    // Once per mounted avatar (the wrapper remounts for a new one); the props are fixed for its lifetime.
  }, []);

  // Draw only while visible: no animation loop and no timers while hidden.
  useEffect(() => {
    const view = viewRef.current;
    if (state !== 'webgl' || !view) return;
    if (stageRef.current) stageRef.current.dataset['avatarRunning'] = String(visible);
    if (visible) {
      // The first sample is the first frame after (re)starting: shader compilation and all.
      lastFrameAtRef.current = performance.now();
      view.resume();
    } else {
      view.pause();
      frameTimesRef.current = []; // a hidden stretch says nothing about speed
      lastFrameAtRef.current = null;
    }
  }, [state, visible]);

  useEffect(() => {
    viewRef.current?.setReducedMotion(reducedMotion);
    frameTimesRef.current = [];
    lastFrameAtRef.current = null;
  }, [reducedMotion, state]);

  // Keep the drawing buffer matched to the canvas' CSS size.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (state !== 'webgl' || !canvas || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => viewRef.current?.resize(canvas.clientWidth, canvas.clientHeight));
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [state]);

  const react = useCallback(() => {
    director.react();
    viewRef.current?.rig.react();
    showPortraitFace();
  }, [director, showPortraitFace]);

  // The travel range follows the layout: re-measured whenever the stage or the header resizes.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const area = dragArea(stage);
    const measure = () => setRange(travelRange(area.getBoundingClientRect(), stage.getBoundingClientRect()));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(area);
    observer.observe(stage);
    return () => observer.disconnect();
  }, []);
  const offset: Offset = range ? offsetFor(position, range) : { x: 0, y: 0 };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    dragRef.current = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, start: offset, moved: false };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const dragTo = (drag: DragGesture, event: PointerEvent<HTMLDivElement>): StagePosition | null =>
    range ? positionAfterDrag(drag.start, { x: event.clientX - drag.startX, y: event.clientY - drag.startY }, range) : null;
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    if (!drag || drag.pointerId !== event.pointerId) return;
    if (!drag.moved && Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) < DRAG_THRESHOLD_PX) return;
    drag.moved = true;
    const next = dragTo(drag, event);
    if (next) setPosition(next);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    if (!drag || drag.pointerId !== event.pointerId) return;
    dragRef.current = null;
    if (!drag.moved) {
      react();
      return;
    }
    const end = dragTo(drag, event);
    if (end) {
      setPosition(end);
      savePosition(safeLocalStorage(), end);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = position ?? (range ? positionForOffset(offset, range) : null);
    const moved = current ? positionAfterKey(current, event.key, event.shiftKey) : null;
    if (moved) {
      event.preventDefault();
      setPosition(moved);
      savePosition(safeLocalStorage(), moved);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      react();
    }
  };

  const figureStyle: CSSProperties = { transform: `translate(${offset.x}px, ${offset.y}px)` };
  return (
    <div
      className="avatar-stage"
      ref={stageRef}
      data-avatar-state={state}
    >
      <div
        className="avatar-stage__figure"
        style={figureStyle}
        role="button"
        tabIndex={0}
        aria-label={botName}
        // The name stays the bot's; how to operate it is the description, read after it.
        aria-describedby={hintId}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (dragRef.current = null)}
        onKeyDown={onKeyDown}
      >
        {state !== 'portrait' && <div className="avatar-stage__canvas-host" ref={canvasHostRef} />}
        {state !== 'webgl' && <AvatarPortrait expression={face.expression} talking={face.talking} color={primaryColor} />}
      </div>
      <span id={hintId} className="sr-only">
        {t('avatarHint')}
      </span>
    </div>
  );
}
