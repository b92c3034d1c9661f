import { z } from 'zod';

/**
 * Mini-program subscribe-message consent (一次性订阅): each 允许 the person taps in
 * wx.requestSubscribeMessage allows ONE message of that template. The app reports each answer.
 */
export const subscriptionConsentSchema = z
  .object({
    templateId: z.string().trim().min(1, '请指定订阅消息模板').max(128, '模板编号过长'),
    accepted: z.boolean({ message: '请说明是否同意接收' }),
  })
  .strict();
export type SubscriptionConsent = z.infer<typeof subscriptionConsentSchema>;

/** What the mini-program asks consent for, and how many messages are still allowed. */
export const subscriptionStateSchema = z.object({
  templateId: z.string(),
  /** e.g. 派工通知 */
  title: z.string(),
  remaining: z.number().int().min(0),
});
export type SubscriptionState = z.infer<typeof subscriptionStateSchema>;
export const subscriptionListSchema = z.object({ items: z.array(subscriptionStateSchema) });
export type SubscriptionList = z.infer<typeof subscriptionListSchema>;
