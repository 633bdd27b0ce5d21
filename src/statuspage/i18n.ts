import type { ComponentStatus } from './tables.ts';

export type Lang = 'en' | 'id';

/** The page's words in English and Bahasa Indonesia. */
export const WORDS = {
  en: {
    components: 'Components',
    active: 'Active incidents',
    maintenance: 'Scheduled maintenance',
    history: 'Past incidents',
    noIncidents: 'No incidents reported.',
    uptime: 'uptime',
    daysAgo: '90 days ago',
    today: 'Today',
    subscribe: 'Subscribe to updates',
    email: 'E-mail address',
    subscribeButton: 'Subscribe',
    wholePage: 'All components',
    stale: 'Live updates are delayed: this is the status as of',
    ago: 'ago',
    notFound: 'There is no such page here.',
    poweredBy: 'Status page by Siaga',
    scheduledFor: 'Scheduled for',
    until: 'until',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeButton: 'Unsubscribe from these updates',
    noData: 'No data',
    language: 'Bahasa Indonesia',
  },
  id: {
    components: 'Komponen',
    active: 'Insiden aktif',
    maintenance: 'Pemeliharaan terjadwal',
    history: 'Insiden sebelumnya',
    noIncidents: 'Tidak ada insiden yang dilaporkan.',
    uptime: 'waktu aktif',
    daysAgo: '90 hari lalu',
    today: 'Hari ini',
    subscribe: 'Berlangganan pembaruan',
    email: 'Alamat e-mail',
    subscribeButton: 'Berlangganan',
    wholePage: 'Semua komponen',
    stale: 'Pembaruan langsung tertunda: ini status per',
    ago: 'yang lalu',
    notFound: 'Halaman ini tidak ada.',
    poweredBy: 'Halaman status oleh Siaga',
    scheduledFor: 'Dijadwalkan',
    until: 'sampai',
    unsubscribeTitle: 'Berhenti berlangganan',
    unsubscribeButton: 'Berhenti menerima pembaruan ini',
    noData: 'Tidak ada data',
    language: 'English',
  },
} as const;

export const STATUS_WORDS: Record<ComponentStatus, { en: string; id: string }> = {
  operational: { en: 'Operational', id: 'Beroperasi' },
  degraded_performance: { en: 'Degraded performance', id: 'Kinerja menurun' },
  partial_outage: { en: 'Partial outage', id: 'Gangguan sebagian' },
  major_outage: { en: 'Major outage', id: 'Gangguan besar' },
  under_maintenance: { en: 'Under maintenance', id: 'Dalam pemeliharaan' },
};

export const UPDATE_WORDS: Record<string, { en: string; id: string }> = {
  investigating: { en: 'Investigating', id: 'Diselidiki' },
  identified: { en: 'Identified', id: 'Teridentifikasi' },
  monitoring: { en: 'Monitoring', id: 'Dipantau' },
  resolved: { en: 'Resolved', id: 'Selesai' },
  postmortem: { en: 'Postmortem', id: 'Pascainsiden' },
  scheduled: { en: 'Scheduled', id: 'Terjadwal' },
  in_progress: { en: 'In progress', id: 'Sedang berlangsung' },
  verifying: { en: 'Verifying', id: 'Verifikasi' },
  completed: { en: 'Completed', id: 'Selesai' },
};

/**
 * The language of a request, reduced to one of two cache keys: `?lang=` wins, then the first
 * Accept-Language range naming en or id, then the page's own language. Anything else a visitor
 * sends collapses onto these, so it cannot multiply what the cache holds.
 */
export function chooseLang(query: string | null, acceptLanguage: string | undefined, fallback: Lang): Lang {
  if (query === 'id' || query === 'en') return query;
  if (acceptLanguage) {
    let best: Lang | null = null;
    let bestQ = 0;
    for (const part of acceptLanguage.slice(0, 200).split(',')) {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const base = tag?.split('-')[0];
      if (base !== 'en' && base !== 'id' && base !== 'in') continue;
      const qp = params.find((p) => p.trim().startsWith('q='));
      const q = qp ? Number(qp.trim().slice(2)) : 1;
      if (Number.isFinite(q) && q > bestQ) {
        bestQ = q;
        best = base === 'en' ? 'en' : 'id';
      }
    }
    if (best) return best;
  }
  return fallback;
}
