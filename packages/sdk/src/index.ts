export { MascotApiError, createMascotClient, type MascotAuth, type MascotClient, type MascotClientOptions } from './client.ts';
export * from './generated/graphql.ts';
