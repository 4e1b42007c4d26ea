// What kind of value a question asks for, and whether a sentence holds one: "How much is a swim?"
// wants an amount of money, "How long do I have…" a duration, "What is the phone number…" a phone
// number. A sentence that holds the asked-for kind of value answers the question; a heading or a
// sentence that only repeats the question's words does not.

export type AnswerType = 'percent' | 'money' | 'duration' | 'time' | 'count' | 'phone' | 'email' | 'url' | 'address' | 'date';

const QUESTION_PATTERNS: ReadonlyArray<readonly [AnswerType, RegExp]> = [
  ['email', /\b(e-?mail|courriel|correo)\b|\bwhere (do|can|should|to) .{0,30}\b(send|write|submit|contact)\b/i],
  ['url', /\b(website|web site|web page|link|url|online|site web|sitio web|webseite|en ligne|en línea)\b|\bwhere (do|can|should) i .{0,20}\b(apply|book|pay|report|sign up|register|find|check)\b/i],
  ['phone', /\b(phone|telephone|hotline|number to (call|ring)|(call|ring) (you|us|them|someone|the \w+ team)|telefon|anrufen|téléphone|appeler|teléfono|llamar)\b|\bwho (do|can|should) i (call|ring)\b/i],
  ['address', /\b(address|where is|where are|where('s| is) the|located|location|adresse|anschrift|dirección)\b/i],
  // A discount or a loss is a share as often as an amount ("40 percent off", "up to 30 percent less range").
  ['percent', /\b(discount|reduction|percent|percentage|per cent|% off|how much .{0,40}\b(lose|loss|drop|less|more|off|save|saving)|rabatt|ermäßigung|réduction|remise|descuento)\b/i],
  ['money', /\b(how much|cost|costs|price|prices|fee|fees|charges|(extra|additional|late|what) charge\b(?! level)|charge for|expensive|cheap|pay for|what do i pay|discount|reduction|percent|% off|wie viel kostet|was kostet|kosten|preis|gebühr|combien|coût|prix|tarif|cuánto|cuesta|precio)\b/i],
  ['duration', /\b(how long|how soon|how quickly|how fast|how many (days|weeks|months|years|hours|minutes)|how far ahead|how far in advance|wie lange|combien de temps|cuánto tiempo)\b/i],
  ['time', /\b(what time|opening (hours|times)|open(ing)? on|when (is|are|does|do) .{0,40}\b(open|close)|hours|uhrzeit|öffnungszeiten|horaires?|heure|a qué hora)\b/i],
  // A limit or a "number of" asks for a number as much as "how many" does ("the weight limit", "the minimum number of bikes").
  ['count', /\b(how many|(the|a) number of|(minimum|maximum|max|min)\b|limit|how old|how tall|how heavy|wie viele|combien de|cuántos|cuántas)\b/i],
  ['date', /^\W*(when|what date|which days?|what days?|wann|quand|cuándo)\b|\b(and|or|but) when\b|\b(what|which) (date|day)s?\b/i],
];

const VALUE_PATTERNS: Record<AnswerType, RegExp> = {
  percent: /\d\s?(?:%|percent\b|per cent\b|prozent\b|pour cent\b|por ciento\b)|\bhalf\b/i,
  money: /[$€£¥]\s?\d|\d\s?(?:[$€£]|eur|usd|gbp|chf|dollars?|euros?|pounds?|cents?|pence)\b|\b(free|no charge|free of charge|kostenlos|gratuit|gratis)\b|\d+\s?%|\bhalf price\b/i,
  duration: /\b\d+(?:[.,]\d+)?\s?(?:-|to|–)?\s?\d*\s*(?:working |business |full |calendar )?(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|tage?n?|wochen?|monate?n?|jahre?n?|jours?|semaines?|mois|ans?|años?|días?|semanas?|meses?)\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|a|an)\s+(?:working |business )?(?:hours?|days?|weeks?|months?|years?)\b|\bstraight away\b|\bimmediately\b/i,
  time: /\b\d{1,2}(?:[:.]\d{2})?\s?(?:a\.?m\.?|p\.?m\.?|uhr|h)(?=\W|$)|\b\d{1,2}:\d{2}\b|\bclosed\b|\b24 hours\b|\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s?(?:-|–|to)/i,
  count: /\b\d+\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|hundred)\b/i,
  phone: /(?:\+?\d[\d\s().-]{5,}\d)/,
  email: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u,
  url: /\bhttps?:\/\/\S+|\bwww\.\S+/i,
  // "12 Market Street", "Quarry Lane", a UK or a five-digit postcode; street words capitalised as in addresses.
  address: /\b\d+[a-z]?\s+(?:\p{Lu}[\p{L}'-]*\s+){1,3}(?:Street|St\.?|Road|Rd\.?|Lane|Avenue|Ave\.?|Square|Way|Drive|Place|Close|Straße|Strasse|[Rr]ue|[Cc]alle|[Aa]venida)(?=\W|$)|\b(?:\p{Lu}[\p{L}'-]*\s+){1,2}(?:Street|Road|Lane|Avenue|Square|Way|Drive)\b|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b\d{5}\s+\p{Lu}/u,
  date: /\b\d{1,2}(?:st|nd|rd|th)?\b|\b(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?|daily|every|each)\b|\b\d{1,2}[:.]\d{2}\b|\b(a\.m\.|p\.m\.)/i,
};

/** The kinds of value `question` asks for, most specific first (none for yes/no or open questions). */
export function expectedAnswerTypes(question: string): AnswerType[] {
  // A yes/no question ("Can I pay in cash when …?") asks for no value, whatever its clauses mention.
  // The question is its last sentence: "I crashed my helmet. Do I get a discount?" asks yes or no.
  if (YES_NO_QUESTION.test(lastSentence(question))) return [];
  return QUESTION_PATTERNS.filter(([, pattern]) => pattern.test(question)).map(([type]) => type);
}

function lastSentence(text: string): string {
  const sentences = text.split(/(?<=[.!?])\s+(?=\p{Lu})/u).map((s) => s.trim()).filter((s) => s !== '');
  return sentences[sentences.length - 1] ?? text;
}

const YES_NO_QUESTION = /^\W*(is|are|am|was|were|can|could|do|does|did|will|would|should|shall|may|might|must|have|has|had|kann|können|ist|sind|gibt|darf|est-ce|puis-je|peut-on|puedo|se puede|hay)\b/i;

/** Whether `text` holds a value of one of `types`. */
export function holdsAnswerType(text: string, types: readonly AnswerType[]): boolean {
  return types.some((type) => VALUE_PATTERNS[type].test(text));
}
