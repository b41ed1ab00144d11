// Starts the notification dispatcher in the app's process (server/index.ts calls this through the
// build's entry module, so it shares the app's database writer and write lock).
// - E-mail goes over SMTP when SMTP_URL is set; otherwise e-mails are kept, marked "channel not
//   configured" (skipped), and the app works as before.
// - SMS goes to the provider SMS_PROVIDER names (aliyun, tencent), with the pre-approved template
//   SMS_TEMPLATES gives for the message's kind and language; by default to the `log` adapter, which
//   records the message and sends nothing.
import { getEnv } from "#app/lib/env.server";
import { logFor } from "#app/lib/log.server";
import type { Channel, ChannelName } from "./channel";
import { createDispatcher, startDispatcher } from "./dispatcher.server";
import { createEmailChannel } from "./email.server";
import { startSweeper } from "./sweeper.server";
import { createAliyunChannel } from "./sms/aliyun";
import { readSmsConfig, type SmsTemplates, templateFor } from "./sms/config";
import { createLogChannel } from "./sms/log";
import { createTencentChannel } from "./sms/tencent";

/** A provider's channel that first turns the message's kind into the template approved for its language. */
function withTemplates(channel: Channel, templates: SmsTemplates): Channel {
  return {
    name: channel.name,
    async send(message) {
      const kind = message.template?.id;
      const id = kind ? templateFor(templates, kind, message.lang) : null;
      if (!id) return { ok: false, retry: false, error: `sms: no approved template for ${kind ?? "this message"} in ${message.lang} (SMS_TEMPLATES)` };
      return channel.send({ ...message, template: { id, params: message.template!.params } });
    },
  };
}

/** The channels this process sends through; a wrong SMS configuration stops the server, naming what is missing. */
export function notificationChannels(source: Record<string, string | undefined> = process.env): Partial<Record<ChannelName, Channel>> {
  const env = getEnv();
  const sms = readSmsConfig(source);
  if (!sms.ok) throw new Error(`Invalid SMS configuration in the environment:\n${sms.problems.map((p) => `  ${p}`).join("\n")}`);
  const c = sms.config;
  const smsChannel =
    c.provider === "aliyun"
      ? withTemplates(createAliyunChannel(c.aliyun), c.templates)
      : c.provider === "tencent"
        ? withTemplates(createTencentChannel(c.tencent), c.templates)
        : createLogChannel();
  return {
    ...(env.SMTP_URL ? { email: createEmailChannel(env.SMTP_URL, env.MAIL_FROM) } : {}),
    sms: smsChannel,
  };
}

/**
 * Starts the dispatcher and the sweep (every NOTIFY_SWEEP_SECONDS) unless NOTIFY_DISPATCHER=off;
 * returns the function that stops both, which resolves once their rounds under way have finished.
 */
export function startNotifications(): () => Promise<void> {
  const env = getEnv();
  if (env.NOTIFY_DISPATCHER === "off") return async () => {};
  // Links in messages are absolute only with the platform's public address; without it a mail
  // client cannot open them (the app still works, and says so once).
  if (!env.PUBLIC_ORIGIN) logFor("notify").warn("PUBLIC_ORIGIN is not set, so links in e-mails and SMS are relative paths that a mail client cannot open.");
  const stopDispatcher = startDispatcher(createDispatcher({ channels: notificationChannels(), leaseMs: env.NOTIFY_LEASE_SECONDS * 1000 }));
  const stopSweeper = startSweeper(env.NOTIFY_SWEEP_SECONDS * 1000);
  return async () => {
    await Promise.all([stopDispatcher(), stopSweeper()]);
  };
}
