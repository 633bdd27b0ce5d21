/** Seed 000 (Mirror), fact by fact, in the seed's own Indonesian. */
import { type Fact, facts } from './helpers.ts';

const f = facts('id');
const { txt, dur } = f;

export const MIRROR: Fact[] = [
  ['written in Indonesian', (p) => p.language, 'id'],
  [
    'tujuan',
    (p) => txt(p.description),
    'Menangani insiden keamanan/privasi pada layanan Mirror dengan cepat, transparan, dan mengurangi dampak ke pengguna.',
  ],
  [
    'Incident Commander: Head of Engineering (incident@mirror.dev)',
    (p) => f.contact(p, f.role(p, 'ic').default_holder!).email,
    'incident@mirror.dev',
  ],
  ['Incident Commander is the commander role', (p) => f.role(p, 'ic').commander, true],
  [
    'IC label',
    (p) => [txt(f.role(p, 'ic').label), txt(f.contact(p, 'head_of_engineering').label)],
    ['Incident Commander', 'Head of Engineering'],
  ],
  [
    'Support Eskalasi: support@mirror.dev',
    (p) => [txt(f.contact(p, 'support').label), f.contact(p, 'support').email],
    ['Support Eskalasi', 'support@mirror.dev'],
  ],
  [
    'Psikolog On-Call: psikolog@mirror.dev',
    (p) => [txt(f.contact(p, 'psikolog').label), f.contact(p, 'psikolog').email],
    ['Psikolog On-Call', 'psikolog@mirror.dev'],
  ],
  [
    'Log & Audit Access: DevOps Team (ops@mirror.dev)',
    (p) => [
      txt(f.contact(p, 'devops').label),
      f.contact(p, 'devops').email,
      txt(f.contact(p, 'devops').description),
    ],
    ['DevOps Team', 'ops@mirror.dev', 'Akses log & audit'],
  ],
  [
    'three incident types',
    (p) => p.incident_types.map((t) => txt(t.label)),
    ['Keamanan Data', 'Safety/Psychological', 'Downtime'],
  ],
  ['Keamanan Data', (p) => txt(f.type(p, 'keamanan_data').description), 'Kebocoran data, akses tidak sah.'],
  [
    'Safety/Psychological',
    (p) => txt(f.type(p, 'safety').description),
    'Pengguna menunjukkan tanda bahaya, guardrail gagal, atau ada laporan darurat.',
  ],
  [
    'Downtime > 10 menit of chat, payment webhook, health check',
    (p) => [txt(f.type(p, 'downtime').description), p.services.map((s) => s.key)],
    [
      'Layanan utama (chat, webhook pembayaran, health check) tidak tersedia >10 menit.',
      ['chat', 'payment_webhook', 'health_check'],
    ],
  ],
  [
    'timeline phases',
    (p) => p.phases.map((x) => `${txt(x.label)} < ${f.window(p, x.key).slice(1)}`),
    ['Deteksi < 5m', 'Penilaian < 15m', 'Mitigasi < 60m', 'Komunikasi < 2h', 'Postmortem < 72h'],
  ],
  [
    'deteksi: alert dari log/Sentry/health check',
    (p) => f.phase(p, 'deteksi').actions?.map(txt),
    ['Alert dari log/Sentry/health check.'],
  ],
  [
    'penilaian: IC menentukan severity, bentuk tim',
    (p) => f.phase(p, 'penilaian').actions?.map(txt),
    ['Incident Commander menentukan severity, bentuk tim.'],
  ],
  [
    'assessment within 15 minutes is the response target',
    (p) => p.severities.map((s) => dur(s.response_target)),
    ['15m', '15m', '15m'],
  ],
  [
    'mitigasi actions',
    (p) => f.phase(p, 'mitigasi').actions?.map(txt),
    ['Nonaktifkan jalur rentan, rollback, blokir akun, atau aktifkan fallback manual.'],
  ],
  [
    'komunikasi actions',
    (p) => f.phase(p, 'komunikasi').actions?.map(txt),
    ['Kirim update ke pengguna/pihak internal (email, status page).'],
  ],
  [
    'postmortem actions',
    (p) => f.phase(p, 'postmortem').actions?.map(txt),
    ['Analisis akar masalah, buat rencana perbaikan.'],
  ],
  [
    'aktifkan channel incident (Slack/Teams)',
    (p) => f.items(f.phase(p, 'deteksi').checklist),
    ['Aktifkan channel incident (Slack/Teams)'],
  ],
  [
    'incident channels: Slack and Teams',
    (p) => p.communications.channels.filter((c) => c.key === 'slack' || c.key === 'teams').map((c) => c.type),
    ['slack', 'teams'],
  ],
  [
    'format pesan awal: [SEVERITY][TYPE] - Deskripsi singkat',
    (p) => [txt(f.template(p, 'pesan_awal').body), f.template(p, 'pesan_awal').audience],
    ['[{{incident.severity}}][{{incident.type_label}}] - {{incident.title}}', 'internal'],
  ],
  [
    'kumpulkan bukti',
    (p) => f.checklist(p, 'kumpulkan_bukti'),
    [
      'Query log berdasarkan `requestId`, audit log, dan status PaymentSession/Profile.',
      'Snapshot data yang terpengaruh (tanpa memodifikasi).',
    ],
  ],
  ['bukti collected during penilaian', (p) => f.phase(p, 'penilaian').checklists, ['kumpulkan_bukti']],
  [
    'safety: hubungi psikolog, blokir akses AI, follow-up manual',
    (p) => f.items(f.type(p, 'safety').containment),
    ['Hubungi psikolog on-call', 'Blokir akses AI sementara', 'Manual follow-up pengguna'],
  ],
  [
    'blocking AI access is a kill-switch',
    (p) => {
      const item = f.type(p, 'safety').containment?.[1];
      return typeof item === 'object' && 'switch' in item
        ? txt(f.switchOf(p, item.switch!).label)
        : undefined;
    },
    'Blokir akses AI',
  ],
  [
    'safety pages the on-call psychologist',
    (p) => f.steps(p, f.type(p, 'safety').escalation!),
    ['Psikolog On-Call: role:psikolog_on_call after 0m if always'],
  ],
  [
    'data breach: cabut token, rotasi secret, batasi endpoint',
    (p) => f.items(f.type(p, 'keamanan_data').containment),
    ['Cabut token', 'Rotasi secret', 'Batasi endpoint'],
  ],
  [
    'downtime: rollback, scaling, atau read-only',
    (p) => f.type(p, 'downtime').mitigations?.map(txt),
    ['Rollback', 'Scaling', 'Alihkan ke mode read-only'],
  ],
  ['read-only mode is a kill-switch', (p) => txt(f.switchOf(p, 'read_only').label), 'Mode read-only'],
  ['internal: pembaruan setiap 30 menit', (p) => dur(f.audience(p, 'internal').update_every), '30m'],
  [
    'pengguna: status page / email sesuai severity',
    (p) => [
      f.audience(p, 'pengguna').external,
      f.audience(p, 'pengguna').channels,
      txt(f.audience(p, 'pengguna').description),
    ],
    [true, ['status_page', 'email'], 'Status page / email sesuai severity.'],
  ],
  [
    'partner psikolog: jika berdampak ke jadwal sesi',
    (p) => txt(f.audience(p, 'partner_psikolog').description),
    'Jika berdampak ke jadwal sesi.',
  ],
  [
    'post-mortem: timeline, penyebab, data terdampak, rencana anti-regresi',
    (p) => f.sectionTitles(p),
    ['Timeline', 'Penyebab', 'Data terdampak', 'Rencana anti-regresi'],
  ],
  ['simpan di docs/postmortem/', (p) => p.postmortem?.path, 'docs/postmortem/{{incident.number}}.md'],
  [
    'checklist pasca insiden',
    (p) => f.checklist(p, 'pasca_insiden'),
    [
      'Log audit diverifikasi dan disimpan.',
      'Semua secret/token relevan diputar ulang.',
      'Pengguna terdampak menerima pemberitahuan.',
      'Backlog perbaikan dimasukkan dan diprioritaskan.',
    ],
  ],
  [
    'checklist pasca insiden in the postmortem phase',
    (p) => f.phase(p, 'postmortem').checklists,
    ['pasca_insiden'],
  ],
];
