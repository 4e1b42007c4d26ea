const MB = 1024 * 1024;

/** What an uploaded model may cost. Tests lower them; the server and Studio use the defaults. */
export interface AvatarBudgets {
  /** Size of the uploaded file. */
  maxUploadBytes: number;
  /** What parsing may allocate (buffers, decoded meshopt views, zero-filled accessors). */
  maxDecodedBytes: number;
  /** Triangles drawn, counting a mesh once per node that shows it. */
  maxTriangles: number;
  maxTextures: number;
  /** Largest width or height of a texture as uploaded (the server resizes textures to 1024 after). */
  maxTextureDimension: number;
}

export const DEFAULT_AVATAR_BUDGETS: AvatarBudgets = {
  maxUploadBytes: 15 * MB,
  maxDecodedBytes: 256 * MB,
  maxTriangles: 100_000,
  maxTextures: 8,
  maxTextureDimension: 4096,
};
