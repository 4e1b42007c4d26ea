import { graphqlOk, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';

export const INGESTION_EVENTS = /* GraphQL */ `
  subscription($botId: ID!) { ingestionEvents(botId: $botId) { jobId status progress chunksDone chunksTotal documentId errorCode errorMessage } }`;

export interface IngestionEventsRecording {
  events: EventRecorder<any>;
  /** Resolves with the job's final event (succeeded, failed or cancelled). */
  finished(jobId: string, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

/** Records a bot's ingestion events over a real graphql-ws socket, for the tests of this module. */
export async function recordIngestionEvents(websocketUrl: string, accessToken: string, botId: string): Promise<IngestionEventsRecording> {
  const client = wsClient(websocketUrl, accessToken);
  const events = recordSubscription(client, INGESTION_EVENTS, { botId });
  // The subscription is live once the server answers a first request on the socket's heels.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    events,
    finished: (jobId, timeoutMs = 60_000) =>
      events.waitFor((e) => e.ingestionEvents.jobId === jobId && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.ingestionEvents.status), timeoutMs),
    async close() {
      await events.close();
      await client.dispose();
    },
  };
}

export const CREATE_UPLOAD = /* GraphQL */ `
  mutation($botId: ID!, $input: KnowledgeUploadInput!) {
    createKnowledgeUpload(botId: $botId, input: $input) { uploadUrl expiresAt job { id status } }
  }`;

/** Starts a signed upload into a bot's knowledge; `put` then sends the bytes to its single-use URL. */
export async function startKnowledgeUpload(
  graphqlUrl: string,
  accessToken: string,
  botId: string,
  fileName: string,
  bytes: Uint8Array,
  extra: Record<string, unknown> = {},
) {
  const { createKnowledgeUpload } = await graphqlOk(graphqlUrl, CREATE_UPLOAD, { botId, input: { fileName, byteSize: bytes.byteLength, ...extra } }, accessToken);
  const url = createKnowledgeUpload.uploadUrl as string;
  return {
    jobId: createKnowledgeUpload.job.id as string,
    url,
    put: () => fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } }),
  };
}
