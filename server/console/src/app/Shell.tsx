import { lazy, Suspense, useEffect, useMemo, type ComponentType, type LazyExoticComponent } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { screens, type ScreenEntry } from '../screens/registry.ts';
import { Badge, Button, EmptyState, Icon, useToast } from '../ui/index.ts';
import { useSession } from './session-context.tsx';
import { roleLabel } from './roles.ts';
import { useViewer, type Viewer } from './viewer.tsx';

export const mayOpen = (screen: ScreenEntry, viewer: Viewer) =>
  screen.roles.includes(viewer.role) && (!screen.platformAdmin || viewer.isPlatformAdmin);

/** One React.lazy per screen, made once, so moving between screens never reloads a chunk. */
const lazyScreens = new Map<ScreenEntry, LazyExoticComponent<ComponentType>>();
const lazyScreen = (screen: ScreenEntry) => {
  let component = lazyScreens.get(screen);
  if (!component) lazyScreens.set(screen, (component = lazy(screen.load)));
  return component;
};

const isActive = (location: string, path: string) => location === path || location.startsWith(`${path}/`);

function Sidebar({ allowed }: { allowed: ScreenEntry[] }) {
  const [location] = useLocation();
  return (
    <nav className="shell__nav" aria-label="Console">
      <div className="shell__brand"><span className="shell__logo" aria-hidden="true">M</span><span className="shell__brand-text">Mascot Console</span></div>
      <ul>
        {allowed.map((screen) => {
          const active = isActive(location, screen.path);
          return (
            <li key={screen.path}>
              <Link href={screen.path} className="shell__link" aria-current={active ? 'page' : undefined} title={screen.title}>
                <span className="shell__icon"><Icon name={screen.icon} fallback={screen.title.charAt(0)} /></span>
                <span className="shell__label">{screen.title}</span>
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="shell__nav-foot">
        <a className="shell__link" href="/graphql" title="GraphQL explorer">
          <span className="shell__icon"><Icon name="explorer" fallback="G" /></span><span className="shell__label">GraphQL explorer</span>
        </a>
      </div>
    </nav>
  );
}

function TenantSwitcher() {
  const viewer = useViewer();
  const session = useSession();
  const notify = useToast();
  if (viewer.memberships.length < 2) return <span className="shell__tenant-name">{viewer.tenant.name}</span>;
  return (
    <>
      <label className="visually-hidden" htmlFor="tenant-switcher">Tenant</label>
      <select
        id="tenant-switcher"
        className="ui-select shell__tenant-select"
        value={viewer.tenant.id}
        onChange={(event) => {
          session.switchTenant(event.target.value).catch((error: Error) => notify(error.message, 'danger'));
        }}
      >
        {viewer.memberships.map((membership) => (
          <option key={membership.tenant.id} value={membership.tenant.id}>{membership.tenant.name} ({roleLabel(membership.role)})</option>
        ))}
      </select>
    </>
  );
}

function Header({ onSignOut }: { onSignOut: () => void }) {
  const viewer = useViewer();
  return (
    <header className="shell__header">
      <div className="shell__tenant">
        <TenantSwitcher />
        {viewer.isPlatformAdmin ? <Badge tone="warning">Platform admin</Badge> : null}
      </div>
      <div className="shell__member">
        <span className="shell__email" data-testid="signed-in-member">{viewer.user.email}</span>
        <Badge tone="accent">{roleLabel(viewer.role)}</Badge>
        <Button size="small" onClick={onSignOut}>Sign out</Button>
      </div>
    </header>
  );
}

function ScreenTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = `${title} · Mascot Console`;
  }, [title]);
  return null;
}

/** Sidebar, header and the screen for the URL; screens the member's role may not open are neither listed nor rendered. */
export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const viewer = useViewer();
  const allowed = useMemo(() => screens.filter((screen) => mayOpen(screen, viewer)), [viewer]);
  return (
    <div className="shell">
      <Sidebar allowed={allowed} />
      <div className="shell__main">
        <Header onSignOut={onSignOut} />
        <main className="shell__content" id="main">
          <Suspense fallback={<p className="shell__loading" role="status">Loading…</p>}>
            <Switch>
              {screens.map((screen) => {
                const Screen = lazyScreen(screen);
                return (
                  <Route key={screen.path} path={screen.path} nest>
                    <ScreenTitle title={screen.title} />
                    {mayOpen(screen, viewer) ? <Screen /> : (
                      <EmptyState title="No access">Your role ({roleLabel(viewer.role)}) cannot open {screen.title}. Ask an owner or admin.</EmptyState>
                    )}
                  </Route>
                );
              })}
              <Route path="/">
                {allowed[0] ? <Redirect to={allowed[0].path} replace /> : <EmptyState title="Nothing to show">Your role has no Console screens.</EmptyState>}
              </Route>
              <Route>
                <EmptyState title="Page not found" action={<Link href="/">Go to the start</Link>}>There is no Console page at this address.</EmptyState>
              </Route>
            </Switch>
          </Suspense>
        </main>
      </div>
    </div>
  );
}
