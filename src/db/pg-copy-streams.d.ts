// The part of pg-copy-streams (7.0, no types of its own) that src/db/pg-copy.ts uses.
declare module 'pg-copy-streams' {
  import type { Writable } from 'node:stream';

  /** A COPY … FROM STDIN statement as a writable stream; pg runs it when it is passed to client.query(). */
  export interface CopyFromStream extends Writable {
    /** Rows the server stored, from its CommandComplete message (set when the stream finishes). */
    rowCount: number;
    submit(connection: unknown): void;
  }
  export function from(text: string): CopyFromStream;
}
