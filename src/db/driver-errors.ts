import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// The errors of SQLite (better-sqlite3) and PostgreSQL (pg) in words an office understands. The driver's own
// English text stays beside the explanation, in parentheses, for whoever has to look further.

interface DriverError {
  message?: string;
  code?: string;
}

/**
 * What went wrong, in Vietnamese, for the errors people meet (wrong path, server down, wrong password), to put
 * after the database's name; else undefined.
 */
export function explainDriverError(error: unknown, target: string): string | undefined {
  const { message = '', code = '' } = (error ?? {}) as DriverError;
  const text = `${code} ${message}`;
  const has = (pattern: RegExp) => pattern.test(text);

  // SQLite
  if (has(/SQLITE_CANTOPEN|unable to open database file|directory does not exist/i)) {
    const folder = dirname(resolve(target));
    return existsSync(folder) ? `không có quyền mở hoặc tạo tệp này trong thư mục ${folder}` : `thư mục ${folder} không tồn tại`;
  }
  if (has(/SQLITE_NOTADB|file is not a database/i)) return 'tệp này không phải là cơ sở dữ liệu SQLite (hoặc đã hỏng)';
  if (has(/SQLITE_CORRUPT|database disk image is malformed/i)) return 'tệp cơ sở dữ liệu bị hỏng';
  if (has(/SQLITE_READONLY|readonly database/i)) return 'không có quyền ghi vào tệp hoặc vào thư mục của nó';
  if (has(/SQLITE_FULL|disk is full|ENOSPC/i)) return 'ổ đĩa đã đầy';
  if (has(/SQLITE_BUSY|database is locked/i)) return 'tệp đang bị một tiến trình khác khoá quá lâu';
  if (has(/SQLITE_IOERR|disk I\/O error/i)) return 'lỗi đọc/ghi đĩa';
  if (has(/SQLITE_PERM|EACCES|permission denied for (?!schema|table|database|relation)/i)) return 'không có quyền truy cập tệp';

  // PostgreSQL
  const server = serverOf(target);
  if (has(/ECONNREFUSED/)) return `máy chủ PostgreSQL ${server} không nhận kết nối: máy chủ chưa chạy, hoặc sai tên máy hay cổng`;
  if (has(/ENOTFOUND|EAI_AGAIN/)) return `không tìm thấy máy chủ ${server}: sai tên máy hoặc không có mạng`;
  if (has(/ETIMEDOUT|timeout expired|Connection terminated due to connection timeout/i)) return `máy chủ PostgreSQL ${server} không trả lời`;
  if (has(/password authentication failed|28P01/i)) return 'sai tên người dùng hoặc mật khẩu PostgreSQL';
  if (has(/client password must be a string|SASL/i)) return 'thiếu mật khẩu PostgreSQL trong địa chỉ --db';
  let m = /database "([^"]+)" does not exist/i.exec(message);
  if (m) return `máy chủ PostgreSQL ${server} chưa có cơ sở dữ liệu "${m[1]}" (tạo bằng: createdb ${m[1]})`;
  m = /role "([^"]+)" does not exist/i.exec(message);
  if (m) return `máy chủ PostgreSQL ${server} không có người dùng "${m[1]}"`;
  if (has(/no pg_hba\.conf entry/i)) return `máy chủ PostgreSQL ${server} không cho phép kết nối từ máy này (pg_hba.conf)`;
  if (has(/permission denied/i)) return 'người dùng PostgreSQL không có quyền tạo hoặc đọc các bảng của tthc';
  if (has(/the database system is (starting up|shutting down)|57P03/i)) return `máy chủ PostgreSQL ${server} đang khởi động hoặc đang tắt`;
  if (has(/Connection terminated|ECONNRESET|57P01/i)) return `kết nối tới máy chủ PostgreSQL ${server} bị ngắt`;
  return undefined;
}

/** host:port of a postgres:// URL (no user, no password). */
function serverOf(target: string): string {
  try {
    const url = new URL(target);
    return url.host || 'localhost';
  } catch {
    return '';
  }
}

/**
 * The database cannot take the write, for a reason the user can act on (a full disk, a read-only file or
 * server, an I/O error), in words; undefined for any other error. Both drivers' error codes are read.
 */
export function storageFailure(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') {
    return 'ổ đĩa (hoặc cơ sở dữ liệu) đã đầy, không ghi thêm được';
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === '25006') {
    return 'cơ sở dữ liệu chỉ cho phép đọc, không ghi được';
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === '58030') return 'lỗi đọc/ghi ổ đĩa';
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM') return 'không có quyền ghi tệp cơ sở dữ liệu';
  return undefined;
}
