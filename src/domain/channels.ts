import { vocabulary } from './text.ts';

/** How a dossier was submitted (DOMAIN.md: Hình thức nộp / Kênh). */
export const CHANNELS = ['truc_tiep', 'truc_tuyen', 'buu_chinh', 'lien_thong'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  truc_tiep: 'Trực tiếp',
  truc_tuyen: 'Trực tuyến',
  buu_chinh: 'Bưu chính',
  lien_thong: 'Liên thông',
};

export const parseChannel = vocabulary<Channel>([
  ['truc_tiep', ['Trực tiếp', 'Một cửa', 'Tại quầy', 'Nộp trực tiếp', 'Tiếp nhận trực tiếp', '1', 'truc_tiep']],
  ['truc_tuyen', ['Trực tuyến', 'Nộp trực tuyến', 'Online', 'DVC trực tuyến', 'Dịch vụ công trực tuyến', '2', 'truc_tuyen']],
  ['buu_chinh', ['Bưu chính', 'BCCI', 'Qua dịch vụ bưu chính công ích', 'Bưu chính công ích', 'Dịch vụ bưu chính', '3', 'buu_chinh']],
  ['lien_thong', ['Liên thông', 'Hồ sơ liên thông', '4', 'lien_thong']],
]);
