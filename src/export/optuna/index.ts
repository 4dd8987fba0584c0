/**
 * `embnas export <search> --format optuna --out FILE`: the search as a new SQLite file in Optuna's RDB schema
 * (Optuna 3.0/3.1, schema 12, alembic v3.0.0.d), readable by `optuna best-trial(s) --storage sqlite:///FILE
 * --study-name NAME`, `optuna.load_study` and optuna-dashboard. Its objectives and what each trial becomes: see
 * study-rows.ts.
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { writingFile } from '../../environment-error.js';
import { UsageError } from '../../errors.js';
import { connect } from '../../store/sqlite/sqlite-connection.js';
import type { TrialStore } from '../../store/trial-store.js';
import { OPTUNA_ALEMBIC_REVISION, OPTUNA_DDL, OPTUNA_LIBRARY_VERSION, OPTUNA_SCHEMA_VERSION } from './schema.js';
import { DEFAULT_OBJECTIVES, optunaStudyRows, type ObjectiveKey, type OptunaStudyRows } from './study-rows.js';

export { OPTUNA_ALEMBIC_REVISION, OPTUNA_LIBRARY_VERSION, OPTUNA_SCHEMA_VERSION } from './schema.js';
export {
  DEFAULT_OBJECTIVES,
  OBJECTIVE_SPECS,
  optunaStudyRows,
  parseObjectives,
  type ObjectiveKey,
  type OptunaStudyRows,
} from './study-rows.js';

export async function exportOptuna(
  store: TrialStore,
  searchIdOrName: string | number,
  outFile: string,
  objectives: readonly ObjectiveKey[] = DEFAULT_OBJECTIVES,
): Promise<{ studyName: string; trials: number }> {
  const search = await store.getSearch(searchIdOrName);
  // Build every row first: a search that cannot be exported leaves no file behind.
  const rows = optunaStudyRows(search, await store.listTrials(search.id, { orderBy: 'number' }), objectives);
  claimNewFile(outFile);
  try {
    writingFile(outFile, () => writeStudy(outFile, rows), 'Optuna study');
  } catch (e) {
    rmSync(outFile, { force: true });
    throw e;
  }
  return { studyName: rows.name, trials: rows.trials.length };
}

/** Creates the file exclusively (O_EXCL), so an existing file is never overwritten, even one created a moment ago. */
function claimNewFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${file} already exists`, 'choose another --out or delete it');
    if (code === 'ENOENT')
      throw new UsageError(
        `cannot create ${file}: its folder does not exist`,
        'create the folder or choose another --out',
      );
    throw new UsageError(`cannot create ${file} (${code ?? String(e)})`, 'choose another --out');
  }
}

function writeStudy(file: string, study: OptunaStudyRows): void {
  // An empty file is an empty SQLite database. Default rollback journal (not WAL): the result is one self-contained file.
  const db = connect(file);
  try {
    db.pragma('foreign_keys = ON');
    db.transaction(() => {
      for (const ddl of OPTUNA_DDL) db.exec(ddl);
      db.prepare('INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)').run(
        OPTUNA_SCHEMA_VERSION,
        OPTUNA_LIBRARY_VERSION,
      );
      db.prepare('INSERT INTO alembic_version (version_num) VALUES (?)').run(OPTUNA_ALEMBIC_REVISION);
      insertRows(db, study);
    })();
  } finally {
    db.close();
  }
}

function insertRows(db: Database.Database, study: OptunaStudyRows): void {
  const studyId = Number(db.prepare('INSERT INTO studies (study_name) VALUES (?)').run(study.name).lastInsertRowid);
  const direction = db.prepare('INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)');
  study.directions.forEach((d, objective) => direction.run(d, studyId, objective));
  const studyAttr = db.prepare('INSERT INTO study_user_attributes (study_id, "key", value_json) VALUES (?, ?, ?)');
  for (const [key, json] of study.userAttrs) studyAttr.run(studyId, key, json);

  const trial = db.prepare(
    'INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?)',
  );
  const param = db.prepare(
    'INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)',
  );
  const value = db.prepare('INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)');
  const intermediate = db.prepare(
    'INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)',
  );
  const attr = db.prepare('INSERT INTO trial_user_attributes (trial_id, "key", value_json) VALUES (?, ?, ?)');
  for (const t of study.trials) {
    const trialId = Number(trial.run(t.number, studyId, t.state, t.datetimeStart, t.datetimeComplete).lastInsertRowid);
    for (const p of t.params) param.run(trialId, p.name, p.value, p.distributionJson);
    t.values.forEach((v, objective) => value.run(trialId, objective, v.value, v.type));
    for (const v of t.intermediate) intermediate.run(trialId, v.step, v.value, v.type);
    for (const [key, json] of t.userAttrs) attr.run(trialId, key, json);
  }
}
