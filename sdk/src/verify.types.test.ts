import { VERIFY_CODE_HTTP_STATUS as SCHEMA_STATUS } from '@latchkey/schema';
import { VERIFY_CODE_HTTP_STATUS } from './verify.types';

describe('verification codes', () => {
  it('map to the same HTTP status a protected service answers as the server does', () => {
    expect(VERIFY_CODE_HTTP_STATUS).toEqual(SCHEMA_STATUS);
  });
});
