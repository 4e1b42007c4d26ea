/** The contract's operations as partners write them; tests use exactly these documents. */
export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { accessToken refreshToken user { id email } tenant { id name } }
  }`;

export const CREATE_BOT = /* GraphQL */ `
  mutation CreateBot($input: CreateBotInput!) { createBot(input: $input) { id name embedId greeting } }`;

export const ADD_KNOWLEDGE_TEXT = /* GraphQL */ `
  mutation AddKnowledge($botId: ID!, $input: KnowledgeTextInput!) {
    addKnowledgeText(botId: $botId, input: $input) { id title chunkCount }
  }`;

export const PUBLISH_BOT = /* GraphQL */ `
  mutation Publish($botId: ID!) { publishBot(botId: $botId) { id number } }`;

export const START_CONVERSATION = /* GraphQL */ `
  mutation Start($embedId: String!) { startConversation(embedId: $embedId) { conversationId visitorToken bot { name greeting } } }`;

export const SEND_MESSAGE = /* GraphQL */ `
  mutation Send($conversationId: ID!, $text: String!) { sendMessage(conversationId: $conversationId, text: $text) { id role text } }`;

export const CONVERSATION_EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq conversationId }
      ... on ReplyStarted { seq messageId }
      ... on ReplyDelta { seq messageId delta }
      ... on ReplyCompleted { seq message { id role text sources { marker documentTitle snippet sectionPath } } }
      ... on ReplyFailed { seq messageId code reason }
    }
  }`;

/** conversationEvents with replay and every event type this path produces, fields included. */
export const CONVERSATION_EVENTS_AFTER = /* GraphQL */ `
  subscription Events($conversationId: ID!, $afterSeq: Int) {
    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
      __typename
      ... on ConversationSubscribed { seq conversationId }
      ... on ReplyStarted { seq messageId }
      ... on ReplyDelta { seq messageId delta }
      ... on AvatarCue { seq messageId phase slot intensity reason intent sentiment }
      ... on ReplyCompleted { seq message { id role text sources { marker documentTitle snippet sectionPath } } }
      ... on ReplyFailed { seq messageId code reason }
      ... on HandoffStatusChanged { seq status }
      ... on HandoffUnavailable { seq cause nextOpeningAt }
      ... on MessagePosted { seq }
    }
  }`;

export const LOG_IN = /* GraphQL */ `
  mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken user { id email } tenant { id name } } }`;

export const REFRESH_SESSION = /* GraphQL */ `
  mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { accessToken refreshToken tenant { id } } }`;

export const LOG_OUT = /* GraphQL */ `mutation { logOut }`;

export const ME = /* GraphQL */ `
  query Me { me { user { id email } tenant { id name } role isPlatformAdmin memberships { tenant { id name } role } } }`;

export const SWITCH_TENANT = /* GraphQL */ `
  mutation Switch($tenantId: ID!) { switchTenant(tenantId: $tenantId) { accessToken refreshToken tenant { id name } } }`;

export const CREATE_API_KEY = /* GraphQL */ `
  mutation CreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name prefix scopes lastUsedAt revokedAt } } }`;

export const REVOKE_API_KEY = /* GraphQL */ `
  mutation RevokeKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

export const API_KEYS = /* GraphQL */ `
  query Keys($first: Int, $after: String) {
    apiKeys(first: $first, after: $after) { edges { cursor node { id name prefix scopes lastUsedAt revokedAt } } pageInfo { hasNextPage endCursor } }
  }`;

export const INVITE_MEMBER = /* GraphQL */ `
  mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { token inviteUrl invitation { id email role } } }`;

export const ACCEPT_INVITATION = /* GraphQL */ `
  mutation Accept($token: String!) { acceptInvitation(token: $token) { accessToken refreshToken tenant { id name } } }`;

export const MEMBERS = /* GraphQL */ `
  query Members($first: Int, $after: String) {
    members(first: $first, after: $after) { edges { node { userId email role } } pageInfo { hasNextPage endCursor } }
  }`;

export const UPDATE_MEMBER_ROLE = /* GraphQL */ `
  mutation Role($userId: ID!, $role: MemberRole!) { updateMemberRole(userId: $userId, role: $role) { userId role } }`;

export const REMOVE_MEMBER = /* GraphQL */ `mutation Remove($userId: ID!) { removeMember(userId: $userId) }`;

export const AUDIT_LOG = /* GraphQL */ `
  query Audit($first: Int, $after: String) {
    auditLog(first: $first, after: $after) { edges { node { action actorType actorId targetType targetId metadata } } pageInfo { hasNextPage endCursor } }
  }`;

export const BOTS = /* GraphQL */ `query Bots { bots { edges { node { id name } } } }`;

export const RATE_ANSWER = /* GraphQL */ `
  mutation RateAnswer($conversationId: ID!, $messageId: ID!, $input: AnswerFeedbackInput!) {
    rateAnswer(conversationId: $conversationId, messageId: $messageId, input: $input) { id conversationId messageId helpful comment createdAt updatedAt }
  }`;

export const RATE_CONVERSATION = /* GraphQL */ `
  mutation RateConversation($conversationId: ID!, $input: ConversationRatingInput!) {
    rateConversation(conversationId: $conversationId, input: $input) { id conversationId rating comment createdAt updatedAt }
  }`;

export const CONVERSATION_TRANSCRIPT = /* GraphQL */ `
  query Transcript($conversationId: ID!) {
    conversationTranscript(conversationId: $conversationId) { id role text createdAt authorName sources { marker documentTitle } }
  }`;

export const BOT_FEEDBACK_ANALYTICS = /* GraphQL */ `
  query FeedbackAnalytics($botId: ID!, $from: String!, $to: String!) {
    botAnalytics(botId: $botId, from: $from, to: $to) {
      days { day feedback { helpfulAnswers unhelpfulAnswers helpfulShare csatResponses csatAverage csatSatisfiedShare csatDistribution } }
      totals { feedback { helpfulAnswers unhelpfulAnswers helpfulShare csatResponses csatAverage csatSatisfiedShare csatDistribution } }
    }
  }`;

export const ANSWER_FEEDBACK = /* GraphQL */ `
  query AnswerFeedback($botId: ID!, $helpful: Boolean, $first: Int, $after: String) {
    answerFeedback(botId: $botId, helpful: $helpful, first: $first, after: $after) {
      edges { node { id botId conversationId messageId helpful comment createdAt updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const CONVERSATION_RATINGS = /* GraphQL */ `
  query ConversationRatings($botId: ID!, $first: Int, $after: String) {
    conversationRatings(botId: $botId, first: $first, after: $after) {
      edges { node { id botId conversationId rating comment createdAt updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
