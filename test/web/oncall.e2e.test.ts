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

  it('shows who is on call each day of the week, moves between weeks and marks a new override', async () => {
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
    await schedule.getByRole('button', { name: 'I’ll cover' }).click();
    await schedule.getByText('Override saved').waitFor();
    expect((await refetched).status()).toBe(200);
    const override = today.locator(`li[data-override][data-user="${server.email}"]`);
    await override.waitFor();
    await expect(override.innerText()).resolves.toMatch(/override/);
    const after = await shiftsOf(thisWeek);
    expect(after.filter((s) => s.layer === -1)).toEqual([expect.objectContaining({ user: server.email })]);
    await expect.poll(() => shownWeek(calendar)).toEqual(expectedWeek(thisWeek, after));
    await screenshot(page, '12-oncall-calendar');

    // In Bahasa Indonesia the same week, with its words.
    await page.getByLabel('Language').selectOption('id');
    await calendar.getByRole('heading', { name: 'Kalender' }).waitFor();
    await calendar.getByRole('button', { name: 'Minggu berikutnya' }).waitFor();
    await expect(override.innerText()).resolves.toMatch(/pengganti/);
    await expect(today.getByRole('heading').innerText()).resolves.toMatch(/hari ini$/);
  });
});
