import type { LiveClientEvents, LiveServerEvents } from '@ioc/contracts';
import { io, type Socket } from 'socket.io-client';
import type { DevLoginAnswer, WallCity, WallSettings } from '../../src/wall/wall.types';
import { isExpired, permissions, type Session, sessionFromToken, tokenFromFragment } from './auth';
import { CityMap, type Selection, Sparkline } from './charts';
import { congestionColour, kpiStatusColour, SCALES } from './colours';
import {
  DEFAULT_LOCALE,
  formatKpiValue,
  formatTime,
  isLocale,
  kpiStatusKey,
  label,
  type Locale,
  type MessageKey,
  nameIn,
  otherLocale,
  translate,
} from './i18n';
import { type ConnectionState, LiveSession, type LiveSocketPort } from './live-session';
import { type FeedEntry, WallStore } from './state';

/**
 * The operations wall: the city map with live reports, incidents, cameras and congestion, KPI tiles, the feed of
 * latest events and the selected item with the operator's actions. Everything shown comes from the gateway:
 * `/wall/city.json` (reference data), `/wall/settings`, the `/live` Socket.IO namespace and the REST proxies.
 */
const TOKEN_KEY = 'ioc.wall.token';
const LOCALE_KEY = 'ioc.wall.locale';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let locale: Locale = readLocale();
let session: Session | undefined;
let live: LiveSession | undefined;
let store = new WallStore();
let map: CityMap;
let city: WallCity;
let settings: WallSettings;
let connection: ConnectionState = 'connecting';
let selection: Selection | undefined;
let actionNote: { text: string; error: boolean } | undefined;
const sparklines = new Map<string, Sparkline>();
let renderQueued = false;

void main();

async function main(): Promise<void> {
  [city, settings] = await Promise.all([
    getJson<WallCity>('/wall/city.json'),
    getJson<WallSettings>('/wall/settings'),
  ]);
  map = new CityMap($('map'), city, (picked) => select(picked));
  wireControls();
  const fromFragment = tokenFromFragment(location.hash);
  if (fromFragment.token !== undefined) {
    sessionStorage.setItem(TOKEN_KEY, fromFragment.token);
    history.replaceState(null, '', `${location.pathname}${location.search}${fromFragment.rest}`);
  }
  const stored = sessionStorage.getItem(TOKEN_KEY);
  const restored = stored === null ? undefined : sessionFromToken(stored);
  if (restored !== undefined && !isExpired(restored, Date.now())) signIn(restored);
  else showLogin();
  renderAll();
}

function signIn(next: Session): void {
  live?.stop();
  session = next;
  sessionStorage.setItem(TOKEN_KEY, next.token);
  store = new WallStore(next.viewer);
  selection = undefined;
  const socket: Socket<LiveServerEvents, LiveClientEvents> = io('/live', {
    auth: { token: next.token },
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  live = new LiveSession(socket as unknown as LiveSocketPort, store, {
    onChange: ({ state, error }) => {
      connection = state;
      if (error !== undefined) console.warn(`live: ${error}`);
      if (state === 'unauthorised' || state === 'expired') showLogin();
      queueRender();
    },
  });
  ($('login') as HTMLDialogElement).close();
  live.start();
}

function signOut(): void {
  live?.stop();
  live = undefined;
  session = undefined;
  sessionStorage.removeItem(TOKEN_KEY);
  store = new WallStore();
  connection = 'unauthorised';
  showLogin();
  renderAll();
}

function wireControls(): void {
  $('lang').addEventListener('click', () => {
    locale = otherLocale(locale);
    localStorage.setItem(LOCALE_KEY, locale);
    renderAll();
  });
  $('logout').addEventListener('click', signOut);
  const role = $<HTMLSelectElement>('login-role');
  for (const value of ['operator', 'agency'] as const) role.append(new Option(value, value));
  const agency = $<HTMLSelectElement>('login-agency');
  for (const item of city.agencies) agency.append(new Option(item.id, item.id));
  const syncAgency = () => (agency.disabled = role.value !== 'agency');
  role.addEventListener('change', syncAgency);
  syncAgency();
  $('dev-login').hidden = !settings.devLogin;
  $('dev-login').addEventListener('submit', (event) => {
    event.preventDefault();
    void devLogin(role.value, agency.disabled ? undefined : agency.value);
  });
  $('token-login').addEventListener('submit', (event) => {
    event.preventDefault();
    const next = sessionFromToken($<HTMLTextAreaElement>('login-token').value);
    if (next === undefined) return loginError('AUTH.INVALID_TOKEN');
    signIn(next);
  });
  $('login').addEventListener('cancel', (event) => {
    if (session === undefined) event.preventDefault();
  });
}

async function devLogin(role: string, agencyId: string | undefined): Promise<void> {
  const response = await fetch('/wall/dev-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(agencyId === undefined ? { role } : { role, agencyId }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<DevLoginAnswer> & { code?: string };
  const next = response.ok && body.token !== undefined ? sessionFromToken(body.token) : undefined;
  if (next === undefined) return loginError(body.code ?? String(response.status));
  signIn(next);
}

function loginError(code: string): void {
  $('login-error').textContent = translate(locale, 'login.failed', { code });
}

function showLogin(): void {
  const dialog = $('login') as HTMLDialogElement;
  if (!dialog.open) dialog.showModal();
}

function select(picked: Selection | undefined): void {
  selection = picked;
  actionNote = undefined;
  renderDetails();
}

function queueRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderLive();
  });
}

function renderAll(): void {
  document.documentElement.lang = locale;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = translate(locale, element.dataset.i18n as MessageKey);
  }
  document.title = `IOC · ${nameIn(locale, city.city.names, city.city.code)}`;
  $('city').textContent = nameIn(locale, city.city.names, city.city.code);
  $('lang').textContent = translate(locale, 'lang.switch');
  $('lang').title = translate(locale, 'lang.switchTitle');
  $('logout').textContent = translate(locale, 'login.logout');
  for (const option of $<HTMLSelectElement>('login-role').options) {
    option.textContent = translate(locale, `role.${option.value}` as MessageKey);
  }
  for (const option of $<HTMLSelectElement>('login-agency').options) {
    option.textContent = nameIn(
      locale,
      city.agencies.find((a) => a.id === option.value)?.names,
      option.value,
    );
  }
  renderLegend();
  renderLive();
}

function renderLive(): void {
  const badge = $('connection');
  badge.dataset.state = connection;
  badge.textContent = translate(locale, `conn.${connection}` as MessageKey);
  $('updated').textContent =
    store.updatedAt === undefined
      ? ''
      : translate(locale, 'conn.since', { time: formatTime(locale, store.updatedAt, city.city.timezone) });
  $('user').textContent =
    session === undefined
      ? ''
      : session.viewer.roles.includes('operator')
        ? translate(locale, 'user.operator')
        : translate(locale, 'user.agency', { agency: agencyName(session.viewer.agencyId) });
  $('logout').hidden = session === undefined;
  map.render(store, locale);
  renderItemList();
  renderTiles();
  renderFeed();
  renderDetails();
}

function renderLegend(): void {
  const legend = $('legend');
  legend.replaceChildren(
    ...(['free', 'slow', 'congested', 'jammed'] as const).map((level) =>
      swatch(
        congestionColour(level),
        `${translate(locale, 'map.roads')}: ${label(locale, 'level', level)}`,
        'li',
      ),
    ),
    ...(['low', 'medium', 'high', 'critical'] as const).map((severity) =>
      swatch(
        SCALES.severity[severity],
        `${translate(locale, 'map.incidents')}: ${label(locale, 'severity', severity)}`,
        'li',
      ),
    ),
  );
}

function swatch(colour: string, text: string, tag: 'li' | 'span'): HTMLElement {
  const element = document.createElement(tag);
  element.classList.add('swatch');
  element.style.setProperty('--swatch', colour);
  element.textContent = text;
  return element;
}

/** The map's markers as buttons, for keyboard and screen-reader users (the canvas is not accessible). */
function renderItemList(): void {
  const buttons: HTMLButtonElement[] = [];
  const add = (kind: Selection['kind'], id: string, text: string) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.kind = kind;
    button.dataset.id = id;
    button.textContent = text;
    button.addEventListener('click', () => select({ kind, id }));
    buttons.push(button);
  };
  for (const incident of store.incidents.values()) {
    add('incident', incident.incidentId, `${label(locale, 'class', incident.class)} ${incident.incidentId}`);
  }
  for (const report of store.reports.values())
    add('report', report.reportId, translate(locale, 'item.report', { code: report.trackingCode }));
  $('map-items').replaceChildren(...buttons);
  $('map').dataset.incidents = String(store.incidents.size);
  $('map').dataset.reports = String(store.reports.size);
}

function renderTiles(): void {
  const dimension =
    session?.viewer.roles.includes('operator') === false && session.viewer.agencyId !== undefined
      ? { kind: 'agency', code: session.viewer.agencyId }
      : { kind: 'city' };
  const tiles = store.tiles(dimension);
  const container = $('kpis');
  if (tiles.length === 0) {
    container.replaceChildren(text('p', translate(locale, 'panel.noKpis'), 'muted'));
    sparklines.clear();
    return;
  }
  const keep = new Set<string>();
  const elements = tiles.map((tile) => {
    const { current } = tile;
    keep.add(current.kpiCode);
    let element = container.querySelector<HTMLElement>(`[data-kpi="${CSS.escape(current.kpiCode)}"]`);
    if (element === null) {
      element = document.createElement('article');
      element.className = 'tile';
      element.dataset.kpi = current.kpiCode;
      element.append(
        text('div', '', 'name'),
        text('div', '', 'value'),
        text('div', '', 'status'),
        text('div', '', 'meta'),
      );
      const spark = text('div', '', 'spark');
      element.append(spark);
      sparklines.set(current.kpiCode, new Sparkline(spark));
    }
    const colour = kpiStatusColour(current.status);
    element.style.setProperty('--status', colour);
    element.dataset.status = current.status ?? 'none';
    const catalog = city.kpis.find((kpi) => kpi.code === current.kpiCode);
    setText(element, '.name', nameIn(locale, catalog?.names, current.kpiCode));
    setText(element, '.value', formatKpiValue(locale, current.value, current.unit ?? catalog?.unit));
    setText(element, '.status', translate(locale, kpiStatusKey(current.status)));
    const parts = [
      current.target === undefined
        ? translate(locale, 'kpi.noTarget')
        : translate(locale, 'kpi.target', {
            value: formatKpiValue(locale, current.target, current.unit ?? catalog?.unit),
          }),
    ];
    if (current.projection !== undefined) {
      parts.push(
        translate(locale, 'kpi.projection', {
          value: formatKpiValue(locale, current.projection.value, current.unit ?? catalog?.unit),
        }),
      );
    }
    setText(element, '.meta', parts.join(' · '));
    sparklines.get(current.kpiCode)?.render(tile.points, colour, current.target);
    return element;
  });
  for (const code of [...sparklines.keys()]) if (!keep.has(code)) sparklines.delete(code);
  container.replaceChildren(...elements);
}

function renderFeed(): void {
  const feed = $('feed');
  if (store.feed.length === 0) {
    feed.replaceChildren(text('li', translate(locale, 'panel.noEvents'), 'muted'));
    return;
  }
  feed.replaceChildren(
    ...store.feed.map((entry) => {
      const item = document.createElement('li');
      item.dataset.eventId = entry.eventId;
      item.dataset.stream = entry.stream;
      const time = text('time', formatTime(locale, entry.time, city.city.timezone));
      time.setAttribute('datetime', entry.time);
      item.append(
        time,
        text('span', translate(locale, `stream.${entry.stream}` as MessageKey), 'stream'),
        text('span', feedText(entry)),
      );
      const kind = FEED_KIND[entry.stream];
      if (kind !== undefined) item.addEventListener('click', () => select({ kind, id: entry.itemId }));
      return item;
    }),
  );
}

const FEED_KIND: Partial<Record<FeedEntry['stream'], Selection['kind']>> = {
  reports: 'report',
  incidents: 'incident',
  cameras: 'camera',
  traffic: 'segment',
};

function feedText(entry: FeedEntry): string {
  switch (entry.stream) {
    case 'reports': {
      const report = store.reports.get(entry.itemId);
      return report === undefined
        ? entry.type
        : translate(locale, 'feed.report', {
            status: label(locale, 'status', report.status),
            code: report.trackingCode,
          });
    }
    case 'incidents': {
      const incident = store.incidents.get(entry.itemId);
      return incident === undefined
        ? entry.type
        : translate(locale, 'feed.incident', {
            status: label(locale, 'status', incident.status),
            class: label(locale, 'class', incident.class),
            severity: label(locale, 'severity', incident.severity),
          });
    }
    case 'cameras': {
      const camera = store.cameras.get(entry.itemId);
      const names = city.cameras.find((c) => c.id === entry.itemId)?.names;
      return camera === undefined
        ? entry.type
        : translate(locale, 'feed.camera', {
            name: nameIn(locale, names, entry.itemId),
            status: label(locale, 'status', camera.status),
          });
    }
    case 'traffic': {
      const segment = store.segments.get(entry.itemId);
      const names = city.segments.find((s) => s.id === entry.itemId)?.names;
      return segment === undefined
        ? entry.type
        : translate(locale, 'feed.traffic', {
            name: nameIn(locale, names, entry.itemId),
            level: label(locale, 'level', segment.level),
          });
    }
    case 'kpi': {
      const names = city.kpis.find((k) => entry.itemId.startsWith(k.code))?.names;
      return nameIn(locale, names, entry.itemId);
    }
  }
}

function renderDetails(): void {
  const body = $('details-body');
  body.replaceChildren();
  if (selection === undefined) {
    body.append(text('p', translate(locale, 'panel.select'), 'muted'));
    return;
  }
  const rows: [MessageKey, string][] = [];
  let heading = '';
  const actions = document.createElement('div');
  actions.className = 'actions';
  const allowed = permissions(session?.viewer ?? { roles: [] });
  if (selection.kind === 'incident') {
    const incident = store.incidents.get(selection.id);
    if (incident === undefined) return void body.append(text('p', translate(locale, 'common.none'), 'muted'));
    heading = translate(locale, 'item.incident', { id: incident.incidentId });
    rows.push(
      ['field.class', label(locale, 'class', incident.class)],
      ['field.severity', label(locale, 'severity', incident.severity)],
      ['field.status', label(locale, 'status', incident.status)],
      ['field.count', String(incident.count)],
      ['field.firstSeenAt', formatTime(locale, incident.firstSeenAt, city.city.timezone)],
      ['field.lastSeenAt', formatTime(locale, incident.lastSeenAt, city.city.timezone)],
      ['field.unit', unitName(incident.adminUnitCode)],
      ['field.agency', agencyName(incident.agencyId)],
    );
    if (allowed.acknowledgeIncident) {
      const button = text('button', translate(locale, 'action.acknowledge')) as HTMLButtonElement;
      button.id = 'acknowledge';
      button.disabled = incident.status !== 'open' && incident.status !== 'assigned';
      button.addEventListener(
        'click',
        () => void act(`/api/incidents/${encodeURIComponent(incident.incidentId)}/acknowledge`, undefined),
      );
      actions.append(button);
    }
  } else if (selection.kind === 'report') {
    const report = store.reports.get(selection.id);
    if (report === undefined) return void body.append(text('p', translate(locale, 'common.none'), 'muted'));
    heading = translate(locale, 'item.report', { code: report.trackingCode });
    rows.push(
      ['field.status', label(locale, 'status', report.status)],
      [
        'field.category',
        nameIn(
          locale,
          city.categories.find((c) => c.code === report.categoryCode)?.names,
          report.categoryCode,
        ),
      ],
      ['field.channel', report.channel],
      ['field.unit', report.adminUnitCodes.map(unitName).join(', ') || translate(locale, 'common.none')],
      ['field.agency', agencyName(report.agencyId)],
      ['field.submittedAt', formatTime(locale, report.submittedAt, city.city.timezone)],
      ['field.dueAt', formatTime(locale, report.resolveDueAt, city.city.timezone)],
      ['field.overdue', translate(locale, report.overdue ? 'common.yes' : 'common.no')],
    );
    if (allowed.assignReport) {
      const picker = document.createElement('select');
      picker.id = 'assign-agency';
      picker.append(new Option(translate(locale, 'action.pickAgency'), ''));
      for (const agency of city.agencies)
        picker.append(new Option(nameIn(locale, agency.names, agency.id), agency.id));
      const button = text('button', translate(locale, 'action.assign')) as HTMLButtonElement;
      button.id = 'assign';
      button.addEventListener('click', () => {
        if (picker.value !== '')
          void act(`/api/reports/${encodeURIComponent(report.reportId)}/assign`, { agencyId: picker.value });
      });
      actions.append(picker, button);
    }
  } else if (selection.kind === 'camera') {
    const reference = city.cameras.find((c) => c.id === selection?.id);
    const camera = store.cameras.get(selection.id);
    heading = translate(locale, 'item.camera', { name: nameIn(locale, reference?.names, selection.id) });
    rows.push(
      [
        'field.status',
        camera === undefined ? translate(locale, 'common.none') : label(locale, 'status', camera.status),
      ],
      ['field.since', formatTime(locale, camera?.since, city.city.timezone)],
      ['field.unit', unitName(reference?.adminUnitCode)],
      ['field.agency', agencyName(reference?.ownerAgencyId)],
    );
  } else {
    const reference = city.segments.find((s) => s.id === selection?.id);
    const segment = store.segments.get(selection.id);
    heading = translate(locale, 'item.segment', { name: nameIn(locale, reference?.names, selection.id) });
    rows.push(
      [
        'field.level',
        segment === undefined ? translate(locale, 'common.none') : label(locale, 'level', segment.level),
      ],
      [
        'field.speed',
        segment?.speedKmh === undefined
          ? translate(locale, 'common.none')
          : `${Math.round(segment.speedKmh)} km/h`,
      ],
      ['field.since', formatTime(locale, segment?.observedAt, city.city.timezone)],
      ['field.unit', unitName(reference?.adminUnitCode)],
    );
  }
  const list = document.createElement('dl');
  for (const [key, value] of rows) list.append(text('dt', translate(locale, key)), text('dd', value));
  body.append(text('h3', heading), list, actions);
  if (actionNote !== undefined) {
    const note = text('p', actionNote.text, actionNote.error ? 'error' : 'muted');
    note.id = 'action-note';
    note.setAttribute('role', 'status');
    body.append(note);
  }
  body.dataset.kind = selection.kind;
  body.dataset.id = selection.id;
}

/** Calls a gateway REST proxy with the session's token; the change itself arrives over the live stream. */
async function act(path: string, body: unknown): Promise<void> {
  if (session === undefined) return;
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${session.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch(() => undefined);
  if (response?.ok) {
    actionNote = { text: translate(locale, 'action.done'), error: false };
  } else {
    const error = (await response?.json().catch(() => undefined)) as { code?: string } | undefined;
    actionNote = {
      text: translate(locale, 'action.failed', {
        code: error?.code ?? String(response?.status ?? 'NETWORK'),
      }),
      error: true,
    };
  }
  renderDetails();
}

function agencyName(id: string | undefined): string {
  if (id === undefined) return translate(locale, 'common.none');
  return nameIn(locale, city.agencies.find((agency) => agency.id === id)?.names, id);
}

function unitName(code: string | undefined): string {
  if (code === undefined) return translate(locale, 'common.none');
  return nameIn(
    locale,
    city.units.features.find((unit) => unit.properties.name === code)?.properties.names,
    code,
  );
}

function text(tag: string, content: string, className?: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className !== undefined) element.className = className;
  return element;
}

function setText(parent: HTMLElement, selector: string, content: string): void {
  const element = parent.querySelector(selector);
  if (element !== null) element.textContent = content;
}

function readLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}
