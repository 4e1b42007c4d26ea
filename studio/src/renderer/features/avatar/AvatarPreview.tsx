// The avatar in 3D: the model's own clips through an AnimationMixer with short crossfades, orbit
// controls and a three-point light. `clip` is what plays; the wrapper reports load state and the
// playing clip as data attributes (read by people's tools and by the renderer tests).
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useState } from 'react';
import { AnimationMixer, Box3, Vector3, type AnimationAction, type Object3D } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';
import { GLTFLoader, type GLTF } from 'three/addons/loaders/GLTFLoader.js';

const CROSSFADE_S = 0.25;

function Controls({ target }: { target: Vector3 }) {
  const { camera, gl } = useThree();
  useEffect(() => {
    const controls = new OrbitControls(camera, gl.domElement);
    controls.target.copy(target);
    controls.enableDamping = true;
    controls.update();
    return () => controls.dispose();
  }, [camera, gl, target]);
  return null;
}

function Model({ gltf, clip }: { gltf: GLTF; clip: string | null }) {
  const mixer = useMemo(() => new AnimationMixer(gltf.scene), [gltf]);
  const [current, setCurrent] = useState<AnimationAction | null>(null);
  useFrame((_, delta) => mixer.update(delta));
  useEffect(() => {
    const animation = clip ? gltf.animations.find((a) => a.name === clip) : undefined;
    if (!animation) return;
    const next = mixer.clipAction(animation).reset().play();
    if (current && current !== next) next.crossFadeFrom(current, CROSSFADE_S, false);
    setCurrent(next);
    // Only a new clip starts a crossfade; `current` is deliberately not a dependency.
  }, [clip, gltf, mixer]);
  useEffect(() => () => void mixer.stopAllAction(), [mixer]);
  return <primitive object={gltf.scene as Object3D} />;
}

export function AvatarPreview({ bytes, clip }: { bytes: Uint8Array | null; clip: string | null }) {
  const [gltf, setGltf] = useState<GLTF | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setGltf(null);
    setError(null);
    if (!bytes) return;
    const loader = new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    let cancelled = false;
    loader.parseAsync(buffer, '').then(
      (loaded) => !cancelled && setGltf(loaded),
      (failure: unknown) => !cancelled && setError(String(failure)),
    );
    return () => {
      cancelled = true;
    };
  }, [bytes]);

  const framing = useMemo(() => {
    if (!gltf) return null;
    const box = new Box3().setFromObject(gltf.scene);
    const center = box.getCenter(new Vector3());
    const size = box.getSize(new Vector3()).length();
    return { center, position: [center.x, center.y + size * 0.1, center.z + size * 1.5] as [number, number, number] };
  }, [gltf]);

  return (
    <figure className="preview" data-testid="avatar-preview" data-loaded={gltf ? 'true' : 'false'} data-playing={gltf && clip ? clip : ''}>
      {!bytes && <p className="muted">No avatar yet: pick a built-in one or import a GLB.</p>}
      {error && <p role="alert" className="error">The model could not be shown: {error}</p>}
      {gltf && framing && (
        <Canvas camera={{ position: framing.position, fov: 35 }} gl={{ preserveDrawingBuffer: true }}>
          <color attach="background" args={['#eef0f7']} />
          <hemisphereLight args={['#ffffff', '#8890a8', 1.2]} />
          <directionalLight position={[2, 4, 3]} intensity={2} />
          <directionalLight position={[-3, 2, -2]} intensity={0.6} />
          <Model gltf={gltf} clip={clip} />
          <Controls target={framing.center} />
        </Canvas>
      )}
      <figcaption>{gltf ? `Playing: ${clip ?? 'nothing'}` : bytes ? 'Loading the model…' : ''}</figcaption>
    </figure>
  );
}
