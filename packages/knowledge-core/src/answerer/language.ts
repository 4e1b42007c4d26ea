// What the answerer knows about the bot's language: its function words, a Snowball stemmer (so
// "renewal", "renewing" and "renew" meet), and a short curated list of everyday synonyms for the
// vocabulary gaps visitors hit most on help pages ("yearly" / "annual", "fine" / "penalty",
// "nicked" / "stolen"). Lists are small and generic on purpose: a business's own terms belong in its
// knowledge, and a model embedding closes the long tail when one is configured.

import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemFrench } from '@orama/stemmers/french';
import { stemmer as stemGerman } from '@orama/stemmers/german';
import { stemmer as stemSpanish } from '@orama/stemmers/spanish';

export type AnswerLanguage = 'en' | 'de' | 'fr' | 'es';

export interface LanguageKit {
  language: AnswerLanguage;
  isStopWord(word: string): boolean;
  /** Everyday verbs and fillers ("put", "get", "happen"): content words that carry little of the topic. */
  isWeakWord(word: string): boolean;
  stem(word: string): string;
  /** Synonym groups: each member, a word or a phrase, stands for the others. Folded, lower case. */
  synonyms: readonly (readonly string[])[];
}

const STOP_WORDS: Record<AnswerLanguage, string> = {
  en: `a about above after again against all also am an and any are aren arent as at be because been before being below
    between both but by can cannot could couldnt did didnt do does doesnt doing dont down during each either else ever few for
    from further get gets getting got had hadnt has hasnt have havent having he her here hers herself hey hi hello him himself his how
    however i id if ill im in into is isnt it its itself ive just let lets like many me might more most much must my myself need
    needs no nor not now of off on once only or other ought our ours ourselves out over own please pls plz re same shall she
    should shouldnt so some such than thank thanks that thats the their theirs them themselves then there theres these they this
    those through to too under until up upon us very via want wanna was wasnt we were werent what whats when where which while
    who whom whose why will with wont would wouldnt yes yet you youd youll your youre yours yourself yourselves youve u ur r`,
  de: `aber alle allem allen aller alles als also am an ander andere auch auf aus bei beim bin bis bitte bist da damit dann das dass
    dem den denn der des dich die dir doch dort du durch ein eine einem einen einer eines er es etwa euch euer für gibt hab habe
    haben hallo hat hatte ich ihm ihn ihr ihre im in ist ja jede jeder jedes kann kannst kein keine können man mein meine mich mir
    mit muss müssen nach nicht noch nun nur ob oder ohne sein seine sich sie sind so soll über um und uns unser unter viel vom von
    vor wann war warum was weil welche welcher welches wenn wer werden wie wieso wieviel wird wir wo woher wohin zu zum zur`,
  fr: `a ai au aux avec avez avoir bonjour ce ces cet cette comment dans de des du elle elles en est et être il ils je la le les
    leur lui ma mais me mes moi mon ne nos notre nous on ou où par pas peut peux pour pourquoi quand que quel quelle quelles quels
    qui sa se ses si son sont sur ta te tes toi ton tu un une vos votre vous y c d j l m n qu s t est-ce combien`,
  es: `a al algo como con cual cuales cuando cuándo cuánto cuánta cuántos de del donde dónde el ella ellas ellos en es esa ese eso
    esta este esto están hay hola la las le les lo los me mi mis muy no nos o para pero por porque puedo puede qué que quien se
    si sin sobre su sus te tengo ti tu tus un una uno unos y ya yo`,
};

const WEAK_WORDS: Record<AnswerLanguage, string> = {
  en: `get gets getting got put puts take takes taking taken took make makes made go goes going went do done use using know find tell
    give keep see look looking happen happens happened come bring leave work works ok okay still really actually exactly
    anything something thing things way able possible supposed tried try`,
  de: `machen macht gehen geht bekommen bekommt kriegen nehmen gibt geben finden wissen sehen passiert tun`,
  fr: `faire fait aller va avoir obtenir prendre trouver savoir voir donner passe arrive`,
  es: `hacer hace ir va tener obtener tomar encontrar saber ver dar pasa`,
};

// Everyday help-centre vocabulary. A group lists words (or phrases) a visitor and a page use for the
// same thing; morphology is left to the stemmer, so "renew" covers "renewal" and "renewing".
const SYNONYMS: Record<AnswerLanguage, string[][]> = {
  en: [
    ['yearly', 'annual', 'annually', 'per year', 'a year', 'each year', 'every year', '12 months', 'twelve months'],
    ['monthly', 'per month', 'a month', 'each month', 'every month'],
    ['weekly', 'per week', 'a week', 'each week', 'every week'],
    ['daily', 'per day', 'a day', 'each day', 'every day'],
    ['cost', 'price', 'fee', 'charge', 'rate', 'tariff'],
    ['cheap', 'cheaper', 'discount', 'reduction', 'reduced', 'concession', 'money off'],
    ['free', 'free of charge', 'no charge', 'complimentary'],
    ['cancel', 'call off', 'terminate', 'unsubscribe'],
    ['refund', 'money back', 'reimburse'],
    ['buy', 'purchase', 'order'],
    ['phone', 'telephone', 'call', 'ring', 'phone number'],
    ['email', 'e-mail', 'mail address', 'email address'],
    ['address', 'location', 'located'],
    ['open', 'opening', 'opening hours', 'opening times', 'hours'],
    ['guarantee', 'warranty'],
    ['stolen', 'theft', 'steal', 'nicked', 'robbed'],
    ['broken', 'damaged', 'faulty', 'defect', 'defective', 'broke', 'not working'],
    ['repair', 'fix', 'mend'],
    ['fine', 'penalty', 'ticket', 'penalty charge'],
    ['child', 'children', 'kid', 'kids', 'junior', 'young', 'son', 'daughter'],
    ['parent', 'mum', 'mom', 'mother', 'dad', 'father', 'carer'],
    ['senior', 'elderly', 'pensioner', 'older', 'retired'],
    ['adult', 'grown-up', 'grownup', 'grown up'],
    ['disabled', 'disability', 'wheelchair', 'accessible'],
    ['book', 'booking', 'reserve', 'reservation', 'appointment'],
    ['apply', 'application', 'sign up', 'register', 'enrol', 'enroll', 'join'],
    ['deliver', 'delivery', 'shipping', 'ship', 'postage'],
    ['return', 'send back', 'give back'],
    ['rubbish', 'trash', 'garbage', 'waste', 'refuse', 'litter'],
    ['bin', 'dustbin', 'wheelie bin', 'container'],
    ['job', 'career', 'vacancy', 'position', 'hiring', 'employment', 'work for'],
    ['lost', 'lose', 'missing', 'misplaced'],
    ['forgot', 'forgotten', 'reset'],
    ['rent', 'rental', 'hire', 'lease'],
    ['help', 'support', 'assistance'],
    ['quick', 'quickly', 'fast', 'soon'],
    ['wait', 'waiting list', 'queue'],
    ['permission', 'permit', 'consent', 'licence', 'license', 'allowed', 'permitted'],
    ['car', 'vehicle'],
    ['house', 'home', 'property', 'dwelling', 'flat', 'apartment'],
    ['death', 'died', 'dead', 'passed away', 'deceased'],
    ['wedding', 'marriage', 'marry', 'married', 'getting married'],
    ['password', 'log in', 'login', 'sign in'],
    ['remove', 'take away', 'collect', 'collection', 'pick up', 'pickup', 'get rid of', 'dispose'],
    ['late', 'overdue'],
    ['bike', 'bicycle', 'cycle'],
    ['e-bike', 'ebike', 'electric bike', 'electric bicycle', 'pedelec'],
    ['neighbour', 'neighbor'],
    ['colour', 'color'],
    ['centre', 'center'],
    ['instalment', 'installment'],
    ['cancelled', 'canceled'],
    ['kerb', 'curb'],
    ['ebook', 'e-book'],
    ['complain', 'complaint'],
  ],
  de: [
    ['jährlich', 'pro jahr', 'im jahr', 'jahresgebühr'],
    ['monatlich', 'pro monat', 'im monat'],
    ['kosten', 'kostet', 'preis', 'gebühr', 'tarif'],
    ['kostenlos', 'gratis', 'umsonst', 'gebührenfrei'],
    ['kündigen', 'kündigung', 'stornieren', 'abbestellen'],
    ['rückerstattung', 'geld zurück', 'erstattung'],
    ['telefon', 'anrufen', 'telefonnummer', 'hotline'],
    ['e-mail', 'email', 'mail'],
    ['adresse', 'anschrift', 'standort'],
    ['öffnungszeiten', 'geöffnet', 'offen', 'sprechzeiten'],
    ['garantie', 'gewährleistung'],
    ['gestohlen', 'diebstahl', 'geklaut'],
    ['kaputt', 'defekt', 'beschädigt', 'schaden'],
    ['reparatur', 'reparieren'],
    ['kind', 'kinder', 'jugendliche'],
    ['buchen', 'buchung', 'reservieren', 'termin'],
    ['beantragen', 'antrag', 'anmelden', 'anmeldung', 'registrieren'],
    ['lieferung', 'versand', 'liefern', 'zustellung'],
    ['müll', 'abfall'],
    ['strafe', 'bußgeld', 'gebühr'],
    ['erlaubt', 'genehmigung', 'erlaubnis', 'dürfen'],
  ],
  fr: [
    ['annuel', 'annuellement', 'par an', 'chaque année'],
    ['mensuel', 'par mois', 'chaque mois'],
    ['prix', 'coût', 'coûte', 'tarif', 'frais'],
    ['gratuit', 'gratuitement', 'sans frais'],
    ['annuler', 'annulation', 'résilier', 'résiliation'],
    ['remboursement', 'rembourser'],
    ['téléphone', 'appeler', 'numéro'],
    ['courriel', 'e-mail', 'email', 'mail'],
    ['adresse', 'situé', 'emplacement'],
    ['horaires', 'ouvert', 'ouverture'],
    ['garantie', 'garanti'],
    ['volé', 'vol'],
    ['cassé', 'endommagé', 'défectueux', 'panne'],
    ['réparer', 'réparation'],
    ['enfant', 'enfants', 'jeune'],
    ['réserver', 'réservation', 'rendez-vous'],
    ['demande', 'demander', 'inscription', 'inscrire'],
    ['livraison', 'livrer', 'expédition', 'envoi'],
    ['déchets', 'ordures', 'poubelle'],
    ['amende', 'pénalité', 'contravention'],
    ['autorisé', 'permis', 'autorisation'],
  ],
  es: [
    ['anual', 'anualmente', 'al año', 'por año', 'cada año'],
    ['mensual', 'al mes', 'por mes', 'cada mes'],
    ['precio', 'coste', 'costo', 'cuesta', 'tarifa', 'cuota'],
    ['gratis', 'gratuito', 'sin coste', 'sin costo'],
    ['cancelar', 'cancelación', 'anular', 'baja'],
    ['reembolso', 'devolución del dinero', 'reembolsar'],
    ['teléfono', 'llamar', 'número'],
    ['correo', 'email', 'e-mail', 'correo electrónico'],
    ['dirección', 'ubicación', 'ubicado'],
    ['horario', 'abierto', 'apertura'],
    ['garantía', 'garantizado'],
    ['robado', 'robo', 'hurto'],
    ['roto', 'dañado', 'defectuoso', 'averiado', 'avería'],
    ['reparar', 'reparación', 'arreglar'],
    ['niño', 'niños', 'hijos', 'menores'],
    ['reservar', 'reserva', 'cita'],
    ['solicitar', 'solicitud', 'inscribirse', 'inscripción', 'registrarse'],
    ['envío', 'entrega', 'enviar', 'entregar'],
    ['basura', 'residuos'],
    ['multa', 'sanción'],
    ['permitido', 'permiso', 'autorización'],
  ],
};

const STEMMERS: Record<AnswerLanguage, (word: string) => string> = {
  en: stemEnglish,
  de: stemGerman,
  fr: stemFrench,
  es: stemSpanish,
};

const kits = new Map<AnswerLanguage, LanguageKit>();

/** The kit for a BCP-47 tag ("de-CH" → German). Other languages get the English kit, whose lists then rarely match. */
export function languageKitFor(tag: string | undefined): LanguageKit {
  const primary = (tag ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  const language: AnswerLanguage = primary === 'de' || primary === 'fr' || primary === 'es' ? primary : 'en';
  let kit = kits.get(language);
  if (!kit) {
    const stopWords = new Set(STOP_WORDS[language].split(/\s+/).filter(Boolean));
    const weakWords = new Set(WEAK_WORDS[language].split(/\s+/).filter(Boolean));
    const stem = STEMMERS[language];
    const cache = new Map<string, string>();
    kit = {
      language,
      isStopWord: (word) => stopWords.has(word),
      isWeakWord: (word) => weakWords.has(word),
      // Numbers and words of other scripts pass through; stems are cached (the same words recur in every reply).
      stem: (word) => {
        let stemmed = cache.get(word);
        if (stemmed === undefined) {
          stemmed = /^\p{N}/u.test(word) ? word : stem(word);
          if (cache.size < 50_000) cache.set(word, stemmed);
        }
        return stemmed;
      },
      synonyms: SYNONYMS[language],
    };
    kits.set(language, kit);
  }
  return kit;
}
