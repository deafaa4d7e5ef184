import { COMMUNE, type ExportRow } from './fixtures.ts';

// QĐ 766's progress (docs/rules.md, "Progress by QĐ 766") on dossiers counted by hand. March 2024:
//
// District                                   handled  in time   (onTimeRate: resolved, early+on time)
//  A received 01/02, due 10/03, done 05/03       1        1        resolved, early
//  B due 10/03, done 10/03 16:00                 1        1        resolved, on time
//  C due 10/03, done 12/03                       1        0        resolved, late
//  D due 08/03, rejected 07/03                   1        1        resolved (rejected), not early/on time
//  E due 05/03, withdrawn 20/03                  1        0        (not resolved)
//  F pending, due 31/03 (the last day)           1        1
//  G pending, due 30/03                          1        0
//  H pending, no due day                         1        1
//  I done 20/02                                  0        0        (ended before March)
//  J received 01/04                              0        0
//  K due 25/03, done 02/04 (pending on 31/03)    1        0
//  L done 15/03, no due day                      1        1        resolved, on time
//  M due 20/03, rejected 18/03                   1        1        resolved (rejected)
//                                               11        7        onTimeRate 3/6
// Commune
//  N pending, due 05/03                          1        0
//  O online, due 05/03, done 04/03               1        1        resolved, early
//                                                2        1
// February: A pending in time, I done early (due 25/02): handled 2, in time 2. January: nothing.

export const PROGRESS_766_ROWS: ExportRow[] = [
  { code: 'A', received: '01/02/2024 08:00', due: '10/03/2024 17:00', ended: '05/03/2024 09:00', status: 'Đã trả kết quả' },
  { code: 'B', received: '01/03/2024 08:00', due: '10/03/2024 17:00', ended: '10/03/2024 16:00', status: 'Đã trả kết quả' },
  { code: 'C', received: '01/03/2024 08:30', due: '10/03/2024 17:00', ended: '12/03/2024 09:00', status: 'Đã xử lý xong' },
  { code: 'D', received: '02/03/2024 08:00', due: '08/03/2024 17:00', ended: '07/03/2024 10:00', status: 'Từ chối' },
  { code: 'E', received: '02/03/2024 09:00', due: '05/03/2024 17:00', ended: '20/03/2024 10:00', status: 'Công dân rút hồ sơ' },
  { code: 'F', received: '10/03/2024 08:00', due: '31/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'G', received: '10/03/2024 09:00', due: '30/03/2024 17:00', status: 'Yêu cầu bổ sung' },
  { code: 'H', received: '15/03/2024 08:00', status: 'Đang xử lý' },
  { code: 'I', received: '01/02/2024 09:00', due: '25/02/2024 17:00', ended: '20/02/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'J', received: '01/04/2024 08:00', due: '10/04/2024 17:00', status: 'Đang xử lý' },
  { code: 'K', received: '20/03/2024 08:00', due: '25/03/2024 17:00', ended: '02/04/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'L', received: '12/03/2024 08:00', ended: '15/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'M', received: '05/03/2024 08:00', due: '20/03/2024 17:00', ended: '18/03/2024 10:00', status: 'Từ chối' },
  { code: 'N', unit: COMMUNE, received: '01/03/2024 08:00', due: '05/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'O', unit: COMMUNE, channel: 'Trực tuyến', received: '01/03/2024 08:00', due: '05/03/2024 17:00', ended: '04/03/2024 10:00', status: 'Đã trả kết quả' },
];
