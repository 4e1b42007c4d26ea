// Where the camera goes so the whole avatar fits the stage, from the model's bounds: whatever size
// or proportions an uploaded model has, it stands centred with a little air around it.
import { Box3, MathUtils, Vector3, type Object3D } from 'three';

export interface CameraFraming {
  readonly position: Vector3;
  readonly target: Vector3;
  readonly near: number;
  readonly far: number;
}

/** Air around the model: 1 = touching the frame edges. Gestures (raised arms, jumps) need room. */
export const FRAMING_MARGIN = 1.18;

/**
 * `full`: the whole model. `upper`: head and chest (the top UPPER_SHARE of its height), for small
 * stages where a full figure would leave the face a few pixels tall.
 */
export type FramingFocus = 'full' | 'upper';
export const UPPER_SHARE = 0.6;
/** Below this stage height (CSS px) the view frames the upper body. */
export const UPPER_FRAMING_BELOW_PX = 160;

/**
 * Frames `box` (the model's bounds, facing +Z) in a perspective camera with vertical field of view
 * `fovDeg` and the stage's `aspect` (width / height): the binding dimension decides the distance.
 */
export function frameBounds(box: Box3, aspect: number, fovDeg: number, focus: FramingFocus = 'full', margin = FRAMING_MARGIN): CameraFraming {
  if (focus === 'upper') {
    box = box.clone();
    box.min.y = box.max.y - (box.max.y - box.min.y) * UPPER_SHARE;
  }
  const size = box.getSize(new Vector3());
  const center = box.getCenter(new Vector3());
  const halfFov = MathUtils.degToRad(fovDeg) / 2;
  const safeAspect = aspect > 0 && Number.isFinite(aspect) ? aspect : 1;
  const distanceForHeight = size.y / 2 / Math.tan(halfFov);
  const distanceForWidth = size.x / 2 / (Math.tan(halfFov) * safeAspect);
  // Measured from the model's front face, not its centre, so a deep model is not cut off.
  const distance = Math.max(distanceForHeight, distanceForWidth, 1e-3) * margin + size.z / 2;
  const position = new Vector3(center.x, center.y + size.y * 0.04, center.z + distance);
  const radius = Math.max(size.length(), 1e-3);
  return { position, target: center, near: Math.max(distance - radius * 2, radius / 100), far: distance + radius * 2 };
}

/** Bounds of a model in its rest pose (skinned meshes report their bind-pose geometry). */
export function modelBounds(root: Object3D): Box3 {
  root.updateMatrixWorld(true);
  return new Box3().setFromObject(root);
}
