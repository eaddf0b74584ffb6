/** The console shell: sign-in when the API asks for a key, hash routing, page rendering and errors. */
import './style.css';
import {
  ApiError,
  actor,
  currentIdentity,
  setActor,
  signInWithKey,
  signOut,
  whenUnauthorised,
  whoami,
} from './api.js';
import { dashboardPage } from './dashboard.js';
import { detailPage } from './detail.js';
import { dropDrafts } from './decide.js';
import { h, mount } from './dom.js';
import { errorText } from './forms.js';
import { forecastPage } from './forecast.js';
import { queuePage } from './queue.js';
import { screeningPage } from './screening.js';
import { casePage, casesPage } from './cases.js';
import { operatorPage, operatorsPage } from './operators.js';
import { ruleSetPage, rulesPage } from './rules.js';

const main = document.getElementById('main')!;
const who = document.getElementById('who')!;

function showIdentity(): void {
  const id = currentIdentity();
  if (id.authMode === 'keys') {
    mount(
      who,
      `${id.actor}${id.role ? ` (${id.role})` : ''} `,
      h(
        'button',
        {
          type: 'button',
          id: 'sign-out',
          onclick: async () => {
            // Signing out is deliberate: the tab keeps no unsent reasons for whoever signs in next.
            dropDrafts();
            await signOut().catch(() => undefined);
            location.reload();
          },
        },
        'Sign out',
      ),
    );
    return;
  }
  // Open mode: decisions are recorded under the name in this field (docs/console.md "Signing in"), so
  // the field always shows that name. A blank name, or one a request header cannot carry (every call
  // sends it as `x-actor`), is refused with a message and the name in force is put back.
  // Announced: the header (#who) is a polite live region.
  const message = h('span.actor-msg', { id: 'actor-msg' }, '');
  const input = h('input', {
    id: 'actor',
    name: 'actor',
    value: actor(),
    size: 16,
    maxlength: 200,
    autocomplete: 'off',
    'aria-describedby': 'actor-msg',
    oninput: () => {
      const problem = nameProblem(input.value.trim());
      message.textContent = problem ?? '';
      if (problem === null) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
    },
    onchange: () => {
      const name = input.value.trim();
      const problem = nameProblem(name);
      input.removeAttribute('aria-invalid');
      if (problem !== null) {
        input.value = actor();
        message.textContent = `${problem} Kept: ${actor()}.`;
        return;
      }
      input.value = name;
      message.textContent = '';
      setActor(name);
      // The decision form says the name it records under: the new one from now on.
      for (const el of document.querySelectorAll('.actor-name')) el.textContent = name;
    },
  }) as HTMLInputElement;
  mount(who, h('label', { for: 'actor' }, 'Officer '), input, message);
}

/** Why an officer name typed in open mode cannot be used, or null when it can. */
function nameProblem(name: string): string | null {
  if (name === '') return 'A name is required: decisions are recorded under it.';
  // Header values are Latin-1 text: a name outside it would make every call of the console fail.
  if (!/^[\x20-\x7e\xa0-\xff]+$/.test(name))
    return 'Use Latin letters, digits and punctuation only: the name travels with every request.';
  return null;
}

function signIn(message = ''): void {
  document.body.classList.add('signed-out');
  const key = h('input', {
    id: 'api-key',
    name: 'key',
    type: 'password',
    required: true,
    autocomplete: 'off',
  }) as HTMLInputElement;
  mount(
    main,
    h(
      'form.signin.card',
      {
        'aria-labelledby': 'signin-title',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          // A server that cannot be reached says so: the key was not refused, it was never sent.
          const accepted = await signInWithKey(key.value.trim()).catch((err: unknown) =>
            err instanceof ApiError && err.status === 0 ? ('unreachable' as const) : false,
          );
          key.value = '';
          if (accepted === 'unreachable') {
            signIn(
              'The parcelgate server could not be reached (it may be stopped, or the network is down): the key was not checked. Try again in a moment.',
            );
            return;
          }
          const r = accepted ? await whoami().catch(() => 'sign-in' as const) : 'sign-in';
          if (r !== 'ok') {
            signIn('That key was not accepted.');
            return;
          }
          document.body.classList.remove('signed-out');
          // The sign-in form leaves at once: the page asked for shows its own heading once loaded.
          mount(main, h('p.muted', { role: 'status' }, 'Loading…'));
          showIdentity();
          void route();
        },
      },
      h('h1', { id: 'signin-title' }, 'Sign in'),
      h(
        'p',
        {},
        'This parcelgate API requires an API key. It is exchanged for a signed session that ends when you sign out or after some hours; the key is not kept in the browser.',
      ),
      h('label', { for: 'api-key' }, 'API key'),
      key,
      message ? h('p.form-status.error', { role: 'alert' }, message) : null,
      h('button.primary', { type: 'submit' }, 'Sign in'),
    ),
  );
  key.focus();
}

async function route(): Promise<void> {
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  const page = parts[0] ?? 'queue';
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('data-nav') === (page === 'c' ? 'queue' : page))
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.onkeydown = null;
  try {
    if (page === 'c' && parts[1] && parts[2] === 'images')
      await screeningPage(main, decodeURIComponent(parts[1]));
    else if (page === 'c' && parts[1]) await detailPage(main, decodeURIComponent(parts[1]));
    else if (page === 'dashboard') await dashboardPage(main, params);
    else if (page === 'forecast') await forecastPage(main, params);
    else if (page === 'rules' && parts[1] && parts[2])
      await ruleSetPage(main, decodeURIComponent(parts[1]), Number(parts[2]));
    else if (page === 'rules') await rulesPage(main);
    else if (page === 'operators' && parts[1]) await operatorPage(main, decodeURIComponent(parts[1]));
    else if (page === 'operators') await operatorsPage(main, params);
    else if (page === 'cases' && parts[1]) await casePage(main, decodeURIComponent(parts[1]));
    else if (page === 'cases') await casesPage(main, params);
    else await queuePage(main, params);
    document.title = `${main.querySelector('h1')?.textContent ?? 'Console'} · parcelgate`;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    if (err instanceof ApiError && err.status === 403) {
      const role = currentIdentity().role;
      mount(
        main,
        h('h1', {}, 'Not available to your role'),
        h(
          'p',
          { id: 'denied', role: 'alert' },
          page === 'c'
            ? `Your role${role ? ` (${role})` : ''} may not open consignment documents: they hold personal data.`
            : `Your role${role ? ` (${role})` : ''} may not open this page.`,
        ),
        h('p', {}, h('a', { href: '#/queue' }, 'Back to the work queue')),
      );
      document.title = 'Not available · parcelgate';
      return;
    }
    mount(
      main,
      h('h1', {}, 'Something went wrong'),
      h('p.form-status.error', { role: 'alert' }, errorText(err)),
      h('p', {}, h('a', { href: '#/queue' }, 'Back to the work queue')),
    );
  }
}

async function start(): Promise<void> {
  whenUnauthorised(() => signIn('Your session has expired or was ended: sign in again.'));
  window.addEventListener('hashchange', () => {
    if (!document.body.classList.contains('signed-out')) void route();
  });
  // A page's keys (queue and consignment triage) listen on <main>. When the focused element leaves
  // with the page it was on (Enter on a queue row opens the consignment), the focus falls back to
  // <body>, outside <main>: keys pressed then go to the page's keys all the same.
  document.addEventListener('keydown', (e) => {
    if ((e.target === document.body || e.target === document.documentElement) && main.onkeydown)
      main.onkeydown(e);
  });
  const r = await whoami().catch(() => 'ok' as const);
  if (r !== 'ok') {
    signIn(r === 'session-refused' ? 'Your session has expired or was ended: sign in again.' : '');
    return;
  }
  showIdentity();
  await route();
}

void start();
