import * as assert from 'assert';
import { parseMigration } from '../server/src/parse/migration';
import { loadSqlParser } from '../server/src/parse/sql';
import { CatalogBuilder } from '../server/src/schema/builder';
import type { Catalog, SkippedStatement, TableInfo } from '../server/src/schema/catalog';
import { replayMigration } from '../server/src/schema/replay';

function replay(...files: string[]): { catalog: Catalog; skipped: SkippedStatement[] } {
  const builder = new CatalogBuilder();
  const skipped: SkippedStatement[] = [];
  files.forEach((text, i) =>
    replayMigration(builder, parseMigration(`000${i + 1}.sql`, text, { dialect: 'mysql' }), skipped),
  );
  return { catalog: builder.snapshot(), skipped };
}

function indexes(table: TableInfo | undefined): string[] {
  return (table?.indexes ?? []).map(
    (index) =>
      `${index.name}${index.unique ? '!' : ''}(${index.keys.map((k) => ('column' in k ? k.column : k.expression)).join(',')})${index.method === 'btree' ? '' : ` ${index.method}`}`,
  );
}

describe('schema replay of MySQL DDL', () => {
  before(() => loadSqlParser());

  it('names indexes as MySQL does (PRIMARY, after the first column, after a foreign key constraint), columns as the table spells them', () => {
    const { catalog } = replay(
      'CREATE TABLE `orders` (`id` BIGINT NOT NULL AUTO_INCREMENT, `Customer_Id` BIGINT NOT NULL, `status` VARCHAR(20), `body` TEXT,\n' +
        '  PRIMARY KEY (`id`), KEY (`status`), KEY (`status`, `id`), FULLTEXT KEY `ft_body` (`body`),\n' +
        '  CONSTRAINT `orders_customer_fk` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`)) ENGINE=InnoDB;',
    );
    const orders = catalog.tables.get('public.orders');
    assert.deepStrictEqual(indexes(orders), [
      'PRIMARY!(id)',
      'status(status)',
      'status_2(status,id)',
      'ft_body(body) fulltext',
      'orders_customer_fk(Customer_Id)',
    ]);
    assert.deepStrictEqual(
      orders?.columns.map((c) => [c.name, c.type, c.nullable]),
      [
        ['id', 'bigint', false],
        ['Customer_Id', 'bigint', false],
        ['status', 'varchar(20)', true],
        ['body', 'text', true],
      ],
    );
    assert.deepStrictEqual(
      orders?.constraints.map((c) => `${c.type} ${c.name}`),
      ['primary-key PRIMARY', 'foreign-key orders_customer_fk'],
    );
  });

  it('uses an existing index for a foreign key instead of adding one', () => {
    const { catalog } = replay(
      'CREATE TABLE a (id INT PRIMARY KEY, org_id INT, KEY by_org (org_id, id));',
      'ALTER TABLE a ADD FOREIGN KEY (org_id) REFERENCES orgs (id);',
    );
    assert.deepStrictEqual(indexes(catalog.tables.get('public.a')), ['PRIMARY!(id)', 'by_org(org_id,id)']);
  });

  it('follows ALTER TABLE, CREATE/DROP INDEX and RENAME TABLE', () => {
    const { catalog, skipped } = replay(
      'CREATE TABLE app.users (id INT NOT NULL, email VARCHAR(255) NOT NULL UNIQUE, name VARCHAR(50), PRIMARY KEY (id));',
      'CREATE INDEX users_name ON app.users (name(10)); ALTER TABLE app.users ADD COLUMN org INT, ADD INDEX (org), CHANGE COLUMN name full_name VARCHAR(100);',
      'ALTER TABLE app.users DROP COLUMN org, DROP INDEX email; RENAME TABLE app.users TO app.people;',
    );
    assert.deepStrictEqual(skipped, []);
    assert.strictEqual(catalog.tables.has('app.users'), false);
    const people = catalog.tables.get('app.people');
    assert.deepStrictEqual(indexes(people), ['PRIMARY!(id)', 'users_name(full_name)']);
    assert.deepStrictEqual(
      people?.columns.map((c) => c.name),
      ['id', 'email', 'full_name'],
    );
  });

  it('marks a table uncertain after a statement on it that the parser cannot read', () => {
    const { catalog, skipped } = replay('CREATE TABLE t (a INT);', 'ALTER TABLE t RENAME INDEX a TO b;');
    assert.match(catalog.tables.get('public.t')?.uncertain ?? '', /syntax error/);
    assert.strictEqual(skipped.length, 1);
  });
});
