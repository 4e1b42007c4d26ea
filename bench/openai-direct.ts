import OpenAI from 'openai';

/** The model every bench bot's provider chain names; the fake providers answer for any model. */
export const BENCH_MODEL = 'gpt-4o-mini';

/**
 * Time to the first content chunk when the official SDK calls an OpenAI-compatible server directly:
 * the baseline the platform's time to first token is compared with (same SDK, same server).
 */
export async function directTtft(baseUrl: string, question = 'How much does the Pro plan cost?'): Promise<number> {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: baseUrl, maxRetries: 0 });
  const startedAt = performance.now();
  const stream = await client.chat.completions.create({
    model: BENCH_MODEL, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: question }],
  });
  let first: number | undefined;
  for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) first ??= performance.now();
  if (first === undefined) throw new Error('the provider streamed no content');
  return first - startedAt;
}
