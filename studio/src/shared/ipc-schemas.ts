// The argument schema of every IPC channel. The main process parses each call against these before
// running it: the renderer is treated as untrusted input, like a browser talking to a server.
import { z } from 'zod';
import { SERVER_CHAT_HISTORY_TURNS, type StudioMethod } from './studio-api.ts';

/** Project ids are UUIDs Studio generated; anything else could be a path. */
const projectId = z.uuid({ error: 'must be a project id' });
const shortText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const MAX_KNOWLEDGE_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_AVATAR_FILE_BYTES = 15 * 1024 * 1024;

const fileName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((name) => !/[\\/]|^\.\.?$/.test(name), 'must be a file name, not a path');

const file = (maxBytes: number) =>
  z.strictObject({
    fileName,
    bytes: z
      .instanceof(Uint8Array, { error: 'must be the file bytes' })
      .refine((bytes) => bytes.byteLength > 0, 'is empty')
      .refine((bytes) => bytes.byteLength <= maxBytes, `is larger than ${maxBytes} bytes`),
  });

export const MAX_THUMBNAIL_BYTES = 256 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The gallery picture: a PNG (checked by its signature, it is shown as an image) of a modest size. */
const thumbnailPng = z
  .instanceof(Uint8Array, { error: 'must be the PNG bytes' })
  .refine((bytes) => PNG_SIGNATURE.every((byte, i) => bytes[i] === byte), 'must be a PNG image')
  .refine((bytes) => bytes.byteLength <= MAX_THUMBNAIL_BYTES, `is larger than ${MAX_THUMBNAIL_BYTES} bytes`);

const serverUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

/** A page path on the mock host site: no scheme or host (the preview chooses those). */
const previewRequest = z.strictObject({
  variantId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a variant id').max(40).nullable(),
  pagePath: z.string().max(500, 'must be at most 500 characters').regex(/^\/[^\s#]*$/, 'must be a path starting with /, such as /help/returns'),
});

const version = z.int().min(1, 'must be a version number');

export const IPC_ARGUMENTS = {
  listProjects: z.tuple([]),
  createProject: z.tuple([z.strictObject({ name: shortText(80) })]),
  openProject: z.tuple([projectId]),
  duplicateProject: z.tuple([projectId]),
  deleteProject: z.tuple([projectId]),
  saveProjectThumbnail: z.tuple([projectId, thumbnailPng]),
  // The bundle itself is checked by validateBotBundle in the store, which reports field paths.
  updateBundle: z.tuple([projectId, z.record(z.string(), z.unknown())]),
  undo: z.tuple([projectId]),
  redo: z.tuple([projectId]),
  listBuiltinAvatars: z.tuple([]),
  useBuiltinAvatar: z.tuple([projectId, shortText(64)]),
  importAvatar: z.tuple([projectId, file(MAX_AVATAR_FILE_BYTES)]),
  avatarBytes: z.tuple([projectId]),
  suggestSlots: z.tuple([projectId]),
  reactTo: z.tuple([projectId, shortText(2000)]),
  importKnowledge: z.tuple([projectId, file(MAX_KNOWLEDGE_FILE_BYTES)]),
  listKnowledge: z.tuple([projectId]),
  knowledgeChunks: z.tuple([projectId, z.uuid()]),
  removeKnowledge: z.tuple([projectId, z.uuid()]),
  searchKnowledge: z.tuple([projectId, shortText(1000)]),
  chat: z.tuple([projectId, shortText(2000)]),
  chatOnServer: z.tuple([
    projectId,
    z.strictObject({
      message: shortText(2000),
      replyId: z.uuid({ error: 'must be a reply id' }),
      history: z
        .array(z.strictObject({ role: z.enum(['visitor', 'bot']), text: z.string().max(8000) }))
        .max(SERVER_CHAT_HISTORY_TURNS, `must hold at most ${SERVER_CHAT_HISTORY_TURNS} turns`),
    }),
  ]),
  signIn: z.tuple([z.strictObject({ serverUrl, email: z.email(), password: z.string().min(1).max(256) })]),
  session: z.tuple([]),
  linkProject: z.tuple([projectId, z.uuid().optional()]),
  pendingDiff: z.tuple([projectId]),
  sync: z.tuple([projectId]),
  syncStatus: z.tuple([projectId]),
  resolveConflict: z.tuple([projectId, z.enum(['keep-local', 'take-server'])]),
  publish: z.tuple([projectId]),
  versions: z.tuple([projectId]),
  versionDiff: z.tuple([projectId, version, version]),
  rollback: z.tuple([projectId, version]),
  previewPage: z.tuple([projectId, previewRequest]),
  openTestPage: z.tuple([projectId, previewRequest]),
} satisfies Record<StudioMethod, z.ZodType>;
