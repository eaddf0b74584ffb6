import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadSnapshot } from '../../clearance/index.js';
import { crossBorderLimits, residentIdProblem, withResidentIdCheck } from './quota.js';

test('the quota limits come from the CN profile: CNY 5,000 per order and 26,000 a year since 2019', () => {
  const revenue = loadSnapshot({ randomRate: 0 }).revenue;
  assert.deepEqual(
    (({ perOrder, perYear }) => ({ perOrder, perYear }))(crossBorderLimits(revenue, '2026-11-29')!),
    { perOrder: '5000', perYear: '26000' },
  );
  assert.equal(crossBorderLimits(revenue, '2018-06-01')?.perYear, '20000');
});

test('resident ids with a valid birth date and check character pass; any single-digit change fails', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
      fc.integer({ min: 110000, max: 659999 }),
      fc.integer({ min: 0, max: 999 }),
      fc.integer({ min: 0, max: 16 }),
      fc.integer({ min: 1, max: 9 }),
      (birth, region, serial, pos, bump) => {
        const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
        const id = withResidentIdCheck(`${region}${ymd}${String(serial).padStart(3, '0')}`);
        assert.equal(residentIdProblem(id), undefined, id);
        const d = (Number(id[pos]) + bump) % 10;
        const changed = id.slice(0, pos) + String(d) + id.slice(pos + 1);
        assert.notEqual(residentIdProblem(changed), undefined, changed);
      },
    ),
  );
  assert.match(residentIdProblem('11010519900230123X') ?? '', /birth date/);
  assert.match(residentIdProblem('12345') ?? '', /17 digits/);
});
