/**
 * Optuna's RDB schema as Optuna 3.0 and 3.1 create it in SQLite: schema version 12, alembic revision `v3.0.0.d` (the
 * head of both releases; Optuna 3.2 added `v3.1.0.a`, an index on trials.study_id, and asks for
 * `optuna storage upgrade` before it opens an older file).
 *
 * The statements are the text SQLAlchemy 1.4 emits for optuna/storages/_rdb/models.py (`metadata.create_all`) plus the
 * table alembic creates when it stamps the revision, character for character, so that a file written here and one
 * written by Optuna have the same `sqlite_master`. Enum columns are VARCHARs holding the enum member's NAME
 * ('MAXIMIZE', 'COMPLETE', 'FINITE'...); DATETIME columns hold 'YYYY-MM-DD HH:MM:SS.ffffff' text.
 */

export const OPTUNA_SCHEMA_VERSION = 12;
export const OPTUNA_ALEMBIC_REVISION = 'v3.0.0.d';
/** Written to version_info.library_version; Optuna only shows it in its "please upgrade" message. */
export const OPTUNA_LIBRARY_VERSION = '3.0.0';

/** SQLAlchemy's layout: one column or constraint per line, each line but the last ending in ", ". */
function table(name: string, lines: string[]): string {
  return `CREATE TABLE ${name} (\n\t${lines.join(', \n\t')}\n)`;
}

/** A table of key → JSON value owned by a study or a trial (the four *_attributes tables share this shape). */
function attributes(name: string, idColumn: string, owner: 'study' | 'trial'): string {
  const parent = owner === 'study' ? 'studies' : 'trials';
  return table(name, [
    `${idColumn} INTEGER NOT NULL`,
    `${owner}_id INTEGER`,
    '"key" VARCHAR(512)',
    'value_json TEXT',
    `PRIMARY KEY (${idColumn})`,
    `UNIQUE (${owner}_id, "key")`,
    `FOREIGN KEY(${owner}_id) REFERENCES ${parent} (${owner}_id)`,
  ]);
}

/** In creation order (parents before children), as `create_all` sorts them. */
export const OPTUNA_DDL: readonly string[] = [
  table('studies', ['study_id INTEGER NOT NULL', 'study_name VARCHAR(512) NOT NULL', 'PRIMARY KEY (study_id)']),
  'CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)',
  table('version_info', [
    'version_info_id INTEGER NOT NULL',
    'schema_version INTEGER',
    'library_version VARCHAR(256)',
    'PRIMARY KEY (version_info_id)',
    'CHECK (version_info_id=1)',
  ]),
  table('study_directions', [
    'study_direction_id INTEGER NOT NULL',
    'direction VARCHAR(8) NOT NULL',
    'study_id INTEGER NOT NULL',
    'objective INTEGER NOT NULL',
    'PRIMARY KEY (study_direction_id)',
    'UNIQUE (study_id, objective)',
    'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
  ]),
  attributes('study_user_attributes', 'study_user_attribute_id', 'study'),
  attributes('study_system_attributes', 'study_system_attribute_id', 'study'),
  table('trials', [
    'trial_id INTEGER NOT NULL',
    'number INTEGER',
    'study_id INTEGER',
    'state VARCHAR(8) NOT NULL',
    'datetime_start DATETIME',
    'datetime_complete DATETIME',
    'PRIMARY KEY (trial_id)',
    'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
  ]),
  attributes('trial_user_attributes', 'trial_user_attribute_id', 'trial'),
  attributes('trial_system_attributes', 'trial_system_attribute_id', 'trial'),
  table('trial_params', [
    'param_id INTEGER NOT NULL',
    'trial_id INTEGER',
    'param_name VARCHAR(512)',
    'param_value FLOAT',
    'distribution_json TEXT',
    'PRIMARY KEY (param_id)',
    'UNIQUE (trial_id, param_name)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_values', [
    'trial_value_id INTEGER NOT NULL',
    'trial_id INTEGER NOT NULL',
    'objective INTEGER NOT NULL',
    'value FLOAT',
    'value_type VARCHAR(7) NOT NULL',
    'PRIMARY KEY (trial_value_id)',
    'UNIQUE (trial_id, objective)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_intermediate_values', [
    'trial_intermediate_value_id INTEGER NOT NULL',
    'trial_id INTEGER NOT NULL',
    'step INTEGER NOT NULL',
    'intermediate_value FLOAT',
    'intermediate_value_type VARCHAR(7) NOT NULL',
    'PRIMARY KEY (trial_intermediate_value_id)',
    'UNIQUE (trial_id, step)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_heartbeats', [
    'trial_heartbeat_id INTEGER NOT NULL',
    'trial_id INTEGER NOT NULL',
    'heartbeat DATETIME NOT NULL',
    'PRIMARY KEY (trial_heartbeat_id)',
    'UNIQUE (trial_id)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('alembic_version', [
    'version_num VARCHAR(32) NOT NULL',
    'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)',
  ]),
];
