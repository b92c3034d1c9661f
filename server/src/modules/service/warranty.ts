// 保修到期提醒: once a day, products whose warranty ends within 30 days get one template message to
// every WeChat user bound to a contact of the owner customer who follows the Official Account.
import { WARRANTY_REMINDER_DAYS } from '@qiao/shared';
import { contactIdsOfCustomer, markWarrantyReminderSent, productsDueWarrantyReminder } from '../customers/lookup.service.js';
import { weChatRecipientsOfContacts } from '../identity/lookup.service.js';
import { webAuthLink } from '../identity/web-auth.service.js';
import { enqueueTemplateNotice } from '../notifications/notification.jobs.js';
import { characterString, date, thing } from '../notifications/template-values.js';
import type { ServiceDeps } from './service.context.js';

export const WARRANTY_REMINDER_JOB = 'service.warranty-reminders';
export const WARRANTY_REMINDER_INTERVAL = '1 day';

const DAY_MS = 24 * 3600_000;

/** Returns how many messages were enqueued. */
export async function runWarrantyReminders(deps: ServiceDeps, now = new Date()): Promise<number> {
  const until = new Date(now.getTime() + WARRANTY_REMINDER_DAYS * DAY_MS);
  const products = await productsDueWarrantyReminder(now, until);
  let enqueued = 0;
  for (const product of products) {
    const productId = String(product._id);
    // Marked before sending: a crash loses one reminder rather than repeating it every day.
    await markWarrantyReminderSent(productId, now);

    const users = await weChatRecipientsOfContacts(await contactIdsOfCustomer(String(product.customerId)));
    for (const user of users) {
      if (!user.oaOpenid || !user.subscribed) {
        deps.logger.info({ wechatUserId: user.id, productId }, 'not following the Official Account: warranty reminder skipped');
        continue;
      }
      await enqueueTemplateNotice(deps.jobs, deps.logger, {
        wechatUserId: user.id,
        reason: 'product.warranty-expiring',
        message: {
          template_id: deps.notices.templates.warranty,
          url: webAuthLink(deps.notices.publicBaseUrl, '/h5/#/pages/devices/index'),
          miniprogram: { appid: deps.notices.mpAppid, pagepath: 'pages/devices/index' },
          client_msg_id: `warranty-${productId}-${date(product.warrantyEndsAt)}`,
          data: {
            thing1: { value: thing(product.model) },
            character_string2: { value: characterString(product.serialNumber) },
            time3: { value: date(product.warrantyEndsAt) },
            thing4: { value: thing('保修即将到期，如需保养请在线预约') },
          },
        },
      });
      enqueued += 1;
    }
  }
  return enqueued;
}
