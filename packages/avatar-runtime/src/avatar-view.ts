// The avatar on a canvas: a WebGL renderer, camera framed from the model's bounds, three lights
// and the rig. Rendering runs only while the view is visible (`pause`/`resume`); with reduced
// motion there is no render loop at all, only a slow timer that renders when the face changes.
import {
  type Box3,
  Color,
  PerspectiveCamera,
  Scene,
  WebGLRenderer,
  type Material,
  type Mesh,
  type WebGLRendererParameters,
} from 'three';
import { createAvatarLights } from './avatar-lights.ts';
import { AvatarRig } from './avatar-rig.ts';
import { UPPER_FRAMING_BELOW_PX, frameBounds, modelBounds, type FramingFocus } from './camera-framing.ts';
import { loadAvatarModel, type AvatarModel } from './load-avatar.ts';
import type { AnimationMapInput } from './slot-clips.ts';

/** The camera's vertical field of view; hosts that bring their own camera (Studio) use it too. */
export const FIELD_OF_VIEW_DEG = 30;
/** Longest step the animation takes at once: after a stall the avatar continues instead of jumping. */
const MAX_STEP_MS = 100;
/** With reduced motion, how often the (still) face is checked for a new expression. */
const STILL_CHECK_MS = 250;

/**
 * The canvas the view draws on: an HTMLCanvasElement in browsers. Described structurally so this
 * package also typechecks in the Node-only project (no DOM lib), where its pure parts are tested.
 */
export interface AvatarCanvas {
  readonly width: number;
  readonly height: number;
  readonly clientWidth: number;
  readonly clientHeight: number;
  addEventListener(type: 'webglcontextlost', listener: (event: Event) => void): void;
  removeEventListener(type: 'webglcontextlost', listener: (event: Event) => void): void;
}

export interface AvatarViewOptions {
  readonly canvas: AvatarCanvas;
  readonly animationMap: AnimationMapInput;
  readonly reducedMotion?: boolean;
  /** Off on weak devices: multisampling costs fill rate they do not have. */
  readonly antialias?: boolean;
  /** What the camera shows; by default the upper body on small stages, the whole figure otherwise. */
  readonly framing?: FramingFocus;
  /** Capped device pixel ratio; defaults to min(devicePixelRatio, 2). */
  readonly pixelRatio?: number;
  /** After every rendered frame, with how many have been rendered so far. */
  readonly onFrame?: (frames: number) => void;
  /** The GPU took the context away (driver reset, too many contexts): the view is dead. */
  readonly onContextLost?: () => void;
}

export class AvatarView {
  readonly rig: AvatarRig;
  readonly renderer: WebGLRenderer;
  readonly #scene = new Scene();
  readonly #camera = new PerspectiveCamera(FIELD_OF_VIEW_DEG, 1, 0.01, 100);
  readonly #options: AvatarViewOptions;
  readonly #canvas: AvatarCanvas;
  /** Rest-pose bounds, measured once: resizes must not frame whatever pose the model is in. */
  readonly #bounds: Box3;
  #frames = 0;
  #paused = true;
  #disposed = false;
  #lastTickMs: number | null = null;
  #stillTimer: ReturnType<typeof setInterval> | null = null;
  readonly #onContextLost = (event: Event) => {
    event.preventDefault();
    this.pause();
    this.#options.onContextLost?.();
  };

  /** Throws when WebGL is unavailable (the renderer cannot get a context). */
  constructor(model: AvatarModel, options: AvatarViewOptions) {
    this.#options = options;
    this.#canvas = options.canvas;
    this.renderer = new WebGLRenderer({
      canvas: options.canvas as WebGLRendererParameters['canvas'],
      alpha: true,
      antialias: options.antialias ?? true,
      powerPreference: 'low-power',
    });
    this.renderer.setClearColor(new Color(0x000000), 0);
    const screenRatio = (globalThis as { devicePixelRatio?: number }).devicePixelRatio ?? 1;
    this.renderer.setPixelRatio(options.pixelRatio ?? Math.min(screenRatio, 2));
    options.canvas.addEventListener('webglcontextlost', this.#onContextLost);

    this.#bounds = modelBounds(model.scene);
    this.rig = new AvatarRig(model, { animationMap: options.animationMap, reducedMotion: options.reducedMotion ?? false });
    this.#scene.add(model.scene);
    this.#scene.add(...createAvatarLights());
    this.resize(options.canvas.clientWidth || options.canvas.width, options.canvas.clientHeight || options.canvas.height);
  }

  /** Frames rendered so far. */
  get frames(): number {
    return this.#frames;
  }

  /** Matches the drawing buffer and camera to the canvas' CSS size; redraws at once unless paused (`resume` draws). */
  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    this.renderer.setSize(width, height, false);
    this.#camera.aspect = width / height;
    const focus = this.#options.framing ?? (height < UPPER_FRAMING_BELOW_PX ? 'upper' : 'full');
    const framing = frameBounds(this.#bounds, this.#camera.aspect, FIELD_OF_VIEW_DEG, focus);
    this.#camera.position.copy(framing.position);
    this.#camera.near = framing.near;
    this.#camera.far = framing.far;
    this.#camera.lookAt(framing.target);
    this.#camera.updateProjectionMatrix();
    if (!this.#paused) this.#render();
  }

  /** Starts (or restarts) drawing: an animation loop, or with reduced motion one frame and a slow timer. */
  resume(): void {
    if (this.#disposed || !this.#paused) return;
    this.#paused = false;
    this.#lastTickMs = null;
    this.#startDriving();
  }

  /** Stops all drawing and timers until `resume`; nothing runs while the avatar is hidden. */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#stopDriving();
  }

  setReducedMotion(reduced: boolean): void {
    if (reduced === this.rig.reducedMotion) return;
    this.rig.setReducedMotion(reduced);
    if (this.#paused) return;
    this.#stopDriving();
    this.#lastTickMs = null;
    this.#startDriving();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.pause();
    this.#disposed = true;
    this.#canvas.removeEventListener('webglcontextlost', this.#onContextLost);
    this.rig.dispose();
    disposeAvatarModel(this.rig.model);
    this.renderer.dispose();
    // Browsers cap live WebGL contexts per page; give ours back at once instead of at GC.
    this.renderer.forceContextLoss();
  }

  #startDriving(): void {
    if (this.rig.reducedMotion) {
      this.#tick(performance.now());
      this.#render();
      this.#stillTimer = setInterval(() => {
        if (this.#tick(performance.now())) this.#render();
      }, STILL_CHECK_MS);
    } else {
      this.renderer.setAnimationLoop((time) => {
        this.#tick(time);
        this.#render();
      });
    }
  }

  #stopDriving(): void {
    this.renderer.setAnimationLoop(null);
    if (this.#stillTimer !== null) clearInterval(this.#stillTimer);
    this.#stillTimer = null;
  }

  #tick(nowMs: number): boolean {
    const delta = this.#lastTickMs === null ? 0 : Math.min(nowMs - this.#lastTickMs, MAX_STEP_MS);
    this.#lastTickMs = nowMs;
    return this.rig.update(delta);
  }

  #render(): void {
    this.renderer.render(this.#scene, this.#camera);
    this.#frames += 1;
    this.#options.onFrame?.(this.#frames);
  }
}

/** Loads the model from `modelUrl` and creates the view; throws when WebGL or the model fails. */
export async function createAvatarView(modelUrl: string, options: AvatarViewOptions): Promise<AvatarView> {
  const model = await loadAvatarModel(modelUrl);
  return new AvatarView(model, options);
}

/** Frees the model's geometries and materials (a scene graph holds GPU memory until disposed). */
export function disposeAvatarModel(model: AvatarModel): void {
  model.scene.traverse((object) => {
    const mesh = object as Mesh;
    mesh.geometry?.dispose();
    const materials: Material[] = Array.isArray(mesh.material) ? mesh.material : mesh.material ? [mesh.material] : [];
    for (const material of materials) material.dispose();
  });
}
