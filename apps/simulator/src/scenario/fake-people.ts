import type { FakeReporter } from './actions';
import type { Prng } from './prng';

// Reporters are invented and look it: the name says "simulated", the phone is +84 followed by a 0, which no
// Vietnamese number has (the trunk 0 is dropped after the country code), and e-mails are at example.org
// (reserved by RFC 2606). Nothing here can reach a real person.
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Hà',
  'Hùng',
  'Lan',
  'Minh',
  'Nga',
  'Phúc',
  'Quân',
  'Thảo',
  'Tuấn',
  'Yến',
];

/** Prefix of every simulated phone number: `+84 0…` is never a real number. */
export const FAKE_PHONE_PREFIX = '+84 000';

export function fakeReporter(prng: Prng, withEmail: boolean): FakeReporter {
  const serial = prng.int(0, 999_999).toString().padStart(6, '0');
  const name = `${prng.pick(FAMILY)} ${prng.pick(GIVEN)} (mô phỏng)`;
  return {
    name,
    phone: `${FAKE_PHONE_PREFIX} ${serial.slice(0, 3)} ${serial.slice(3)}`,
    ...(withEmail ? { email: `citizen-${serial}@example.org` } : {}),
  };
}

/** Marks every free text the simulator writes, so nobody mistakes it for a citizen's. */
export const SIMULATED_TAG = '[mô phỏng]';
