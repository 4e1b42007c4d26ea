// The avatar's lighting, one definition for every place it is drawn: the widget's AvatarView and
// Studio's @react-three/fiber scene add the same lights, so a designer judges the look visitors get.
import { DirectionalLight, HemisphereLight, type Light } from 'three';

/**
 * Sky/ground fill, a warm key from the upper right and a cool rim from behind: the vertex-coloured
 * built-ins read well with it, and unlit sides never go black. New objects on every call (a scene
 * owns its lights).
 */
export function createAvatarLights(): Light[] {
  const fill = new HemisphereLight(0xffffff, 0x8890a8, 1.6);
  const key = new DirectionalLight(0xfff4e8, 2.2);
  key.position.set(2, 4, 3);
  const rim = new DirectionalLight(0xc8d8ff, 0.8);
  rim.position.set(-3, 2, -2);
  return [fill, key, rim];
}
