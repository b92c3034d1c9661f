import {
  productArchiveSchema,
  verificationCodeResponseSchema,
  type CustomerUser,
  type ProductArchive,
} from '@qiao/shared';
import { authedRequest, parseResponse, userFromAnswer } from './session';

/** `POST /me/verification/code`: sends the one-time code by SMS; 404 unknown phone, 429 too soon. */
export async function sendVerificationCode(phone: string): Promise<{ expiresIn: number; resendIn: number }> {
  const data = await authedRequest<unknown>({ method: 'POST', path: '/api/v1/me/verification/code', body: { phone } });
  return parseResponse(verificationCodeResponseSchema, data);
}

/** `POST /me/verification`: binds this WeChat user to the contact with that phone. */
export async function verifyIdentity(phone: string, code: string): Promise<CustomerUser> {
  const data = await authedRequest<unknown>({ method: 'POST', path: '/api/v1/me/verification', body: { phone, code } });
  return userFromAnswer(data);
}

/** `DELETE /me/verification`: unbinds the contact. */
export async function unbindIdentity(): Promise<CustomerUser> {
  const data = await authedRequest<unknown>({ method: 'DELETE', path: '/api/v1/me/verification' });
  return userFromAnswer(data);
}

/** `POST /me/staff-binding`: a staff member binds this WeChat user with the console's invite code. */
export async function bindStaff(inviteCode: string): Promise<CustomerUser> {
  const data = await authedRequest<unknown>({ method: 'POST', path: '/api/v1/me/staff-binding', body: { inviteCode } });
  return userFromAnswer(data);
}

const productListSchema = productArchiveSchema.array();

/** `GET /me/products`: the product archives of the verified customer. */
export async function listMyProducts(): Promise<ProductArchive[]> {
  const data = await authedRequest<{ items?: unknown }>({ path: '/api/v1/me/products' });
  return parseResponse(productListSchema, data?.items);
}
