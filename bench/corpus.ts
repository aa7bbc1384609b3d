/**
 * A generated corpus of migration projects for the CLI benchmark, shaped like the real ones Preflight was
 * measured on (2,112 files of seven open-source projects): two thirds SQL files, the rest Sequelize (JS) and
 * script-style (TS) migrations; most files hold one to seven statements and a few hold a squashed baseline of
 * a thousand. The statement mix follows the real one — ALTER TABLE about a quarter (add and drop columns and
 * constraints, type changes, NOT NULL, defaults), then DROP, CREATE INDEX, renames, triggers, CREATE TABLE,
 * backfills, seeds, functions, views, enums — and statements name tables and columns the project really has,
 * so schema-aware rules have work to do. Layouts: one folder per migration with up.sql and down.sql (diesel),
 * `NNNN_name.up.sql` / `.down.sql` pairs (golang-migrate), plain numbered files, Sequelize and TS scripts.
 *
 * Deterministic: the same call writes the same files.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Table {
  name: string;
  columns: string[];
}

/** A tiny deterministic random source (mulberry32), so every run benchmarks the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Project {
  private readonly tables: Table[] = [];
  private counter = 0;
  constructor(private readonly next: () => number) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  private table(): Table {
    return this.tables.length > 0 ? this.pick(this.tables) : this.createTable().table;
  }

  private createTable(): { table: Table; sql: string } {
    const name = `${this.pick(['accounts', 'orders', 'events', 'invoices', 'members', 'posts', 'comments', 'tags', 'visits', 'audit_logs'])}_${++this.counter}`;
    const table = { name, columns: ['id', 'created_at', 'status', 'owner_id', 'amount'] };
    this.tables.push(table);
    const sql =
      `CREATE TABLE ${name} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now(),\n` +
      `  status varchar(32) NOT NULL DEFAULT 'new',\n  owner_id integer,\n  amount numeric(12, 2)\n);`;
    return { table, sql };
  }

  /** One statement, drawn with the frequencies of the real corpus. */
  statement(): string {
    const roll = this.next();
    const t = this.table();
    const column = this.pick(t.columns);
    const n = ++this.counter;
    if (roll < 0.07) return this.createTable().sql;
    if (roll < 0.14) {
      t.columns.push(`extra_${n}`);
      return `ALTER TABLE ${t.name} ADD COLUMN extra_${n} ${this.pick(['text', 'integer', 'boolean DEFAULT false', 'jsonb', 'timestamp'])};`;
    }
    if (roll < 0.19) {
      const other = this.table();
      return `ALTER TABLE ${t.name} ADD CONSTRAINT ${t.name}_fk_${n} FOREIGN KEY (owner_id) REFERENCES ${other.name} (id);`;
    }
    if (roll < 0.23 && t.columns.length > 5) return `ALTER TABLE ${t.name} DROP COLUMN ${t.columns.pop()};`;
    if (roll < 0.26)
      return `ALTER TABLE ${t.name} ALTER COLUMN ${column} TYPE ${this.pick(['bigint', 'text', 'varchar(255)'])};`;
    if (roll < 0.28) return `ALTER TABLE ${t.name} ALTER COLUMN ${column} SET NOT NULL;`;
    if (roll < 0.29) return `ALTER TABLE ${t.name} ALTER COLUMN status SET DEFAULT 'active';`;
    if (roll < 0.43)
      return `CREATE INDEX ${this.pick(['', 'CONCURRENTLY '])}${t.name}_${column}_idx_${n} ON ${t.name} (${column});`;
    if (roll < 0.55)
      return this.next() < 0.5
        ? `DROP INDEX IF EXISTS ${t.name}_old_${n};`
        : `DROP TRIGGER IF EXISTS ${t.name}_old_${n} ON ${t.name};`;
    if (roll < 0.6 && this.tables.length > 3) {
      const dropped = this.tables.splice(this.tables.indexOf(t), 1)[0];
      return `DROP TABLE IF EXISTS ${dropped.name};`;
    }
    if (roll < 0.68) {
      const renamed = `${column}_v${n}`;
      t.columns[t.columns.indexOf(column)] = renamed;
      return `ALTER TABLE ${t.name} RENAME COLUMN ${column} TO ${renamed};`;
    }
    if (roll < 0.74) {
      return (
        `CREATE OR REPLACE FUNCTION ${t.name}_touch_${n}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.created_at := coalesce(NEW.created_at, now());\n  RETURN NEW;\nEND\n$$;\n` +
        `CREATE TRIGGER ${t.name}_touch_${n} BEFORE INSERT OR UPDATE ON ${t.name} FOR EACH ROW EXECUTE FUNCTION ${t.name}_touch_${n}();`
      );
    }
    if (roll < 0.8)
      return `UPDATE ${t.name} SET status = 'archived' WHERE created_at < now() - interval '${n % 90} days';`;
    if (roll < 0.85) return `INSERT INTO ${t.name} (status, amount) VALUES ('seed', ${n}), ('seed', ${n + 1});`;
    if (roll < 0.88)
      return `CREATE OR REPLACE VIEW ${t.name}_recent AS SELECT id, status FROM ${t.name} WHERE created_at > now() - interval '7 days';`;
    if (roll < 0.9) return `DELETE FROM ${t.name} WHERE status = 'deleted';`;
    if (roll < 0.92) return `CREATE TYPE ${t.name}_kind_${n} AS ENUM ('a', 'b', 'c');`;
    if (roll < 0.94) return `COMMENT ON TABLE ${t.name} IS 'changed in migration ${n}';`;
    if (roll < 0.96)
      return `DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood_${n}') THEN\n    CREATE TYPE mood_${n} AS ENUM ('ok');\n  END IF;\nEND\n$$;`;
    if (roll < 0.98) return `ALTER TABLE ${t.name} DROP CONSTRAINT IF EXISTS ${t.name}_fk_${n - 1};`;
    return `SET lock_timeout = '5s';`;
  }

  statements(count: number): string {
    return Array.from({ length: count }, () => this.statement()).join('\n') + '\n';
  }

  /** Statements per file as in real projects: mostly 1–3, sometimes up to 10. */
  size(): number {
    const roll = this.next();
    return roll < 0.5 ? 1 : roll < 0.8 ? 2 + Math.floor(this.next() * 2) : 4 + Math.floor(this.next() * 7);
  }

  sequelize(): string {
    const t = this.table();
    const n = ++this.counter;
    const calls = [
      `    await queryInterface.addColumn('${t.name}', 'flag_${n}', { type: Sequelize.BOOLEAN, allowNull: true });`,
      `    await queryInterface.addIndex('${t.name}', ['owner_id'], { name: '${t.name}_owner_${n}' });`,
      `    await queryInterface.sequelize.query(\`UPDATE ${t.name} SET status = 'done' WHERE amount > ${n}\`);`,
      `    await queryInterface.changeColumn('${t.name}', 'status', { type: Sequelize.STRING(64), allowNull: false });`,
      `    await queryInterface.removeColumn('${t.name}', 'legacy_${n}');`,
    ];
    const body = Array.from({ length: this.size() }, () => this.pick(calls)).join('\n');
    return (
      `'use strict';\n\nmodule.exports = {\n  async up(queryInterface, Sequelize) {\n${body}\n  },\n\n` +
      `  async down(queryInterface) {\n    await queryInterface.removeColumn('${t.name}', 'flag_${n}');\n  },\n};\n`
    );
  }

  script(): string {
    const statements = Array.from(
      { length: this.size() },
      () => `  await db.query(\`${this.statement().replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\`);`,
    );
    return `import type { Db } from '../db';\n\nexport async function up(db: Db): Promise<void> {\n${statements.join('\n')}\n}\n`;
  }
}

type Layout = 'folders' | 'pairs' | 'numbered' | 'sequelize' | 'script';

/** Writes the corpus under `root` (which must be empty or missing); returns how many files it wrote. */
export function writeCorpus(root: string, scale = 1): number {
  const projects: { name: string; layout: Layout; migrations: number; baseline?: number }[] = [
    { name: 'forum', layout: 'folders', migrations: 260 },
    { name: 'identity', layout: 'pairs', migrations: 280 },
    { name: 'billing', layout: 'numbered', migrations: 240, baseline: 1200 },
    { name: 'clinic', layout: 'numbered', migrations: 150, baseline: 900 },
    { name: 'wiki', layout: 'sequelize', migrations: 300 },
    { name: 'admin', layout: 'sequelize', migrations: 140 },
    { name: 'directory', layout: 'script', migrations: 260 },
    { name: 'mailer', layout: 'folders', migrations: 60 },
  ];
  let files = 0;
  const write = (relative: string, text: string) => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files++;
  };
  projects.forEach((project, p) => {
    const generator = new Project(random(1000 + p));
    const count = Math.round(project.migrations * scale);
    for (let i = 1; i <= count; i++) {
      const id = String(20200101000000 + i * 7919).padStart(14, '0');
      const base = `${project.name}/migrations`;
      const statements = i === 1 && project.baseline ? project.baseline : generator.size();
      switch (project.layout) {
        case 'folders':
          write(
            `${base}/${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}-${id.slice(8)}_change_${i}/up.sql`,
            generator.statements(statements),
          );
          write(
            `${base}/${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}-${id.slice(8)}_change_${i}/down.sql`,
            generator.statements(1),
          );
          break;
        case 'pairs':
          write(`${base}/${String(i).padStart(6, '0')}_change_${i}.up.sql`, generator.statements(statements));
          write(`${base}/${String(i).padStart(6, '0')}_change_${i}.down.sql`, generator.statements(1));
          break;
        case 'numbered':
          write(`${base}/${String(i).padStart(4, '0')}_change_${i}.sql`, generator.statements(statements));
          break;
        case 'sequelize':
          write(`${base}/${id}-change-${i}.js`, generator.sequelize());
          break;
        case 'script':
          write(`${base}/${id}_change_${i}.ts`, generator.script());
          break;
      }
    }
  });
  return files;
}
