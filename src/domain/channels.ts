import { vocabulary } from './text.ts';

/** How a dossier was submitted (docs/rules.md: Hình thức nộp / Kênh). */
export const CHANNELS = ['truc_tiep', 'truc_tuyen', 'buu_chinh', 'lien_thong'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  truc_tiep: 'Trực tiếp',
  truc_tuyen: 'Trực tuyến',
  buu_chinh: 'Bưu chính',
  lien_thong: 'Liên thông',
};

// The words one-stop systems, the national portal and office spreadsheets use for each channel (issue 11, point 7).
// "Toàn trình" and "một phần" are online dossiers of a fully or partly online procedure.
export const parseChannel = vocabulary<Channel>([
  ['truc_tiep', [
    'Trực tiếp', 'Một cửa', 'Tại quầy', 'Nộp trực tiếp', 'Tiếp nhận trực tiếp', 'Bộ phận một cửa', 'Nộp tại bộ phận một cửa',
    'Trực tiếp tại bộ phận một cửa', 'Nộp hồ sơ trực tiếp', 'Trực tiếp tại quầy', '1', 'truc_tiep',
  ]],
  ['truc_tuyen', [
    'Trực tuyến', 'Nộp trực tuyến', 'Online', 'DVC trực tuyến', 'Dịch vụ công trực tuyến', 'Trực tuyến toàn trình',
    'Trực tuyến một phần', 'Toàn trình', 'Một phần', 'DVC trực tuyến toàn trình', 'DVC trực tuyến một phần', 'Qua mạng',
    'Nộp qua mạng', 'Cổng dịch vụ công', 'Cổng DVC', 'Cổng dịch vụ công quốc gia', 'Cổng DVC quốc gia', 'DVCQG',
    'Nộp qua cổng dịch vụ công', 'Nộp hồ sơ trực tuyến', '2', 'truc_tuyen',
  ]],
  ['buu_chinh', [
    'Bưu chính', 'BCCI', 'Qua dịch vụ bưu chính công ích', 'Bưu chính công ích', 'Dịch vụ bưu chính', 'Dịch vụ bưu chính công ích',
    'Qua bưu điện', 'Bưu điện', 'Qua bưu chính', 'Nộp qua bưu chính', 'Nộp qua bưu điện', 'Qua dịch vụ BCCI', 'Dịch vụ BCCI',
    '3', 'buu_chinh',
  ]],
  ['lien_thong', ['Liên thông', 'Hồ sơ liên thông', 'Liên thông điện tử', 'Tiếp nhận liên thông', '4', 'lien_thong']],
]);
