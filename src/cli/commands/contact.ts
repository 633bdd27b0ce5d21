import { clientFrom } from '../client.ts';
import { type Command, flag, str, table } from '../framework.ts';

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;
const user = {
  user: { type: 'string', description: 'Another member’s user id (admin)', value: 'ID' },
} as const;

type Contact = { id: string; kind: string; label: string; address: string; has_secret: boolean };

const base = (p: Parameters<Command['run']>[0]) => {
  const id = str(p, 'user');
  return id ? `/api/v1/users/${encodeURIComponent(id)}` : '/api/v1/me';
};

export const contactCommands: Command[] = [
  {
    path: ['contact', 'add'],
    summary: 'Add a contact method: email, slack, teams, telegram, ntfy or webhook',
    args: ['KIND', 'ADDRESS'],
    details:
      'ADDRESS is an e-mail address, a Slack or Teams incoming-webhook URL, a Telegram chat id, an ntfy topic URL or a webhook URL.\nExample: siaga contact add telegram 123456789 --label phone',
    options: {
      ...json,
      ...user,
      label: { type: 'string', description: 'Name shown in lists' },
      secret: {
        type: 'string',
        description: 'Webhook signing secret (≥ 16 characters) or ntfy access token',
      },
    },
    async run(p, io) {
      const [kind, address] = p.positionals;
      const c = await clientFrom(io.env).request<Contact>('POST', `${base(p)}/contacts`, {
        kind,
        address,
        label: str(p, 'label'),
        secret: str(p, 'secret'),
      });
      if (flag(p, 'json')) io.out(JSON.stringify(c));
      else io.out(`Added ${c.kind} contact ${c.label} (${c.id}).`);
      return 0;
    },
  },
  {
    path: ['contact', 'list'],
    summary: 'List contact methods',
    options: { ...json, ...user },
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ contacts: Contact[] }>('GET', `${base(p)}/contacts`);
      if (flag(p, 'json')) io.out(JSON.stringify(r.contacts, null, 2));
      else
        io.out(
          table([
            ['ID', 'KIND', 'LABEL', 'ADDRESS'],
            ...r.contacts.map((c) => [c.id, c.kind, c.label, c.address]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['contact', 'remove'],
    summary: 'Remove a contact method',
    args: ['ID'],
    options: user,
    async run(p, io) {
      await clientFrom(io.env).request(
        'DELETE',
        `${base(p)}/contacts/${encodeURIComponent(p.positionals[0]!)}`,
      );
      io.out('Removed.');
      return 0;
    },
  },
  {
    path: ['contact', 'rules'],
    summary: 'Set notification rules: CONTACT_ID[@DELAY] …, e.g. "<email-id> <telegram-id>@2m"',
    args: ['RULE...'],
    details:
      'Later rules fire only while the incident is still unacknowledged. No rules: every contact at once.',
    options: { ...json, ...user },
    async run(p, io) {
      const rules = p.positionals.map((r) => {
        const [contact_id, after] = r.split('@');
        return { contact_id, after: after ?? 'immediate' };
      });
      const r = await clientFrom(io.env).request<{
        rules: { contact_id: string; kind: string; after_seconds: number }[];
      }>('PUT', `${base(p)}/rules`, { rules });
      if (flag(p, 'json')) io.out(JSON.stringify(r.rules, null, 2));
      else
        io.out(
          table([
            ['CONTACT', 'KIND', 'AFTER'],
            ...r.rules.map((x) => [
              x.contact_id,
              x.kind,
              x.after_seconds === 0 ? 'at once' : `${x.after_seconds}s`,
            ]),
          ]),
        );
      return 0;
    },
  },
];
