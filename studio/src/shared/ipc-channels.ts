import type { StudioMethod } from './studio-api.ts';

/** Every IPC channel is named here and nowhere else: `studio:<method of window.studio>`. */
export const STUDIO_METHODS = [
  'listProjects', 'createProject', 'openProject', 'duplicateProject', 'deleteProject', 'saveProjectThumbnail', 'updateBundle', 'undo', 'redo',
  'listBuiltinAvatars', 'useBuiltinAvatar', 'importAvatar', 'avatarBytes', 'suggestSlots', 'reactTo',
  'importKnowledge', 'listKnowledge', 'knowledgeChunks', 'removeKnowledge', 'searchKnowledge', 'chat', 'chatOnServer',
  'signIn', 'session', 'linkProject', 'pendingDiff', 'sync', 'syncStatus', 'resolveConflict', 'publish', 'versions', 'versionDiff', 'rollback',
  'previewPage', 'openTestPage',
] as const satisfies readonly StudioMethod[];

// Compile-time proof that the list names every method of StudioApi exactly.
type Missing = Exclude<StudioMethod, (typeof STUDIO_METHODS)[number]>;
const everyMethodListed: Missing extends never ? true : Missing = true;
void everyMethodListed;

export const channelOf = (method: StudioMethod): string => `studio:${method}`;

/** The one channel main pushes events on (main → renderer only); payloads follow studioEventSchema. */
export const STUDIO_EVENT_CHANNEL = 'studio:event';

export function isStudioMethod(value: string): value is StudioMethod {
  return (STUDIO_METHODS as readonly string[]).includes(value);
}
