import { JSON_HEADERS, post } from './http-post.ts';
import { type Message, type Transport, titleOf } from './message.ts';

/**
 * Slack incoming webhook: `text` is the fallback shown in notifications, `blocks` the Block Kit
 * layout (header, mrkdwn section, link buttons). https://api.slack.com/messaging/webhooks
 */
export function slackPayload(m: Message): Record<string, unknown> {
  const title = titleOf(m);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: m.text.slice(0, 3000) } },
  ];
  if (m.actions.length > 0) {
    blocks.push({
      type: 'actions',
      elements: m.actions.map((a, i) => ({
        type: 'button',
        text: { type: 'plain_text', text: a.label },
        url: a.url,
        action_id: `siaga_${i}`,
      })),
    });
  }
  return { text: `${title}\n${m.text}`, blocks };
}

/**
 * Microsoft Teams incoming webhook (and Workflows "post to a channel when a webhook request is
 * received"): a message whose attachment is an Adaptive Card.
 */
export function teamsPayload(m: Message): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: titleOf(m), weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: m.text, wrap: true },
          ],
          actions: m.actions.map((a) => ({ type: 'Action.OpenUrl', title: a.label, url: a.url })),
        },
      },
    ],
  };
}

export const slack: Transport = {
  send: (m, to, s) => post(to.address, JSON.stringify(slackPayload(m)), JSON_HEADERS, s.timeoutMs),
};

export const teams: Transport = {
  send: (m, to, s) => post(to.address, JSON.stringify(teamsPayload(m)), JSON_HEADERS, s.timeoutMs),
};
