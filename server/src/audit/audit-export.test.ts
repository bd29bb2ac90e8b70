import { csvHeader, csvRow, ndjsonLine } from './audit-export';
import { decodeCursor, encodeCursor } from './audit-query';
import type { AuditEventRecord } from './audit-record';

const rec: AuditEventRecord = {
  id: 'evt_1', v: 1, orgId: 'org_1', seq: 3, time: new Date('2024-01-01T00:00:00Z'),
  actor: { type: 'key', id: 'key_1' }, action: 'key.revoked', target: { type: 'key', id: 'key_2' },
  requestId: null, ip: '198.51.100.1', userAgent: '=HYPERLINK("x"), "quoted"',
  before: { b: 1, a: 'x,y' }, after: null, payloadDigest: 'd', prevHash: 'p', hash: 'h',
};

describe('audit export formats', () => {
  it('writes the header once, in column order', () => {
    expect(csvHeader()).toBe('seq,id,time,actorType,actorId,action,targetType,targetId,requestId,ip,userAgent,before,after,payloadDigest,prevHash,hash\r\n');
  });

  it('writes one CSV row with canonical JSON payload cells', () => {
    expect(csvRow(rec)).toBe(
      `3,evt_1,2024-01-01T00:00:00.000Z,key,key_1,key.revoked,key,key_2,,198.51.100.1,"'=HYPERLINK(""x""), ""quoted""","{""a"":""x,y"",""b"":1}",,d,p,h\r\n`,
    );
  });

  it('writes NDJSON lines that carry every hashed field', () => {
    const line = ndjsonLine(rec);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ seq: 3, id: 'evt_1', orgId: 'org_1', v: 1, requestId: null, payloadDigest: 'd', prevHash: 'p', hash: 'h' });
  });

  it('round-trips cursors and rejects foreign ones', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(() => decodeCursor('not-a-cursor')).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from('audit:0').toString('base64url'))).toThrow(/cursor/);
  });
});
