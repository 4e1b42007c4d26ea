import { Button, useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from '@graphiql/react';
import { useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import { syncAuthorizationHeader, tokenFromInput, tokenInResponse, type TokenStore } from './authorization.ts';
import { EXAMPLE_OPERATIONS, type ExampleOperation } from './example-operations.ts';
import { operationNameFor } from './operation-name.ts';

export const MASCOT_PLUGIN_TITLE = 'Sign in and examples';

interface PanelDeps {
  tokens: TokenStore;
  /** Calls the logIn mutation; resolves to the access token. */
  logIn(email: string, password: string): Promise<string>;
}

/** A GraphiQL sidebar plugin: sign in (or paste a token), sign out, and open the saved examples. */
export function createMascotPlugin(deps: PanelDeps): GraphiQLPlugin {
  return {
    title: MASCOT_PLUGIN_TITLE,
    icon: MascotIcon,
    content: () => <MascotPanel {...deps} />,
  };
}

function MascotIcon() {
  // A key: the sign-in panel.
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <circle cx="8" cy="15" r="4" />
      <path d="M10.8 12.2 20 3m-3 3 2 2m-4.5.5 2 2" strokeLinecap="round" />
    </svg>
  );
}

/** Puts the current token into the active tab's headers editor, replacing whatever Authorization it had. */
export function useApplyTokenToActiveTab(tokens: TokenStore) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  return (token: string | null) => {
    tokens.set(token);
    if (!headerEditor) return;
    const next = syncAuthorizationHeader(headerEditor.getValue(), tokens.get(), tokens.isRetired, { force: true });
    if (next !== undefined) headerEditor.setValue(next);
  };
}

function MascotPanel({ tokens, logIn }: PanelDeps) {
  const token = useSyncExternalStore(tokens.subscribe, tokens.get);
  const applyToken = useApplyTokenToActiveTab(tokens);
  const responseEditor = useGraphiQL((state) => state.responseEditor);
  const [email, setEmail] = useState('demo@mascot.local');
  const [password, setPassword] = useState('');
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const ids = useId();

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      applyToken(await logIn(email.trim(), password));
      setPassword('');
      setMessage({ kind: 'info', text: `Signed in as ${email.trim()}.` });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  const applyPasted = (event: FormEvent) => {
    event.preventDefault();
    const value = tokenFromInput(pasted);
    if (!value) {
      setMessage({ kind: 'error', text: 'Paste an access token, visitor token or API key first.' });
      return;
    }
    applyToken(value);
    setPasted('');
    setMessage({ kind: 'info', text: 'Token set.' });
  };

  const applyFromResponse = () => {
    const found = tokenInResponse(responseEditor?.getValue() ?? '');
    if (!found) {
      setMessage({
        kind: 'error',
        text: 'The response has no accessToken or visitorToken. Run logIn, signUp or startConversation first.',
      });
      return;
    }
    applyToken(found);
    setMessage({ kind: 'info', text: 'Token from the last response set.' });
  };

  const signOut = () => {
    applyToken(null);
    setMessage({ kind: 'info', text: 'Signed out: the Authorization header is cleared.' });
  };

  return (
    <div className="mascot-panel">
      <div className="graphiql-doc-explorer-title">Mascot</div>

      <section aria-labelledby={`${ids}-auth`}>
        <h3 id={`${ids}-auth`}>Authorization</h3>
        <p className="mascot-status" data-testid="mascot-auth-status">
          {token ? (
            <>
              Sending <code>Authorization: Bearer {abbreviate(token)}</code> on HTTP and as the WebSocket&rsquo;s{' '}
              <code>connectionParams.authorization</code>.
            </>
          ) : (
            'Not signed in: requests are anonymous.'
          )}
        </p>

        <form onSubmit={signIn} className="mascot-form" aria-label="Sign in">
          <label htmlFor={`${ids}-email`}>Email</label>
          <input
            id={`${ids}-email`}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          <label htmlFor={`${ids}-password`}>Password</label>
          <input
            id={`${ids}-password`}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <Button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
          <p className="mascot-hint">The demo account&rsquo;s password is printed in the server log at start.</p>
        </form>

        <form onSubmit={applyPasted} className="mascot-form" aria-label="Use a token">
          <label htmlFor={`${ids}-token`}>Access token or API key</label>
          <input
            id={`${ids}-token`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="eyJ…"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
          />
          <Button type="submit">Use token</Button>
        </form>

        <div className="mascot-actions">
          <Button type="button" onClick={applyFromResponse}>
            Use token from the last response
          </Button>
          <Button type="button" onClick={signOut} disabled={!token}>
            Sign out
          </Button>
        </div>

        {message && (
          <p className={`mascot-message mascot-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        <p className="mascot-hint">
          The token is kept in this browser tab&rsquo;s sessionStorage only, and so are GraphiQL&rsquo;s tabs and
          history.
        </p>
      </section>

      <section aria-labelledby={`${ids}-examples`}>
        <h3 id={`${ids}-examples`}>Examples</h3>
        <ExampleList />
      </section>
    </div>
  );
}

function ExampleList() {
  const tabs = useGraphiQL((state) => state.tabs);
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const { addTab, changeTab, updateActiveTabValues } = useGraphiQLActions();

  const open = (example: ExampleOperation) => {
    const index = tabs.findIndex((tab) => tab.query?.trim() === example.query.trim());
    if (index !== -1) {
      changeTab(index);
      return;
    }
    addTab();
    queryEditor?.setValue(example.query);
    variableEditor?.setValue(example.variables ?? '');
    // The name goes in with the document; the fetcher checks it again at send time (operationNameFor).
    updateActiveTabValues({
      query: example.query,
      variables: example.variables ?? null,
      operationName: operationNameFor(example.query, null) ?? null,
    });
  };

  return (
    <ol className="mascot-examples">
      {EXAMPLE_OPERATIONS.map((example) => (
        <li key={example.title}>
          <button type="button" className="mascot-example" onClick={() => open(example)}>
            <strong>{example.title}</strong>
            <span>{example.description}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function abbreviate(token: string): string {
  return token.length > 16 ? `${token.slice(0, 8)}…${token.slice(-4)}` : token;
}
