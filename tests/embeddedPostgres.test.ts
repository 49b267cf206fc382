// The embedded PostgreSQL is reached over a Unix socket in its data directory when the socket's path
// allows it, and over TCP on the loopback otherwise: a long or unusual DATA_DIR must never stop it starting.
import { describe, expect, it } from 'vitest';
import { socketDirectory } from '../server/runtime/embeddedPostgres.ts';

describe('the embedded PostgreSQL socket', () => {
  it('lives in the database directory', () => {
    expect(socketDirectory('/srv/archive/data/postgres', 5432)).toBe('/srv/archive/data/postgres');
  });

  it('is left out when its path would pass the 107 bytes Linux allows', () => {
    const deep = `/srv/${'archive-'.repeat(11)}/postgres`; // 101 bytes: the socket's name makes it 117
    expect(socketDirectory(deep, 54321)).toBeUndefined();
  });

  it('is left out when PostgreSQL would need the path quoted', () => {
    expect(socketDirectory('/home/me/My Archive/postgres', 5432)).toBeUndefined();
    expect(socketDirectory('/srv/a,b/postgres', 5432)).toBeUndefined();
  });
});
