// The part of pg-copy-streams (7.0, no types of its own) that src/db/pg-copy.ts and the benchmarks use.
declare module 'pg-copy-streams' {
  import type { Readable, Writable } from 'node:stream';

  /** A COPY … FROM STDIN statement as a writable stream; pg runs it when it is passed to client.query(). */
  export interface CopyFromStream extends Writable {
    /** Rows the server stored, from its CommandComplete message (set when the stream finishes). */
    rowCount: number;
    submit(connection: unknown): void;
  }
  export function from(text: string): CopyFromStream;

  /** A COPY … TO STDOUT statement as a readable stream of its data; pg runs it when it is passed to client.query(). */
  export interface CopyToStream extends Readable {
    submit(connection: unknown): void;
  }
  export function to(text: string): CopyToStream;
}
