import { idempotencyLookup, openReceipt, sealReceipt } from './idempotent-receipt';

describe('idempotent receipts', () => {
  const receipt = { id: 'r-1', trackingCode: 'HP7K2M9QXA', secret: 's3cr3t-value' };

  it('opens with the Idempotency-Key it was sealed under', () => {
    const sealed = sealReceipt('6f1c0d1e-key', receipt);

    expect(openReceipt('6f1c0d1e-key', sealed)).toEqual(receipt);
  });

  it('keeps neither the secret nor the key readable in what is stored', () => {
    const sealed = sealReceipt('6f1c0d1e-key', receipt);

    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('s3cr3t-value');
    expect(idempotencyLookup('6f1c0d1e-key')).not.toContain('6f1c0d1e');
    expect(idempotencyLookup('6f1c0d1e-key')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to open under another key or after tampering', () => {
    const sealed = sealReceipt('6f1c0d1e-key', receipt);
    const tampered = Buffer.from(sealed, 'base64');
    tampered[tampered.length - 1] ^= 1;

    expect(() => openReceipt('another-key', sealed)).toThrow();
    expect(() => openReceipt('6f1c0d1e-key', tampered.toString('base64'))).toThrow();
  });
});
