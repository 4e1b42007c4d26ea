/**
 * A deterministic synthetic knowledge corpus for the benches: chunk-sized passages and visitor-style
 * questions over ~2,500 words in 12 topics (Zipf-weighted, seeded PRNG), so every run and every bench
 * searches the same text. `knowledge-scale` embeds the passages directly; `load` ingests them through
 * the API.
 */

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
/** Zipf-like: early items are much more frequent than late ones, as in real text. */
const pickZipf = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(items.length * rand() ** 3)]!;

interface Topic {
  nouns: string[];
  verbs: string[];
  adjectives: string[];
}

const BASE_TOPICS: Record<string, [string, string, string]> = {
  billing: [
    'invoice payment subscription plan refund charge card receipt discount coupon tax currency balance credit trial renewal upgrade downgrade seat quota price',
    'bill charge refund renew cancel upgrade downgrade prorate invoice pay',
    'annual monthly overdue paid unpaid prorated taxable recurring',
  ],
  shipping: [
    'parcel package courier delivery shipment warehouse carrier label tracking address customs pallet order return box depot route driver',
    'ship deliver track dispatch pack return route label collect',
    'express standard international domestic fragile delayed oversized',
  ],
  security: [
    'password token session login account certificate key firewall permission role audit breach encryption vulnerability credential policy device',
    'encrypt authenticate revoke rotate audit block verify sign grant',
    'secure encrypted expired compromised privileged suspicious multifactor',
  ],
  cooking: [
    'recipe oven flour butter sugar garlic onion sauce broth dough pan skillet pasta rice salad spice herb tomato cheese',
    'bake roast simmer chop whisk knead season boil fry stir',
    'crispy tender savory sweet spicy fresh homemade golden',
  ],
  gardening: [
    'soil seed compost mulch tomato rose shrub hedge lawn bulb root leaf fertilizer pot greenhouse weed pest trellis',
    'plant prune water sow harvest transplant fertilize mulch weed',
    'perennial annual shady sunny drought hardy organic fragrant',
  ],
  travel: [
    'flight hotel booking passport visa luggage airport terminal itinerary train ticket reservation museum beach tour guide',
    'book travel depart arrive cancel reschedule check board explore',
    'direct overnight refundable scenic crowded historic coastal',
  ],
  hardware: [
    'printer router laptop monitor battery cable charger keyboard firmware sensor display port adapter fan drive memory',
    'reboot connect charge update install pair calibrate reset replace',
    'wireless wired portable external faulty compatible refurbished',
  ],
  software: [
    'release feature bug deployment server database query cache api endpoint webhook integration dashboard report export import log',
    'deploy configure migrate debug export import integrate sync schedule',
    'stable beta deprecated scalable automated realtime legacy',
  ],
  health: [
    'appointment clinic doctor nurse prescription vaccine symptom therapy insurance patient dose allergy treatment referral',
    'prescribe schedule diagnose treat refer vaccinate monitor recover',
    'chronic acute mild severe routine preventive urgent',
  ],
  education: [
    'course lesson student teacher exam grade semester enrollment certificate module assignment lecture tutor library',
    'enroll study graduate grade submit teach review attend register',
    'online introductory advanced accredited remote mandatory optional',
  ],
  housing: [
    'lease tenant landlord deposit apartment rent mortgage heating plumbing repair inspection contract neighbor utility',
    'rent lease repair inspect renovate furnish insulate sublet',
    'furnished spacious drafty renovated affordable shared',
  ],
  finance: [
    'loan interest savings account transfer budget portfolio dividend pension fund statement fee deposit withdrawal',
    'save invest borrow transfer withdraw deposit budget allocate',
    'fixed variable compound diversified liquid taxable',
  ],
};

const SYLLABLES = 'ka lo mi ne ra su to vi ze an el or um ix ba de fo gu ly pe qui sa te vo wy'.split(' ');

/**
 * A vocabulary of a few thousand words across topics: real topic words, plus per-topic derived terms
 * (product and feature names built from syllables) so rarer words exist as in real documentation.
 */
function buildTopics(): Topic[] {
  const rand = prng(7);
  return Object.values(BASE_TOPICS).map(([nouns, verbs, adjectives]) => {
    const topicNouns = nouns.split(' ');
    for (let i = 0; i < 160; i++) {
      const name = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(rand, SYLLABLES)).join('');
      topicNouns.push(rand() < 0.5 ? name : `${name}${pick(rand, ['er', 'ion', 'ity', 'ment', 'ware', 'box'])}`);
    }
    return { nouns: topicNouns, verbs: verbs.split(' '), adjectives: adjectives.split(' ') };
  });
}

const TOPICS = buildTopics();
const COMMON_NOUNS = 'customer team user account settings page option time week day support request team member'.split(' ');
const CONNECTORS = ['when', 'because', 'after', 'before', 'unless', 'so that', 'while'];

function sentence(rand: Rand, topic: Topic): string {
  const noun = () => (rand() < 0.8 ? pickZipf(rand, topic.nouns) : pick(rand, COMMON_NOUNS));
  const verb = () => pickZipf(rand, topic.verbs);
  const adj = () => pickZipf(rand, topic.adjectives);
  const forms = [
    () => `The ${adj()} ${noun()} can ${verb()} the ${noun()} ${pick(rand, CONNECTORS)} the ${noun()} is ${adj()}`,
    () => `To ${verb()} a ${noun()}, open the ${noun()} and ${verb()} every ${adj()} ${noun()}`,
    () => `Each ${noun()} has a ${adj()} ${noun()} that we ${verb()} within ${2 + Math.floor(rand() * 28)} days`,
    () => `If your ${noun()} is ${adj()}, ${verb()} the ${noun()} first and then ${verb()} the ${noun()}`,
    () => `Our ${noun()} team will ${verb()} the ${adj()} ${noun()} for the ${noun()} on request`,
    () => `You should not ${verb()} a ${adj()} ${noun()} without a ${noun()}`,
  ];
  const text = pick(rand, forms)();
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** Chunk `i`: 60–120 words, mostly on one topic with an occasional sentence from another. */
export function chunkAt(i: number): string {
  const rand = prng(1_000_003 * (i + 1));
  const topic = pick(rand, TOPICS);
  const target = 60 + Math.floor(rand() * 61);
  const parts: string[] = [];
  let words = 0;
  while (words < target) {
    const s = sentence(rand, rand() < 0.85 ? topic : pick(rand, TOPICS));
    parts.push(s);
    words += s.split(' ').length;
  }
  return parts.join(' ');
}

/** Query `i`: a visitor-style question, from a different seed space than the chunks. */
export function queryAt(i: number): string {
  const rand = prng(0x5eed_0000 + 7919 * (i + 1));
  const topic = pick(rand, TOPICS);
  const noun = () => pickZipf(rand, topic.nouns);
  const forms = [
    () => `How do I ${pickZipf(rand, topic.verbs)} my ${pickZipf(rand, topic.adjectives)} ${noun()}?`,
    () => `What happens to the ${noun()} when the ${noun()} is ${pickZipf(rand, topic.adjectives)}?`,
    () => `Can you ${pickZipf(rand, topic.verbs)} the ${noun()} for my ${noun()} this week?`,
    () => `${sentence(rand, topic)} Is that right?`,
  ];
  return pick(rand, forms)();
}
