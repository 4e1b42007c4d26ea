/**
 * The parts of a glTF JSON chunk the rules read. Every field is `unknown` at the leaves because the
 * JSON comes from an uploaded file; the rules check types before using a value.
 */
export interface GltfJson {
  asset?: { version?: unknown };
  extensionsRequired?: unknown;
  buffers?: { byteLength?: unknown; uri?: unknown }[];
  bufferViews?: { buffer?: unknown; byteOffset?: unknown; byteLength?: unknown }[];
  accessors?: { bufferView?: unknown; count?: unknown; type?: unknown; componentType?: unknown }[];
  images?: { uri?: unknown; name?: unknown; mimeType?: unknown; bufferView?: unknown }[];
  meshes?: { primitives?: { mode?: unknown; indices?: unknown; attributes?: Record<string, unknown> }[] }[];
  nodes?: { mesh?: unknown; skin?: unknown }[];
  skins?: { joints?: unknown }[];
  animations?: { name?: unknown }[];
}
