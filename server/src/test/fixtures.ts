import { ADD_KNOWLEDGE_TEXT, CREATE_BOT, PUBLISH_BOT, SIGN_UP } from './operations.ts';
import { graphqlOk } from './graphql-test-client.ts';
import { randomUUID } from 'node:crypto';

export const PRICING_TEXT = `# Plans
## Pricing
The Pro plan costs 29 dollars per month and includes unlimited projects.
The Starter plan is free for one project.
## Support
Support is open from 8 am to 8 pm on weekdays.`;

export interface TenantFixture {
  accessToken: string;
  tenantId: string;
  botId: string;
  embedId: string;
}

export interface Account {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  userId: string;
  tenantId: string;
}

/** Signs up a fresh user with their own tenant. */
export async function signUpAccount(graphqlUrl: string, tenantName = 'Fixture Inc'): Promise<Account> {
  const email = `user-${randomUUID()}@example.com`;
  const password = 'correct horse battery';
  const { signUp } = await graphqlOk(graphqlUrl, SIGN_UP, { input: { email, password, tenantName } });
  return {
    email,
    password,
    accessToken: signUp.accessToken,
    refreshToken: signUp.refreshToken,
    userId: signUp.user.id,
    tenantId: signUp.tenant.id,
  };
}

/** Signs up a fresh tenant and gives it a published bot answering from `knowledge`. */
export async function publishedBot(graphqlUrl: string, knowledge = PRICING_TEXT): Promise<TenantFixture> {
  const owner = await signUpAccount(graphqlUrl);
  const token = owner.accessToken;
  const { createBot } = await graphqlOk(graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, token);
  await graphqlOk(graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: createBot.id, input: { title: 'Price list', text: knowledge } }, token);
  await graphqlOk(graphqlUrl, PUBLISH_BOT, { botId: createBot.id }, token);
  return { accessToken: token, tenantId: owner.tenantId, botId: createBot.id, embedId: createBot.embedId };
}
