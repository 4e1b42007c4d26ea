// Whether this device should get the 3D avatar, decided before any three.js is downloaded: a
// device without WebGL 2 (three.js needs it) or a weak one gets the 2D portrait instead.

export interface DeviceHints {
  /** navigator.hardwareConcurrency (logical cores); undefined where the browser hides it. */
  readonly cores?: number | undefined;
  /** navigator.deviceMemory in GiB (Chromium only, bucketed); undefined elsewhere. */
  readonly memoryGiB?: number | undefined;
  readonly devicePixelRatio?: number | undefined;
}

/** Two cores or fewer together with under 2 GiB: the 3D would make the chat itself sluggish. */
export function isWeakDevice(hints: DeviceHints): boolean {
  return hints.cores !== undefined && hints.cores <= 2 && hints.memoryGiB !== undefined && hints.memoryGiB < 2;
}

/**
 * Multisampling costs fill rate: only for devices with cores and memory to spare, and not on
 * high-density screens, whose small pixels hide jagged edges anyway.
 */
export function wantsAntialias(hints: DeviceHints): boolean {
  return (hints.cores ?? 4) >= 4 && (hints.memoryGiB ?? 4) >= 4 && (hints.devicePixelRatio ?? 1) < 2;
}

export function currentDeviceHints(): DeviceHints {
  const nav = navigator as Navigator & { deviceMemory?: number };
  return { cores: nav.hardwareConcurrency, memoryGiB: nav.deviceMemory, devicePixelRatio: window.devicePixelRatio };
}

/** Creates and at once releases a WebGL 2 context: false when the browser or GPU refuses. */
export function canCreateWebGL2(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2', { failIfMajorPerformanceCaveat: false });
    if (!gl) return false;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    // Some browsers throw instead of returning null when WebGL is disabled by policy.
    return false;
  }
}

/** Frame timing that means the device cannot animate the avatar smoothly. */
export const SLOW_FIRST_FRAME_MS = 4_000;
export const SLOW_FRAME_MS = 120;
/** Frames after the first (which compiles shaders) whose median decides "too slow". */
export const FRAMES_SAMPLED = 5;

/**
 * Given the times to the first frames (the first includes shader compilation, the others are the
 * intervals between frames), whether the 3D is too slow here and the portrait should take over.
 * Undefined until enough frames were seen. A median, so one hiccup does not decide.
 */
export function isTooSlow(frameTimesMs: readonly number[]): boolean | undefined {
  const first = frameTimesMs[0];
  if (first !== undefined && first > SLOW_FIRST_FRAME_MS) return true;
  if (frameTimesMs.length < FRAMES_SAMPLED + 1) return undefined;
  const sample = [...frameTimesMs.slice(1, FRAMES_SAMPLED + 1)].sort((a, b) => a - b);
  return (sample[Math.floor(sample.length / 2)] ?? 0) > SLOW_FRAME_MS;
}
