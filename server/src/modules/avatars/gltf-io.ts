import { Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';

/** glTF-Transform logs every pruned property at INFO; the avatar pipeline reports through its own errors. */
const QUIET = new Logger(Logger.Verbosity.ERROR);

let shared: Promise<NodeIO> | undefined;

/**
 * One NodeIO for the process, with every extension glTF-Transform knows registered and the meshopt
 * codec wired in (uploads and the built-in avatars use EXT_meshopt_compression). Draco has no
 * decoder here, so Draco-compressed uploads are refused as unsupported rather than half-read.
 *
 * readBinary never fetches external resources (only `read(path)` does), so a GLB naming
 * `file:///etc/passwd` cannot make the server read it; the validator refuses such files anyway.
 */
export function gltfIO(): Promise<NodeIO> {
  shared ??= (async () => {
    await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready]);
    return new NodeIO()
      .setLogger(QUIET)
      .registerExtensions(ALL_EXTENSIONS)
      .registerDependencies({ 'meshopt.decoder': MeshoptDecoder, 'meshopt.encoder': MeshoptEncoder });
  })();
  return shared;
}

export { MeshoptEncoder, QUIET as GLTF_LOGGER };
