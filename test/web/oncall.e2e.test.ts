import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn, screenshot, startWebServer, type WebServer } from '../support/browser.ts';

// The browser runs in Jakarta (no daylight saving), so a day is 24 hours from local midnight
// and the test can say which instants each column covers without the app's week arithmetic.
const ZONE = 'Asia/Jakarta';
const OFFSET = 7 * 3_600_000;
const DAY = 86_400_000;
const BOB = 'bob@example.com';

type Shift = { user: string; start: string; end: string; layer: number };
type Listed = { id: string; user: string; from: string; to: string; from_file: boolean };

const localDate = (ms: number) => new Date(ms + OFFSET).toISOString().slice(0, 10);
const hhmm = (ms: number) => new Date(ms + OFFSET).toISOString().slice(11, 16);
/** Midnight (as an instant) starting the Monday of the week `ms` falls in, Jakarta time. */
function mondayStart(ms: number): number {
  const wall = new Date(ms + OFFSET);
  const back = (wall.getUTCDay() + 6) % 7;
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() - back) - OFFSET;
}

describe('the on-call calendar in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  const headers = () => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
  const shiftsOf = async (from: number): Promise<Shift[]> => {
    const q = `from=${new Date(from).toISOString()}&to=${new Date(from + 7 * DAY).toISOString()}`;
    const r = await fetch(`${server.url}/api/v1/schedules/weekly/shifts?${q}`, { headers: headers() });
    expect(r.status).toBe(200);
    return ((await r.json()) as { shifts: Shift[] }).shifts;
  };
  /** Each day as the API's shifts say it should read: "HH:MM–HH:MM user [override]", in order. */
  const expectedWeek = (from: number, shifts: Shift[]) =>
    Array.from({ length: 7 }, (_, i) => {
      const a = from + i * DAY;
      const b = a + DAY;
      return shifts
        .filter((s) => Date.parse(s.start) < b && Date.parse(s.end) > a)
        .map((s) => {
          const end = Math.min(Date.parse(s.end), b);
          const when = `${hhmm(Math.max(Date.parse(s.start), a))}–${end === b ? '24:00' : hhmm(end)}`;
          return `${when} ${s.user}${s.layer === -1 ? ' override' : ''}`;
        });
    });
  const shownWeek = (calendar: Locator) =>
    calendar.locator('ol.week > li').evaluateAll((days) =>
      days.map((day) =>
        [...day.querySelectorAll<HTMLElement>('ul > li:not(.gap)')].map((e) => {
          const label = e.querySelector('.tag')?.textContent?.replace(/^\W+/, '');
          return `${e.querySelector('.when')!.textContent} ${e.dataset.user}${label ? ` ${label}` : ''}`;
        }),
      ),
    );
  const overridesOf = async (key: string): Promise<Listed[]> => {
    const r = await fetch(`${server.url}/api/v1/schedules/${key}/overrides`, { headers: headers() });
    expect(r.status).toBe(200);
    return ((await r.json()) as { overrides: Listed[] }).overrides;
  };
  /** The app's own request for a schedule's overrides, or for its next handoffs (no window). */
  const listRequest = (page: Page, key: string) =>
    page.waitForResponse(
      (r) =>
        r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/v1/schedules/${key}/overrides`,
    );
  const handoffsRequest = (page: Page) =>
    page.waitForResponse((r) => {
      const u = new URL(r.url());
      return u.pathname === '/api/v1/schedules/weekly/shifts' && !u.searchParams.has('from');
    });
  /** Each piece of a calendar day: whose, an override or not, and the instants it runs between. */
  const piecesOf = (day: Locator) =>
    day.locator('ul > li').evaluateAll((ls) =>
      ls.map((l) => {
        const [a, b] = [...l.querySelectorAll('time')].map((e) => Date.parse(e.dateTime));
        return { user: l.dataset.user, override: l.dataset.override !== undefined, from: a!, to: b! };
      }),
    );
  /** The calendar's own request for a week: only that week, from its Monday midnight. */
  const weekRequest = (page: Page, from: number) =>
    page.waitForResponse((r) => {
      const u = new URL(r.url());
      return (
        u.pathname === '/api/v1/schedules/weekly/shifts' &&
        u.searchParams.get('from') === new Date(from).toISOString() &&
        u.searchParams.get('to') === new Date(from + 7 * DAY).toISOString()
      );
    });

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows who is on call each day of the week, moves between weeks, marks a new override and takes it back', async () => {
    const member = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ email: BOB, name: 'Bob', role: 'responder' }),
    });
    expect(member.status, await member.text()).toBe(201);
    // Week-long shifts handed over on Mondays at 09:00 Jakarta time: Bob this week, then the admin.
    const thisWeek = mondayStart(Date.now());
    const nextWeek = thisWeek + 7 * DAY;
    const r = await fetch(`${server.url}/api/v1/schedules/weekly`, {
      method: 'PUT',
      headers: headers(),
      body: JSON.stringify({
        name: 'Weekly',
        time_zone: ZONE,
        layers: [
          {
            participants: [BOB, server.email],
            shift: '1w',
            handoff: '09:00',
            start: localDate(thisWeek - 14 * DAY),
          },
        ],
      }),
    });
    expect(r.status, await r.text()).toBe(200);
    // A second schedule from the on-call file, with an override the file declares: the app lists
    // it as the file's and offers no "Take back" (the file's next apply would bring it back).
    const fileFrom = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * DAY);
    const file = `siaga_oncall: oncall/1
schedules:
  - key: filed
    name: Filed
    time_zone: ${ZONE}
    layers:
      - participants: [${BOB}]
        shift: 1w
        handoff: "09:00"
        start: ${localDate(thisWeek - 14 * DAY)}
    overrides:
      - { user: ${server.email}, from: "${fileFrom.toISOString()}", to: "${new Date(fileFrom.getTime() + 3_600_000).toISOString()}" }
`;
    const applied = await fetch(`${server.url}/api/v1/oncall/file`, {
      method: 'PUT',
      headers: headers(),
      body: JSON.stringify({ source: file }),
    });
    expect(applied.status, await applied.text()).toBe(200);
    expect((await overridesOf('filed')).map((o) => [o.user, o.from_file])).toEqual([[server.email, true]]);

    const page = await (await browser.newContext({ timezoneId: ZONE, locale: 'en-GB' })).newPage();
    await logIn(page, server);
    const first = weekRequest(page, thisWeek);
    await page.getByRole('link', { name: 'On call' }).click();
    const calendar = page.locator('[data-calendar="weekly"]');
    await calendar.getByRole('heading', { name: 'Calendar' }).waitFor();
    expect((await first).status()).toBe(200);
    await calendar.getByText(`Times in your time zone, ${ZONE}.`).waitFor();
    await calendar.locator('ol.week').waitFor();

    // Monday to Sunday of this week, today marked in words as well as by the attribute.
    const dates = Array.from({ length: 7 }, (_, i) => localDate(thisWeek + i * DAY));
    await expect(
      calendar.locator('ol.week > li').evaluateAll((ls) => ls.map((l) => l.dataset.date)),
    ).resolves.toEqual(dates);
    const today = calendar.locator('ol.week > li[aria-current="date"]');
    await expect(today.getAttribute('data-date')).resolves.toBe(localDate(Date.now()));
    await expect(today.getByRole('heading').innerText()).resolves.toMatch(/today$/);

    // What the API says for the week, day by day; Bob from Monday 09:00 to the end of the week.
    const shown = await shownWeek(calendar);
    expect(shown).toEqual(expectedWeek(thisWeek, await shiftsOf(thisWeek)));
    expect(shown[0]).toEqual([`00:00–09:00 ${server.email}`, `09:00–24:00 ${BOB}`]);
    for (const day of shown.slice(1)) expect(day).toEqual([`00:00–24:00 ${BOB}`]);

    // Next week, from the keyboard: the admin takes over on Monday at 09:00.
    const next = weekRequest(page, nextWeek);
    await calendar.getByRole('button', { name: 'Next week' }).focus();
    await page.keyboard.press('Enter');
    expect((await next).status()).toBe(200);
    await expect
      .poll(() => calendar.locator('ol.week > li').first().getAttribute('data-date'))
      .toBe(localDate(nextWeek));
    await expect(calendar.locator('li[aria-current="date"]').count()).resolves.toBe(0);
    const shownNext = await shownWeek(calendar);
    expect(shownNext).toEqual(expectedWeek(nextWeek, await shiftsOf(nextWeek)));
    expect(shownNext[0]).toEqual([`00:00–09:00 ${BOB}`, `09:00–24:00 ${server.email}`]);
    for (const day of shownNext.slice(1)) expect(day).toEqual([`00:00–24:00 ${server.email}`]);

    // Back to this week, then the admin covers Bob for the next four hours.
    await calendar.getByRole('button', { name: 'This week' }).click();
    await calendar.locator('li[aria-current="date"]').waitFor();
    const schedule = page.locator('[data-schedule="weekly"]');
    await schedule.getByLabel('For').selectOption('4');
    const refetched = weekRequest(page, thisWeek);
    const relisted = listRequest(page, 'weekly');
    await schedule.getByRole('button', { name: 'I’ll cover' }).click();
    await schedule.getByText('Override saved').waitFor();
    expect((await refetched).status()).toBe(200);
    expect((await relisted).status()).toBe(200);
    const override = today.locator(`li[data-override][data-user="${server.email}"]`);
    await override.waitFor();
    await expect(override.innerText()).resolves.toMatch(/override/);
    const after = await shiftsOf(thisWeek);
    expect(after.filter((s) => s.layer === -1)).toEqual([expect.objectContaining({ user: server.email })]);
    await expect.poll(() => shownWeek(calendar)).toEqual(expectedWeek(thisWeek, after));
    await screenshot(page, '12-oncall-calendar');

    // The override is in the schedule's list: who, from–to on the browser's clock, in progress.
    const overrides = schedule.locator('[data-overrides="weekly"]');
    const [taken, ...others] = await overridesOf('weekly');
    expect(others).toEqual([]);
    expect(taken).toMatchObject({ user: server.email, from_file: false });
    const item = overrides.locator(`li[data-override-id="${taken!.id}"]`);
    await item.waitFor();
    const text = await item.innerText();
    for (const part of [
      server.email,
      hhmm(Date.parse(taken!.from)),
      hhmm(Date.parse(taken!.to)),
      'in progress',
    ])
      expect(text).toContain(part);
    await expect(
      item.locator('time').evaluateAll((ts) => ts.map((e) => e.getAttribute('datetime'))),
    ).resolves.toEqual([taken!.from, taken!.to]);
    const row = page.locator('tr[data-oncall="schedule:weekly"]');
    await expect.poll(() => row.innerText()).toContain(server.email);

    // Taken back from the keyboard: Enter asks again on the same button, Escape disarms it,
    // Enter twice does it. It had begun, so it ends now and the rotation (Bob) has the week again.
    await item.getByRole('button', { name: 'Take back' }).focus();
    await page.keyboard.press('Enter');
    const confirm = item.getByRole('button', { name: 'Confirm take back' });
    await expect(confirm.evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    await item.getByText('It ends now and the rotation has the schedule again.').waitFor();
    await page.keyboard.press('Escape');
    await item.getByRole('button', { name: 'Take back', exact: true }).waitFor();
    const cancelled = page.waitForResponse((r) => r.request().method() === 'DELETE');
    const recalendared = weekRequest(page, thisWeek);
    const relistedAgain = listRequest(page, 'weekly');
    const handoffs = handoffsRequest(page);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const answer = await cancelled;
    expect(new URL(answer.url()).pathname).toBe(`/api/v1/schedules/weekly/overrides/${taken!.id}`);
    const outcome = (await answer.json()) as { outcome: string; to: string };
    expect([answer.status(), outcome.outcome]).toEqual([200, 'ended']);
    const said = overrides.getByText('Ended now; the rotation has the schedule again.');
    await said.waitFor();
    await expect(said.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
    for (const req of [recalendared, relistedAgain, handoffs]) expect((await req).status()).toBe(200);
    await item.waitFor({ state: 'detached' });
    await overrides.getByText('No override in progress or to come.').waitFor();
    await expect(schedule.getByText('Override saved').count()).resolves.toBe(0);
    await expect.poll(() => row.innerText()).not.toContain(server.email);
    await expect.poll(() => schedule.getByText('On call now:').innerText()).toContain(BOB);
    // Today keeps the override only up to the moment it was taken back (who was paged until
    // then stays true); from then on no piece of today is marked "override", and it is Bob's.
    const ended = Date.parse(outcome.to);
    const cancelledWeek = await shiftsOf(thisWeek);
    expect(cancelledWeek.filter((s) => s.layer === -1).map((s) => Date.parse(s.end))).toEqual([ended]);
    await expect.poll(() => shownWeek(calendar)).toEqual(expectedWeek(thisWeek, cancelledWeek));
    const pieces = await piecesOf(today);
    expect(pieces.filter((p) => p.override && p.to > ended)).toEqual([]);
    expect(pieces.find((p) => p.from <= ended && ended < p.to)).toMatchObject({ user: BOB, override: false });

    // The file's override: listed, marked in words as the file's, and no button to take it back.
    const filed = page.locator('[data-overrides="filed"]');
    const fileItem = filed.locator('li[data-from-file]');
    await expect(fileItem.innerText()).resolves.toContain('from the on-call file');
    await expect(fileItem.innerText()).resolves.toContain(server.email);
    await expect(filed.getByRole('button').count()).resolves.toBe(0);
    await filed.getByText('taken back by removing it there and applying the file').waitFor();
    await screenshot(page, '13-oncall-overrides');

    // One to come, taken for tomorrow at this hour and taken back with the mouse: removed.
    const tomorrow = Date.now() + DAY;
    await schedule.getByLabel('Starting').fill(`${localDate(tomorrow)}T${hhmm(tomorrow)}`);
    await schedule.getByLabel('For').selectOption('1');
    const listedLater = listRequest(page, 'weekly');
    await schedule.getByRole('button', { name: 'I’ll cover' }).click();
    await listedLater;
    const [later] = await overridesOf('weekly');
    const laterItem = overrides.locator(`li[data-override-id="${later!.id}"]`);
    await laterItem.waitFor();
    await expect(laterItem.innerText()).resolves.not.toContain('in progress');
    await laterItem.getByRole('button', { name: 'Take back' }).click();
    await laterItem.getByText('It has not begun, so it is removed.').waitFor();
    await laterItem.getByRole('button', { name: 'Confirm take back' }).click();
    await overrides.getByText('Removed before it began.').waitFor();
    await laterItem.waitFor({ state: 'detached' });
    expect(await overridesOf('weekly')).toEqual([]);

    // Taken back elsewhere (the API) while the screen still lists it: the server's 409 detail
    // shows beside the override.
    await schedule.getByLabel('Starting').fill('');
    const listedNow = listRequest(page, 'weekly');
    await schedule.getByRole('button', { name: 'I’ll cover' }).click();
    await listedNow;
    const [stale] = await overridesOf('weekly');
    const staleItem = overrides.locator(`li[data-override-id="${stale!.id}"]`);
    await staleItem.waitFor();
    const elsewhere = await fetch(`${server.url}/api/v1/schedules/weekly/overrides/${stale!.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(elsewhere.status, await elsewhere.text()).toBe(200);
    await staleItem.getByRole('button', { name: 'Take back' }).click();
    const refused = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await staleItem.getByRole('button', { name: 'Confirm take back' }).click();
    const detail = ((await (await refused).json()) as { detail: string }).detail;
    expect(detail).toContain('already ended');
    await expect(staleItem.getByRole('alert').innerText()).resolves.toContain(detail);

    // In Bahasa Indonesia the same week, with its words.
    await page.getByLabel('Language').selectOption('id');
    await calendar.getByRole('heading', { name: 'Kalender' }).waitFor();
    await calendar.getByRole('button', { name: 'Minggu berikutnya' }).waitFor();
    await expect(override.first().innerText()).resolves.toMatch(/pengganti/);
    await expect(fileItem.innerText()).resolves.toContain('dari berkas siaga jaga');
    await staleItem.getByRole('button', { name: 'Batalkan' }).waitFor();
    await expect(today.getByRole('heading').innerText()).resolves.toMatch(/hari ini$/);
  });
});
