// The words the server and the players share to describe a moment of a conversation. The server
// derives them (intent from the visitor's message, sentiment from its sentiment library, phase
// from the reply pipeline); cue-rules.ts turns them into an animation slot.

/** Where the conversation is, from the mascot's point of view. */
export const CONVERSATION_PHASES = [
  'greeting', // the widget opened and the mascot says hello
  'listening', // the visitor is typing or has just sent a message
  'thinking', // the reply is being prepared, no token yet
  'speaking', // reply tokens are streaming
  'finished', // the reply is complete: a short closing reaction, then idle
  'idle', // nothing is happening
] as const;
export type ConversationPhase = (typeof CONVERSATION_PHASES)[number];

/** What the visitor's latest message is about (see classifyIntent). */
export const INTENTS = [
  'greeting',
  'thanks',
  'goodbye',
  'question',
  'complaint',
  'wants_human',
  'gives_contact',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];
