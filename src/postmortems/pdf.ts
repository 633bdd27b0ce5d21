/**
 * Prints a page to PDF with the system's Chromium through playwright-core. The browser is the
 * one the machine has (SIAGA_CHROMIUM, default /usr/bin/chromium): nothing is downloaded.
 */
export async function htmlToPdf(html: string, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: env.SIAGA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    // Offline on purpose: the page is self-contained, and a post-mortem must not fetch anything.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
      printBackground: true,
    });
  } finally {
    await browser.close();
  }
}
