/**
 * The saved operations the explorer opens as its first tabs, in the order a new user needs them:
 * an account, a bot with knowledge, a published version, then a visitor conversation with its
 * streamed reply. Every document is validated against schema/schema.graphql by
 * example-operations.test.ts, so a schema change that breaks one fails the unit tests.
 *
 * Placeholders in variables are UPPER_CASE strings: replace them with ids from earlier results.
 */
export interface ExampleOperation {
  /** Shown in the examples list. */
  title: string;
  /** One line on what it does and what it needs. */
  description: string;
  /** The GraphQL document; its (first) operation name becomes the tab title. */
  query: string;
  /** JSON for the variables editor. */
  variables?: string;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    title: 'Sign up',
    description: 'Creates an account and its own tenant. Returns an access token.',
    query: `# Creates an account with its own tenant (organisation) and signs in.
# Put the accessToken in the Authorization header: use the Mascot panel
# ("Use token from the last response") or sign in there.
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    accessToken
    refreshToken
    user {
      id
      email
    }
    tenant {
      id
      name
    }
  }
}
`,
    variables: json({
      input: { email: 'you@example.com', password: 'a long passphrase', tenantName: 'My Company' },
    }),
  },
  {
    title: 'Log in',
    description: 'Signs in with email and password. The demo credentials are printed when the server starts.',
    query: `# Signs in. The demo account (demo@mascot.local) and its password are
# printed in the server log at start. The Mascot panel does the same
# and sets the Authorization header for you.
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    accessToken
    refreshToken
    user {
      id
      email
    }
    tenant {
      id
      name
    }
  }
}
`,
    variables: json({ input: { email: 'demo@mascot.local', password: 'PASSWORD_FROM_THE_SERVER_LOG' } }),
  },
  {
    title: 'Me and my bots',
    description: 'The signed-in user, tenant and role, and the tenant’s bots with their embed ids.',
    query: `# Needs Authorization: Bearer <accessToken>.
query Me {
  me {
    role
    user {
      id
      email
    }
    tenant {
      id
      name
    }
  }
  bots(first: 20) {
    edges {
      node {
        id
        name
        embedId
        tone
        liveVersion {
          number
          publishedAt
        }
      }
    }
  }
}
`,
  },
  {
    title: 'Create a bot',
    description: 'A new bot in the current tenant. Keep its id and embedId for the next steps.',
    query: `# Needs Authorization: Bearer <accessToken>.
mutation CreateBot($input: CreateBotInput!) {
  createBot(input: $input) {
    id
    embedId
    name
    greeting
    tone
    allowedOrigins
    createdAt
  }
}
`,
    variables: json({
      input: {
        name: 'Pixel',
        greeting: 'Hi, I am Pixel! Ask me about our plans.',
        tone: 'FRIENDLY',
        allowedOrigins: [],
      },
    }),
  },
  {
    title: 'Add knowledge text',
    description: 'Adds a Markdown document to a bot’s knowledge; visitors see it after the next publish.',
    query: `# Needs Authorization: Bearer <accessToken>. Headings become citation sections.
mutation AddKnowledgeText($botId: ID!, $input: KnowledgeTextInput!) {
  addKnowledgeText(botId: $botId, input: $input) {
    id
    title
    chunkCount
    createdAt
  }
}
`,
    variables: json({
      botId: 'BOT_ID_FROM_CREATE_BOT',
      input: {
        title: 'Pricing',
        text: '# Plans\n\n## Pro\n\nThe Pro plan costs 29 dollars per month and includes priority support.',
      },
    }),
  },
  {
    title: 'Publish a bot',
    description: 'Snapshots the draft and its knowledge as the live version visitors talk to.',
    query: `# Needs Authorization: Bearer <accessToken>.
mutation PublishBot($botId: ID!) {
  publishBot(botId: $botId) {
    id
    number
    publishedAt
  }
}
`,
    variables: json({ botId: 'BOT_ID_FROM_CREATE_BOT' }),
  },
  {
    title: 'Start a conversation',
    description: 'As a visitor (no account): returns the conversation id and a visitor token.',
    query: `# No account needed. The visitorToken authorises sendMessage and
# conversationEvents for this conversation: put it in the Authorization
# header with the Mascot panel ("Use token from the last response").
mutation StartConversation($embedId: String!) {
  startConversation(embedId: $embedId) {
    conversationId
    visitorToken
    bot {
      name
      greeting
    }
  }
}
`,
    variables: json({ embedId: 'EMBED_ID_FROM_ME_OR_CREATE_BOT' }),
  },
  {
    title: 'Send a message',
    description: 'A visitor message (visitor token). The reply streams on conversationEvents.',
    query: `# Needs Authorization: Bearer <visitorToken>. Start the conversationEvents
# subscription first (in its own tab) to watch the reply stream.
mutation SendMessage($conversationId: ID!, $text: String!) {
  sendMessage(conversationId: $conversationId, text: $text) {
    id
    conversationId
    role
    text
    createdAt
  }
}
`,
    variables: json({ conversationId: 'CONVERSATION_ID_FROM_START_CONVERSATION', text: 'How much does the Pro plan cost?' }),
  },
  {
    title: 'Conversation events (subscription)',
    description: 'Live events of a conversation over graphql-ws: subscribed, reply started, deltas, completed or failed.',
    query: `# Runs over the WebSocket (graphql-ws) with the Authorization header sent as
# connectionParams.authorization. Needs Bearer <visitorToken> of this conversation.
subscription ConversationEvents($conversationId: ID!) {
  conversationEvents(conversationId: $conversationId) {
    __typename
    ...Subscribed
    ...Started
    ...Delta
    ...Completed
    ...Failed
  }
}

fragment Subscribed on ConversationSubscribed {
  conversationId
  seq
}

fragment Started on ReplyStarted {
  messageId
  seq
}

fragment Delta on ReplyDelta {
  messageId
  delta
  seq
}

fragment Completed on ReplyCompleted {
  seq
  message {
    id
    text
    sources {
      marker
      documentTitle
      snippet
    }
  }
}

fragment Failed on ReplyFailed {
  messageId
  code
  reason
  seq
}
`,
    variables: json({ conversationId: 'CONVERSATION_ID_FROM_START_CONVERSATION' }),
  },
];
