import { html, render } from 'lit-html';
import './style.css';
import { Router, type Route } from './router.ts';

const routes: Route[] = [
  { pattern: /^\/$/, title: 'Overview', page: async () => (await import('./pages/home.ts')).homePage },
  { pattern: /^\/jobs\/?$/, title: 'Jobs', page: async () => (await import('./pages/jobs.ts')).jobsPage },
  { pattern: /^\/jobs\/([0-9a-f]{64})$/, title: 'Job', page: async () => (await import('./pages/job.ts')).jobPage },
  { pattern: /^\/submit\/?$/, title: 'Submit', page: async () => (await import('./pages/submit.ts')).submitPage },
  { pattern: /^\/catalog\/?$/, title: 'Catalog', page: async () => (await import('./pages/catalog.ts')).catalogPage },
  { pattern: /^\/catalog\/([^/]+)$/, title: 'Dataset', page: async () => (await import('./pages/dataset.ts')).datasetPage },
  { pattern: /^\/view\/vector\/([^/]+)$/, title: 'Vector viewer', page: async () => (await import('./pages/vector-viewer.ts')).vectorViewerPage },
  { pattern: /^\/view\/raster\/([^/]+)\/([^/]+)$/, title: 'Raster viewer', page: async () => (await import('./pages/raster-viewer.ts')).rasterViewerPage },
  { pattern: /^\/approvals\/?$/, title: 'Approvals', page: async () => (await import('./pages/approvals.ts')).approvalsPage },
  { pattern: /^\/storage\/?$/, title: 'Storage', page: async () => (await import('./pages/storage.ts')).storagePage },
  { pattern: /^\/storage\/([^/]+)$/, title: 'Storage', page: async () => (await import('./pages/storage.ts')).containerPage },
  { pattern: /^\/auth\/?$/, title: 'Sign in', page: async () => (await import('./pages/auth.ts')).authPage },
  { pattern: /^\/auth\/callback$/, title: 'Signing in', page: async () => (await import('./pages/auth.ts')).authCallbackPage },
];

const NAV = [
  ['/', 'Overview'],
  ['/jobs', 'Jobs'],
  ['/submit', 'Submit'],
  ['/catalog', 'Catalog'],
  ['/approvals', 'Approvals'],
  ['/storage', 'Storage'],
  ['/auth', 'Sign in'],
] as const;

function section(path: string): string {
  if (path.startsWith('/view/')) return '/catalog';
  const first = `/${path.split('/')[1] ?? ''}`;
  return NAV.some(([href]) => href === first) ? first : '';
}

function shell(path: string) {
  const active = section(path);
  return html`<header class="top">
      <a class="brand" href="/">Meridian</a>
      <nav aria-label="Main">
        <ul>
          ${NAV.map(([href, label]) => html`<li><a href=${href} aria-current=${href === active ? 'page' : 'false'}>${label}</a></li>`)}
          <li><a href="/api/docs/" target="_blank" rel="noopener">API docs</a></li>
        </ul>
      </nav>
    </header>
    <main id="main" tabindex="-1"></main>`;
}

const root = document.getElementById('app')!;
render(shell(location.pathname), root);
const outlet = root.querySelector('main')!;
const router = new Router(routes, outlet, (path) => render(shell(path), root));
void router.show();
