import { strict as assert } from 'node:assert';
import { maskSecrets, maskUrl } from '../../../src/core/common/mask';

describe('maskUrl: a password is never echoed, whatever the shape', () => {
  const shapes: [string, string][] = [
    ['postgresql://app:s3cret@db.internal:5432/prod', 'postgresql://app:***@db.internal:5432/prod'],
    ['using postgresql+psycopg2://app:p@ss@db/prod now', 'using postgresql+psycopg2://app:***@db/prod now'],
    ['Not a PostgreSQL URL: postgresql:/user:SECRET@host/db', 'Not a PostgreSQL URL: postgresql:/user:***@host/db'],
    ['postgresql:user:SECRET@host/db', 'postgresql:user:***@host/db'],
    ['postgres:///user:SECRET@host', 'postgres:///user:***@host'],
    ['postgresql://:SECRET@host/db', 'postgresql://:***@host/db'],
    ['postgresql://u:a@b@c@host/db', 'postgresql://u:***@host/db'],
    ['postgresql://u:SE:CR:ET@host', 'postgresql://u:***@host'],
    ['postgresql://u%3ASECRET@host', 'postgresql://u:***@host'],
    ["url='postgresql://u:SECRET@h/db'", "url='postgresql://u:***@h/db'"],
    ['POSTGRESQL://U:SECRET@H/DB', 'POSTGRESQL://U:***@H/DB'],
    ['postgresql://h/db?user=u&password=SECRET&sslmode=require', 'postgresql://h/db?user=u&password=***&sslmode=require'],
    ['host=db password=s3cret user=app', 'host=db password=*** user=app'],
    ["host=db password='se cret' user=app", "host=db password=*** user=app"],
    ['{"password": "SECRET", "user": "u"}', '{"password": ***, "user": "u"}'],
    ['PGPASSWORD=SECRET psql', 'PGPASSWORD=*** psql'],
    ['sslpassword=SECRET', 'sslpassword=***'],
    ['a postgresql://a:X@h and mysql://b:Y@h', 'a postgresql://a:***@h and mysql://b:***@h'],
  ];
  for (const [input, expected] of shapes) {
    it(input, () => {
      const masked = maskUrl(input);
      assert.equal(masked, expected);
      for (const secret of ['SECRET', 's3cret', 'se cret', 'ss@db']) assert.ok(!masked.includes(secret), masked);
    });
  }

  it('leaves a user name alone, and text without URLs unchanged', () => {
    assert.equal(maskUrl('postgresql://app@db:5432/prod'), 'postgresql://app@db:5432/prod');
    assert.equal(maskUrl('error: mail me at a@b.c'), 'error: mail me at a@b.c');
    assert.equal(maskUrl('plain text'), 'plain text');
  });

  it('maskSecrets also removes a known password in any other place', () => {
    assert.equal(maskSecrets('FATAL: password authentication failed (pw was p%40ss)', ['p%40ss']), 'FATAL: password authentication failed (pw was ***)');
    assert.ok(!maskSecrets('bad: p@ss', ['p%40ss']).includes('p@ss'));
  });
});
