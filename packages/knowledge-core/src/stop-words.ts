// English function words. They carry almost no topical signal, so dropping them keeps
// "how much does the pro plan cost" focused on {pro, plan, cost}. Question words
// (what, how, when…) are included on purpose: they say what kind of answer is wanted,
// not what it is about. Other languages pass through unfiltered, which only costs a
// little precision because every feature is also weighted sublinearly.
const WORDS = `a about above after again against all also am an and any are aren arent as at
be because been before being below between both but by can cannot could couldn couldnt
did didn didnt do does doesn doesnt doing don dont down during each either else ever
few for from further get gets got had hadn hadnt has hasn hasnt have haven havent having
he her here hers herself him himself his how however i if im in into is isn isnt it its
itself ive just let lets many me might more most much must my myself need no nor not now of
off on once only or other ought our ours ourselves out over own please re same shall
shan she should shouldn so some such than that thats the their theirs them themselves
then there theres these they this those through to too under until up upon us very via
was wasn wasnt we were weren werent what whats when where which while who whom whose
why will with won wont would wouldn wouldnt yes yet you youd youll your youre yours
yourself yourselves youve`;

const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/));

/** True for folded English function words (see `foldText`). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
