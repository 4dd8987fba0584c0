/**
 * A value of the wrong kind says what was expected and what the file holds, behind the file:line: key prefix every
 * space error has; a file that expands aliases without bound (an "alias bomb") is the file's to fix, not a bug.
 */
import { describe, expect, it } from 'vitest';
import { errorLine, minimal } from './space-fixtures.js';

describe('wrong values in a space', () => {
  it('1. a string where a number goes', () => {
    expect(errorLine(`${minimal}model:\n  lr: fast\n`)).toBe(
      'space.yaml:6: model.lr: expected a number, found the string "fast" — fix the value',
    );
  });

  it('2. a string where a list goes', () => {
    expect(errorLine(`${minimal}features:\n  dims: eight\n`)).toBe(
      'space.yaml:6: features.dims: expected a list, found the string "eight" — fix the value',
    );
  });

  it('3. a fractional number where a whole one goes', () => {
    expect(errorLine(`${minimal}features:\n  dims: [0, 2.5]\n`)).toBe(
      'space.yaml:6: features.dims[1]: expected a whole number, found the fractional number 2.5 — fix the value',
    );
  });

  it('4. a number where a mapping goes, and an empty value', () => {
    expect(errorLine(`${minimal}model: 3\n`)).toMatch(
      /^space\.yaml:5: model: expected a mapping \(key: value lines\), found the number 3/,
    );
    expect(errorLine(`${minimal}model:\n  lr:\n`)).toMatch(
      /^space\.yaml:6: model\.lr: expected a number, found nothing \(null\)/,
    );
  });

  it('5. a value outside a list of choices names the choices and the value', () => {
    expect(errorLine(`${minimal}model:\n  optimizer: sgd\n`)).toBe(
      'space.yaml:6: model.optimizer: expected one of adam, adagrad, found the string "sgd" — fix the value',
    );
  });

  it('6. a value that breaks a rule says the rule and the value', () => {
    expect(errorLine(`${minimal}features:\n  dims: [0, 4, -8]\n`)).toMatch(
      /^space\.yaml:6: features\.dims\[2\]: .*, found the number -8 — fix the value$/,
    );
    expect(errorLine(`name: a b/c\n${minimal}`)).toBe(
      'space.yaml:1: name: letters, digits, ".", "_" and "-" only, found the string "a b/c" — fix the value',
    );
  });

  it('7. a missing key is still called missing', () => {
    expect(errorLine('data:\n  format: synthetic\n')).toMatch(
      /reward: required key is missing — add reward \(expected a mapping/,
    );
  });

  it('8. an alias bomb is one line naming the file', () => {
    const level = (name: string, of: string) => `${name}: &${name} [${Array(10).fill(`*${of}`).join(', ')}]\n`;
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${level('b', 'a')}${level('c', 'b')}${level('d', 'c')}${level('e', 'd')}${level('f', 'e')}`;
    expect(errorLine(`${minimal}${bomb}`)).toMatch(
      /^space\.yaml: too many YAML alias expansions \(Excessive alias count.*\) — write the values out/,
    );
  });
});
