import * as assert from 'assert';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { KNOWN_CONFIG_KEYS } from '../server/src/config';
import { REPO_ROOT } from './support/paths';

describe('config JSON Schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'server', 'preflightrc.schema.json'), 'utf8'));

  it('documents exactly the keys the loader accepts', () => {
    assert.deepStrictEqual(Object.keys(schema.properties).sort(), [...KNOWN_CONFIG_KEYS].sort());
  });

  it('accepts the example project config and rejects an unknown key', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', '.preflightrc.json'), 'utf8'));
    assert.ok(validate(example), JSON.stringify(validate.errors));
    assert.ok(!validate({ colour: true }));
  });
});
