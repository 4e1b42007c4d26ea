// Events the main process pushes to the renderer on the one event channel (STUDIO_EVENT_CHANNEL):
// the sync queue's state, the tokens of a server chat reply as they stream, and the end of a server
// session. The main process validates each event against this schema before sending it, and the
// preload again before handing it to the page.
import { z } from 'zod';

const SYNC_STATES = ['syncing', 'waiting-for-network', 'retrying', 'synced', 'conflict', 'failed'] as const;

const syncStatusSchema = z.strictObject({
  projectId: z.uuid(),
  /** syncing: uploading and writing the draft; waiting-for-network: queued; retrying: a queued sync runs again. */
  state: z.enum(SYNC_STATES),
  /** Files (avatar, knowledge) still to upload and knowledge documents still to delete on the server. */
  pendingUploads: z.int().min(0),
  /** When the queue tries again (ISO time); null when no retry is scheduled. */
  nextRetryAt: z.iso.datetime().nullable(),
  message: z.string().max(2000),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

const sessionInfoSchema = z.strictObject({ serverUrl: z.string(), email: z.string(), tenantName: z.string() });

export const studioEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('syncStatus'), status: syncStatusSchema }),
  /** The next piece of a server chat reply; `replyId` is the one the renderer gave chatOnServer. */
  z.strictObject({ type: z.literal('chatDelta'), replyId: z.uuid(), delta: z.string().max(20_000) }),
  /** The server session changed: signed in, or ended (`reason` says why, for the designer). */
  z.strictObject({ type: z.literal('session'), session: sessionInfoSchema.nullable(), reason: z.string().max(500).nullable() }),
]);
export type StudioEvent = z.infer<typeof studioEventSchema>;
export type StudioEventListener = (event: StudioEvent) => void;
