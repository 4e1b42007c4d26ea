import { useState, type FormEvent } from 'react';
import { Button, Field, Input } from '../ui/index.ts';
import { ApiError, type SessionStore } from './session.ts';

/** Email and password of a Mascot account (the API's logIn); the demo account is printed in the server log. */
export function SignIn({ session }: { session: SessionStore }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(email.trim(), password);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'UNAUTHENTICATED' ? 'Wrong email or password.' : (caught as Error).message);
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form className="signin__card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="signin__brand" aria-hidden="true">M</div>
        <h1 id="signin-title">Sign in to Mascot Console</h1>
        <p className="signin__lead">Use your Mascot account: the same one as the API and Studio.</p>
        <Field label="Email">
          <Input type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </Field>
        <Field label="Password">
          <Input type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </Field>
        {error ? <p className="signin__error" role="alert">{error}</p> : null}
        <Button type="submit" variant="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</Button>
      </form>
    </main>
  );
}
