/**
 * The server process of bench/first-token.bench.ts: a real Mascot server (the test harness: a fresh
 * database on DATABASE_URL or in-memory PGlite, NATS on NATS_URL or the in-process bus) whose OpenAI
 * provider is the bench's fake at FAKE_OPENAI_URL. Prints its URLs as one JSON line, stops when its
 * standard input closes (the bench ending, or dying).
 */
import { startTestServer } from '../server/src/test/test-server.ts';

const fakeUrl = process.env['FAKE_OPENAI_URL'];
if (!fakeUrl) throw new Error('FAKE_OPENAI_URL is not set: start this through bench/first-token.bench.ts');
const server = await startTestServer({
  OPENAI_API_KEY: 'sk-bench',
  OPENAI_BASE_URL: fakeUrl,
  MASCOT_AI_FIRST_TOKEN_TIMEOUT_MS: '60000',
  MASCOT_AI_IDLE_TIMEOUT_MS: '60000',
});
process.stdout.write(`${JSON.stringify({ graphqlUrl: server.graphqlUrl, websocketUrl: server.websocketUrl, databaseUrl: server.databaseUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.stop().finally(() => process.exit(0));
});
