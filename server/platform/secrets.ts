import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Field encryption for personal data (ID numbers) with AES-256-GCM, and keyed hashes for
 * uniqueness checks that do not reveal the value. The key comes from SECRET_KEY, or from a key file
 * created once under DATA_DIR for a single-node install.
 */
export class Secrets {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(secret: string) {
    this.encKey = Buffer.from(crypto.hkdfSync('sha256', secret, 'zhibo', 'field-encryption', 32));
    this.macKey = Buffer.from(crypto.hkdfSync('sha256', secret, 'zhibo', 'field-hash', 32));
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(token: string): string {
    const [version, iv, tag, body] = token.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown ciphertext format');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  hash(value: string): string {
    return crypto.createHmac('sha256', this.macKey).update(value).digest('hex');
  }
}

export function loadSecret(secretKey: string | undefined, dataDir: string): string {
  if (secretKey) return secretKey;
  const file = path.join(dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const generated = crypto.randomBytes(32).toString('base64url');
    fs.writeFileSync(file, generated, { mode: 0o600, flag: 'wx' });
    return generated;
  }
}
