// A lead from an Official Account conversation (公众号消息 → 转为线索) keeps the follower: converted, its
// contact — new, or the attached customer's contact with that phone — gets the follower as its
// WeChat identity (when neither is linked yet), and the customer 360 view shows it. All through the API.
import { expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { flushConversationMessages } from '../../src/modules/official-account/oa-message.store.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { createContact, createCustomer, createStaffMember, unique, uniquePhone } from '../helpers/factories.js';
import { pushXml, textMessage } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';
import { Customer } from '../../src/modules/customers/customer.model.js';

let server: TestServer;
useTestServer((started) => void (server = started));

/** A follower writes to the Official Account; returns their wechat_users id. */
async function follower(text: string): Promise<string> {
  const openid = unique('oLead');
  const pushed = await pushXml(server.url, textMessage(openid, text), { token: TEST_OA.token, appid: TEST_OA.appid });
  expect(pushed.status).toBe(200);
  await flushMessageLog();
  await flushConversationMessages();
  const user = await WeChatUser.findOne({ oaOpenid: openid }).lean();
  expect(user).toBeTruthy();
  return user!._id;
}

async function leadFrom(token: string, wechatUserId: string, fields: Record<string, unknown>): Promise<string> {
  const made = await call(server.url, '/api/v1/leads', { token, body: { name: '微信用户', notes: '想了解报价', wechatUserId, ...fields } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  expect(made.body.lead ?? made.body).toMatchObject({ source: 'official-account', wechatUserId });
  return (made.body.lead ?? made.body).id;
}

const identitiesOf = (view: { contacts: { items: Array<{ id: string; verified: boolean; wechat: Array<{ wechatUserId: string; officialAccount: boolean }> }> } }, contactId: string) =>
  view.contacts.items.find((c) => c.id === contactId);

it('a new contact gets the follower as its WeChat identity; the 360 view shows it', async () => {
  const seller = await createStaffMember('sales', { department: '公众号销售部' });
  const wechatUserId = await follower('你好，想了解一下空调价格');
  const phone = uniquePhone();
  const leadId = await leadFrom(seller.token, wechatUserId, { company: unique('微信来源公司'), phone });
  const converted = await call(server.url, `/api/v1/leads/${leadId}/convert`, {
    token: seller.token,
    body: { customer: { name: unique('微信来源客户'), region: '杭州' }, contact: { name: '吴先生', phone } },
  });
  expect(converted.status, JSON.stringify(converted.body)).toBe(200);
  const view = await call(server.url, `/api/v1/customers/${converted.body.customerId}`, { token: seller.token });
  expect(view.status).toBe(200);
  expect(identitiesOf(view.body, converted.body.contactId)).toMatchObject({ verified: true, wechat: [{ wechatUserId, officialAccount: true }] });
});

it('attaching to a customer: its contact with that phone is linked; a follower verified as someone else is not moved', async () => {
  const seller = await createStaffMember('sales', { department: '公众号销售部' });
  const customer = await createCustomer({ name: unique('已有客户'), department: '公众号销售部' });
  await Customer.updateOne({ _id: customer._id }, { $set: { ownerId: seller.id } });
  const phone = uniquePhone();
  const contact = await createContact(customer, { name: '郑经理', phone });

  const wechatUserId = await follower('我想了解试用');
  const leadId = await leadFrom(seller.token, wechatUserId, { notes: '老客户咨询新设备' });
  const attached = await call(server.url, `/api/v1/leads/${leadId}/convert`, {
    token: seller.token,
    body: { customerId: String(customer._id), contact: { name: '郑经理', phone } },
  });
  expect(attached.status, JSON.stringify(attached.body)).toBe(200);
  expect(attached.body.contactId).toBe(String(contact._id));
  const view = await call(server.url, `/api/v1/customers/${String(customer._id)}`, { token: seller.token });
  expect(identitiesOf(view.body, String(contact._id))!.wechat.map((w) => w.wechatUserId)).toEqual([wechatUserId]);

  // A follower already verified as another contact keeps that link.
  const other = await createContact(customer, { name: '王会计', phone: uniquePhone() });
  const verified = await follower('再问一下价格');
  await WeChatUser.updateOne({ _id: verified }, { $set: { contactId: String(other._id) } });
  const newPhone = uniquePhone();
  const second = await leadFrom(seller.token, verified, { phone: newPhone });
  const again = await call(server.url, `/api/v1/leads/${second}/convert`, {
    token: seller.token,
    body: { customerId: String(customer._id), contact: { name: '钱主任', phone: newPhone } },
  });
  expect(again.status, JSON.stringify(again.body)).toBe(200);
  expect((await WeChatUser.findById(verified).lean())!.contactId).toBe(String(other._id));
  const after = await call(server.url, `/api/v1/customers/${String(customer._id)}`, { token: seller.token });
  expect(identitiesOf(after.body, again.body.contactId)).toMatchObject({ verified: false, wechat: [] });
});
