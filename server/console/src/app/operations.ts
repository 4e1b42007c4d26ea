// The shell's GraphQL operations (sign-in, tokens, the signed-in member). server/src/app/console-operations.test.ts
// validates every exported operation of the Console against schema/schema.graphql and the server's limits.

export const VIEWER_QUERY = /* GraphQL */ `
  query ConsoleViewer {
    me {
      user { id email }
      tenant { id name }
      role
      isPlatformAdmin
      memberships { role tenant { id name } }
    }
  }
`;

export const LOG_IN = /* GraphQL */ `mutation ConsoleLogIn($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }`;
export const LOG_OUT = /* GraphQL */ `mutation ConsoleLogOut { logOut }`;
export const REFRESH_SESSION = /* GraphQL */ `mutation ConsoleRefresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { accessToken refreshToken } }`;
export const SWITCH_TENANT = /* GraphQL */ `mutation ConsoleSwitchTenant($tenantId: ID!) { switchTenant(tenantId: $tenantId) { accessToken refreshToken } }`;
