/**
 * MovieLens 100K: the ratings of u.data joined with the users of u.user and the movies of u.item (latin-1), under the
 * CTR convention rating ≥ 4 → 1. Ids, ages and release years are number keys; gender, occupation, zip and the genre
 * combination (e.g. "Animation|Children's|Comedy") are strings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { DataSpec } from '../../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from '../row-sink.js';
import { BadRows, shown } from './bad-rows.js';
import { selectFields } from './fields.js';
import { checkReadableFile, forEachLine, shownPath, type InputFile } from './line-source.js';

export const MOVIELENS_FIELDS: readonly string[] = [
  'user',
  'item',
  'age',
  'gender',
  'occupation',
  'zip',
  'release_year',
  'genres',
];

/** The 19 genre flags of u.item, in file order (as u.genre lists them). */
const GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];
const ITEM_COLUMNS = 5 + GENRES.length;
const POSITIVE_RATING = 4;

interface User {
  age: number;
  gender: string;
  occupation: string;
  zip: string;
}
interface Item {
  releaseYear: number | null;
  genres: string | null;
}

export function movielensReader(folder: string, spec: DataSpec): Reader {
  const shownFolder = shownPath(folder);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new UsageError(
      `data.path: folder not found: ${shownFolder}`,
      'for format movielens, data.path is the ml-100k folder (with u.data, u.user, u.item)',
    );
  }
  const file = (name: string): InputFile => ({
    abs: path.join(folder, name),
    shown: shownPath(path.join(folder, name)),
  });
  const files = { ratings: file('u.data'), users: file('u.user'), items: file('u.item') };
  for (const f of Object.values(files)) checkReadableFile(f, 'data.path');
  const chosen = selectFields(spec.fields, MOVIELENS_FIELDS, 'fields of format movielens');
  return {
    fields: chosen.map((i) => MOVIELENS_FIELDS[i]),
    read: (sink) => readMovielens(files, chosen, spec.onBadRow ?? 'error', sink),
  };
}

/** Splits a `|` or tab line into exactly `count` cells, or reports the line and returns null. */
function cellsOf(
  text: string,
  separator: string,
  count: number,
  bad: BadRows,
  file: InputFile,
  line: number,
): string[] | null {
  const cells = text.split(separator);
  if (cells.length === count) return cells;
  const name = separator === '\t' ? 'tab' : `'${separator}'`;
  bad.report(
    file,
    line,
    `expected ${count} ${name}-separated columns, found ${cells.length}`,
    `check that ${path.basename(file.abs)} is the MovieLens 100K file`,
  );
  return null;
}

const isId = (s: string): boolean => /^\d+$/.test(s);

async function readUsers(file: InputFile, bad: BadRows): Promise<Map<number, User>> {
  const users = new Map<number, User>();
  await forEachLine(file, (buf, start, end, line) => {
    const cells = cellsOf(buf.toString('latin1', start, end), '|', 5, bad, file, line);
    if (cells === null) return;
    const [id, age, gender, occupation, zip] = cells;
    if (!isId(id) || !isId(age)) {
      bad.report(file, line, `user id ${shown(id)} or age ${shown(age)} is not a number`, 'fix the line');
      return;
    }
    users.set(Number(id), { age: Number(age), gender, occupation, zip });
  });
  return users;
}

async function readItems(file: InputFile, bad: BadRows): Promise<Map<number, Item>> {
  const items = new Map<number, Item>();
  await forEachLine(file, (buf, start, end, line) => {
    const cells = cellsOf(buf.toString('latin1', start, end), '|', ITEM_COLUMNS, bad, file, line);
    if (cells === null) return;
    const date = cells[2].trim();
    const year = /(\d{4})$/.exec(date);
    if (!isId(cells[0]) || (date !== '' && year === null)) {
      bad.report(file, line, `movie id ${shown(cells[0])} or release date ${shown(date)} is malformed`, 'fix the line');
      return;
    }
    const genres = GENRES.filter((_, g) => cells[5 + g] === '1');
    items.set(Number(cells[0]), {
      releaseYear: year === null ? null : Number(year[1]),
      genres: genres.length === 0 ? null : genres.join('|'),
    });
  });
  return items;
}

async function readMovielens(
  files: { ratings: InputFile; users: InputFile; items: InputFile },
  chosen: number[],
  policy: 'error' | 'skip',
  sink: RowSink,
): Promise<ReadStats> {
  const bad = new BadRows(policy);
  const users = await readUsers(files.users, bad);
  const items = await readItems(files.items, bad);
  const all: Key[] = new Array<Key>(MOVIELENS_FIELDS.length).fill(null);
  const keys: Key[] = new Array<Key>(chosen.length).fill(null);
  let rows = 0;
  await forEachLine(files.ratings, (buf, start, end, line) => {
    const cells = cellsOf(buf.toString('latin1', start, end), '\t', 4, bad, files.ratings, line);
    if (cells === null) return;
    const [userId, itemId, rating] = cells;
    if (!/^[1-5]$/.test(rating)) {
      bad.report(files.ratings, line, `rating ${shown(rating)} is not a number from 1 to 5`, 'fix the line');
      return;
    }
    const user = users.get(Number(userId));
    const item = items.get(Number(itemId));
    if (!isId(userId) || user === undefined || !isId(itemId) || item === undefined) {
      const which =
        user === undefined ? `user ${shown(userId)} is not in u.user` : `movie ${shown(itemId)} is not in u.item`;
      bad.report(files.ratings, line, which, 'use u.data, u.user and u.item of the same MovieLens release');
      return;
    }
    all[0] = Number(userId);
    all[1] = Number(itemId);
    all[2] = user.age;
    all[3] = user.gender === '' ? null : user.gender;
    all[4] = user.occupation === '' ? null : user.occupation;
    all[5] = user.zip === '' ? null : user.zip;
    all[6] = item.releaseYear;
    all[7] = item.genres;
    for (let i = 0; i < chosen.length; i++) keys[i] = all[chosen[i]];
    sink.row(Number(rating) >= POSITIVE_RATING ? 1 : 0, keys);
    rows++;
  });
  return bad.finish(rows, files.ratings.shown);
}
