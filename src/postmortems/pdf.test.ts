import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownToHtml, postmortemPage } from './html.ts';
import { htmlToPdf } from './pdf.ts';

const DOC = `# Incident Post-Mortem: Ledger balance mismatch

## Incident Summary
- Date: 2026-03-02 09:00 UTC+7
- Severity: S1

## Timeline
- 09:00 - Incident detected
- 10:30 - Incident resolved

## Action Items
| Action | Owner | Deadline | Priority |
|--------|-------|----------|----------|
| [Idempotent webhooks](https://example.test/12) | Dev Team | 2026-03-09 | P0 |

### Checklist
- [x] Done <script>alert(1)</script>
- [ ] Open
`;

describe('the post-mortem as HTML', () => {
  it('renders headings, lists, tables, links and check lists, and escapes the rest', () => {
    const html = markdownToHtml(DOC);
    expect(html).toContain('<h1>Incident Post-Mortem: Ledger balance mismatch</h1>');
    expect(html).toContain('<ul><li>Date: 2026-03-02 09:00 UTC+7</li><li>Severity: S1</li></ul>');
    expect(html).toContain(
      '<tbody><tr><td><a href="https://example.test/12">Idempotent webhooks</a></td><td>Dev Team</td><td>2026-03-09</td><td>P0</td></tr></tbody>',
    );
    expect(html).toContain('☑</span> Done &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });
});

describe('the post-mortem as PDF, printed by Chromium', () => {
  it('prints the document; rendered to PNG (kept in artifacts/) it has ink on the page', async () => {
    const pdf = await htmlToPdf(postmortemPage('INC-1', 'INC-1 · S1 · draft', DOC));
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'siaga-pdf-'));
    const file = join(dir, 'INC-1.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain('Incident Post-Mortem: Ledger balance mismatch');
    expect(text).toMatch(/Idempotent webhooks\s+Dev Team\s+2026-03-09\s+P0/);

    const artifacts = join(import.meta.dirname, '../../artifacts');
    mkdirSync(artifacts, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, join(artifacts, 'postmortem-INC-1')]);
    expect(statSync(join(artifacts, 'postmortem-INC-1.png')).size).toBeGreaterThan(5000);
    // The same page as raw greyscale: a blank or failed print would be all white.
    execFileSync('pdftoppm', ['-gray', '-r', '30', '-singlefile', file, join(dir, 'page')]);
    const pgm = readFileSync(join(dir, 'page.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const pixels = pgm.subarray(header[0].length);
    const dark = pixels.filter((v) => v < 128).length;
    expect(dark / pixels.length).toBeGreaterThan(0.005);
  }, 60_000);
});
