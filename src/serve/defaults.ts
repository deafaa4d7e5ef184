// The server's defaults, apart from the server itself, so that the CLI can name them in --help without loading it.

export const DEFAULT_PORT = 8686;
export const DEFAULT_HOST = '127.0.0.1';
/** Largest upload accepted by default: a million-row export as .xlsx is about 60 MB, as .csv about 150 MB. */
export const DEFAULT_UPLOAD_LIMIT = 256 * 1024 * 1024;
