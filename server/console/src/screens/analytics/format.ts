/** How the analytics screens write numbers: the same formatting in tiles, summaries, tables and tests. */
const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export const formatCount = (value: number) => integer.format(value);
export const formatPercent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)} %`);
export const formatMs = (ms: number | null) => (ms === null ? '—' : `${integer.format(ms)} ms`);
/** Costs are exact to a millionth of a dollar; four decimals show a day of a small bot without hiding it. */
export const formatUsd = (usd: number) => `$${usd.toFixed(usd !== 0 && Math.abs(usd) < 1 ? 4 : 2)}`;
export const formatAverage = (value: number | null) => (value === null ? '—' : value.toFixed(2));
