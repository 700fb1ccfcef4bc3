/**
 * History-API routing: the server answers every non-/api path with index.html, so a page's URL can be
 * bookmarked and reloaded. Each page gets an AbortSignal that fires when the user leaves it, which is
 * how pages stop polling and drop late responses.
 */
export interface PageContext {
  outlet: HTMLElement;
  params: string[];
  search: URLSearchParams;
  signal: AbortSignal;
}

export type Page = (context: PageContext) => void;

export interface Route {
  pattern: RegExp;
  title: string;
  page: () => Promise<Page>;
}

/** Client-side navigation from anywhere: the router follows popstate. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export class Router {
  private current: AbortController | null = null;

  constructor(
    private readonly routes: readonly Route[],
    private readonly outlet: HTMLElement,
    private readonly onChange: (path: string) => void,
  ) {
    window.addEventListener('popstate', () => void this.show());
    document.addEventListener('click', (event) => this.intercept(event));
  }

  async show(): Promise<void> {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const path = location.pathname;
    this.onChange(path);
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      document.title = `${route.title} · Meridian`;
      const page = await route.page();
      if (controller.signal.aborted) return;
      // A fresh element per page: lit-html remembers what it rendered into a container.
      const view = document.createElement('div');
      this.outlet.replaceChildren(view);
      page({ outlet: view, params: match.slice(1).map((p) => decodeURIComponent(p ?? '')), search: new URLSearchParams(location.search), signal: controller.signal });
      this.outlet.focus({ preventScroll: true });
      return;
    }
    document.title = 'Not found · Meridian';
    this.outlet.innerHTML = '<h1>Page not found</h1><p><a href="/">Go to the overview</a></p>';
  }

  /** Same-origin links become client-side navigations, except /api links and new-tab clicks. */
  private intercept(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api')) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  }
}
