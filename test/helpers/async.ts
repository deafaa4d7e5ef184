import { expect } from 'vitest';
import { InputError } from '../../src/import/types.ts';

// Small helpers of the reader tests.

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The InputError a promise rejects with; fails the test when it resolves or rejects with something else. */
export async function inputError(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}
