import { Box3, PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { frameBounds, type FramingFocus } from './camera-framing.ts';

/** Projects the box's 8 corners through a camera placed by frameBounds; returns their NDC extent. */
function projectedExtent(box: Box3, aspect: number, focus: FramingFocus = 'full') {
  const framing = frameBounds(box, aspect, 30, focus);
  const camera = new PerspectiveCamera(30, aspect, framing.near, framing.far);
  camera.position.copy(framing.position);
  camera.lookAt(framing.target);
  camera.updateMatrixWorld();
  camera.updateProjectionMatrix();
  const xs: number[] = [];
  const ys: number[] = [];
  const zs: number[] = [];
  for (const x of [box.min.x, box.max.x])
    for (const y of [box.min.y, box.max.y])
      for (const z of [box.min.z, box.max.z]) {
        const p = new Vector3(x, y, z).project(camera);
        xs.push(p.x);
        ys.push(p.y);
        zs.push(p.z);
      }
  return { width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys), xs, ys, zs };
}

describe('frameBounds', () => {
  it.each([
    ['a tall character in a wide stage', new Box3(new Vector3(-0.4, 0, -0.3), new Vector3(0.4, 1.45, 0.3)), 2],
    ['a tall character in a narrow stage', new Box3(new Vector3(-0.4, 0, -0.3), new Vector3(0.4, 1.45, 0.3)), 0.4],
    ['a huge model far from the origin', new Box3(new Vector3(90, 40, -20), new Vector3(130, 200, 20)), 1],
  ])('keeps all of %s in view, filling most of the binding dimension', (_name, box, aspect) => {
    const extent = projectedExtent(box, aspect);
    for (const v of [...extent.xs, ...extent.ys]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    for (const z of extent.zs) expect(Math.abs(z)).toBeLessThan(1); // between near and far
    expect(Math.max(extent.width, extent.height)).toBeGreaterThan(2 * 0.6);
  });

  it('frames head and chest for small stages: the top stays in view, the feet leave it', () => {
    const box = new Box3(new Vector3(-0.4, 0, -0.3), new Vector3(0.4, 1.45, 0.3));
    const extent = projectedExtent(box, 1, 'upper');
    const top = Math.max(...extent.ys);
    const bottom = Math.min(...extent.ys);
    expect(top).toBeLessThanOrEqual(1);
    expect(top).toBeGreaterThan(0.6);
    expect(bottom).toBeLessThan(-1);
  });
});
