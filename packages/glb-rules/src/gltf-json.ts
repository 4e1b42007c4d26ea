/**
 * The parts of a glTF JSON chunk the rules read. Every field is `unknown` at the leaves because the
 * JSON comes from an uploaded file; the rules check types before using a value.
 */
export interface GltfJson {
  asset?: { version?: unknown };
  extensionsRequired?: unknown;
  buffers?: { byteLength?: unknown; uri?: unknown; extensions?: unknown }[];
  bufferViews?: { buffer?: unknown; byteOffset?: unknown; byteLength?: unknown; byteStride?: unknown; extensions?: unknown }[];
  accessors?: { bufferView?: unknown; byteOffset?: unknown; count?: unknown; type?: unknown; componentType?: unknown; sparse?: unknown }[];
  images?: { uri?: unknown; name?: unknown; mimeType?: unknown; bufferView?: unknown }[];
  meshes?: { primitives?: { mode?: unknown; indices?: unknown; attributes?: Record<string, unknown> }[] }[];
  nodes?: { mesh?: unknown; skin?: unknown }[];
  skins?: { joints?: unknown }[];
  animations?: { name?: unknown }[];
}
