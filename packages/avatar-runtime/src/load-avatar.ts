// Loading a GLB avatar with three's GLTFLoader. Mascot's avatars (built-in and uploads optimised
// by the server's rules) use EXT_meshopt_compression, so the loader gets the meshopt decoder; it
// is WebAssembly, hence the widget's CSP allows 'wasm-unsafe-eval' on Mascot's own origin (never
// on host pages). No DRACO or KTX2: the upload rules do not produce them.
import type { AnimationClip, Object3D } from 'three';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

/** What the runtime needs of a loaded glTF. */
export interface AvatarModel {
  readonly scene: Object3D;
  readonly animations: readonly AnimationClip[];
}

function createLoader(): GLTFLoader {
  return new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
}

/** Fetches and parses a GLB from a URL (same origin: the widget's CSP allows nothing else). */
export async function loadAvatarModel(url: string): Promise<AvatarModel> {
  const gltf = await createLoader().loadAsync(url);
  return { scene: gltf.scene, animations: gltf.animations };
}

/** Parses GLB bytes already in memory (Studio's local files, Node tests). */
export async function parseAvatarModel(bytes: ArrayBuffer): Promise<AvatarModel> {
  const gltf = await createLoader().parseAsync(bytes, '');
  return { scene: gltf.scene, animations: gltf.animations };
}
