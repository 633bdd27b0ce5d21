import { z } from 'zod';

/** The languages a plan may carry labels in. English is the fallback. */
export const LANGUAGES = ['en', 'id'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A label or paragraph: a plain string (in the plan's own language) or `{ en, id }` for
 * English and Bahasa Indonesia.
 */
export type Text = string | { en?: string; id?: string };

export const TextSchema = z
  .union([
    z.string().min(1, 'must not be empty'),
    z
      .strictObject({ en: z.string().min(1).optional(), id: z.string().min(1).optional() })
      .refine(
        (v) => v.en !== undefined || v.id !== undefined,
        'give the text in at least one language (en, id)',
      ),
  ])
  .meta({ description: 'Text: a string, or { en, id } for English and Bahasa Indonesia' });

/** Picks the text in `language`, falling back to English, then to whatever exists. */
export function pick(text: Text | undefined, language: Language = 'en'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[language] ?? text.en ?? text.id ?? '';
}

/** Every language variant of a text, for checks that must hold in each (placeholders). */
export function variants(text: Text | undefined): string[] {
  if (text === undefined) return [];
  if (typeof text === 'string') return [text];
  return [text.en, text.id].filter((v): v is string => v !== undefined);
}
