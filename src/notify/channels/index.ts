import type { ContactKind } from '../tables.ts';
import { slack, teams } from './chat.ts';
import { email } from './email.ts';
import type { Transport } from './message.ts';
import { ntfy, telegram, webhook } from './push.ts';

export const TRANSPORTS: Record<ContactKind, Transport> = { email, slack, teams, telegram, ntfy, webhook };

export type { ChannelSettings, Destination, Message, SendResult } from './message.ts';
