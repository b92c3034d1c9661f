// WeChat's message signing and encryption for the Official Account ("safe mode").
// AES-256-CBC, key = base64(EncodingAESKey + "="), IV = first 16 key bytes, PKCS#7 padding to
// 32-byte blocks; plaintext = random(16) + length(4, big-endian) + message + appid.
// The same object is handed to co-wechat as its cryptor (getSignature / decrypt / encrypt).
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

export function sha1Signature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(expected: string, actual: string | undefined): boolean {
  if (typeof actual !== 'string' || actual.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
}

export class DecryptError extends Error {}

export class MessageCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    readonly token: string,
    encodingAESKey: string,
    readonly appid: string,
  ) {
    this.key = Buffer.from(`${encodingAESKey}=`, 'base64');
    if (encodingAESKey.length !== 43 || this.key.length !== 32) throw new Error('EncodingAESKey must be 43 characters');
    this.iv = this.key.subarray(0, 16);
  }

  getSignature(timestamp: string, nonce: string, encrypt: string): string {
    return sha1Signature(this.token, String(timestamp), String(nonce), encrypt);
  }

  encrypt(message: string): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(this.appid, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /** Decrypts and returns the message and the appid it was encrypted for; throws on any malformation. */
  decrypt(encrypted: string): { message: string; id: string } {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(encrypted, 'base64'), decipher.final()]);
    } catch {
      throw new DecryptError('ciphertext is not valid AES-256-CBC');
    }
    const pad = plain[plain.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) throw new DecryptError('bad padding');
    const content = plain.subarray(16, plain.length - pad);
    const length = content.readUInt32BE(0);
    if (length > content.length - 4) throw new DecryptError('bad message length');
    return {
      message: content.subarray(4, 4 + length).toString('utf8'),
      id: content.subarray(4 + length).toString('utf8'),
    };
  }
}
