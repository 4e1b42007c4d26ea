/** pgvector's text form: `[0.1,0.2,…]`. Non-finite values would be rejected by Postgres, so fail early. */
export function toVectorLiteral(values: readonly number[]): string {
  for (const v of values) if (!Number.isFinite(v)) throw new Error('Embedding contains a non-finite value');
  return `[${values.join(',')}]`;
}
