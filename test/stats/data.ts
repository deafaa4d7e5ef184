import { COMMUNE, type ExportRow } from './fixtures.ts';

// May 2022 at the district office (all 'Trực tiếp' and 'Hộ tịch' unless said), one dossier per case of the
// counting rules, plus two commune dossiers. What each one is in May and June 2022 is written next to it; the
// tests' expected numbers are added up from these comments.
export const MAY: ExportRow[] = [
  // received before May, ended inside, before its due day: May carriedOver + resolvedEarly
  { code: 'A', field: 'Đất đai', received: '20/04/2022 08:00', due: '10/05/2022 17:00', ended: '05/05/2022 10:00' },
  // received inside, still open: May receivedDirect, pendingOnTime (due 20/06); June carriedOver, pendingOverdue
  { code: 'B', received: '10/05/2022 09:00', due: '20/06/2022 17:00' },
  // received inside, ended after May: May received, pendingOverdue (due 25/05 < 31/05); June resolvedLate
  { code: 'C', field: 'Đất đai', received: '15/05/2022 08:00', due: '25/05/2022 17:00', ended: '10/06/2022 09:00' },
  // ended at 00:00 on the first day, on its due day: May carriedOver + resolvedOnTime
  { code: 'D', received: '28/04/2022 08:00', due: '01/05/2022 17:00', ended: '01/05/2022 00:00', status: 'Đã xử lý xong' },
  // online, ended at 23:59 on the last day, a day late: May receivedOnline + resolvedLate
  { code: 'E', field: 'Đất đai', channel: 'Trực tuyến', received: '25/05/2022 10:00', due: '30/05/2022 17:00', ended: '31/05/2022 23:59' },
  // ended at 23:59 the day before May: not in May at all
  { code: 'F', received: '20/04/2022 08:00', due: '25/04/2022 17:00', ended: '30/04/2022 23:59' },
  // postal, received at 23:59 on the last day, no due date: May receivedPostal + pendingOnTime; June carried, pendingOnTime
  { code: 'G', channel: 'Bưu chính', received: '31/05/2022 23:59' },
  // received at 00:00 on 1 June: not in May; June receivedDirect + pendingOverdue (due 05/06 < 30/06)
  { code: 'I', received: '01/06/2022 00:00', due: '05/06/2022 17:00' },
  // liên thông, received at 00:00 on the first day, no due date, finished: May receivedLienThong + resolvedOnTime
  { code: 'J', channel: 'Liên thông', received: '01/05/2022 00:00', ended: '03/05/2022 15:00', status: 'Đã xử lý xong' },
  // rejected: May receivedDirect + resolvedRejected
  { code: 'K', received: '03/05/2022 08:00', due: '10/05/2022 17:00', ended: '04/05/2022 10:00', status: 'Từ chối' },
  // withdrawn: May carriedOver + withdrawn
  { code: 'L', received: '10/04/2022 08:00', due: '20/05/2022 17:00', ended: '12/05/2022 10:00', status: 'Công dân rút hồ sơ' },
  // open since April, due in April: May carriedOver + pendingOverdue; June carried + pendingOverdue
  { code: 'M', received: '01/04/2022 08:00', due: '15/04/2022 17:00', status: 'Yêu cầu bổ sung' },
  // due on the last day of May, open: May received + pendingOnTime; June carried + pendingOverdue
  { code: 'N', received: '20/05/2022 08:00', due: '31/05/2022 08:00' },
  // ended at 00:00 on 1 June: May received + pendingOnTime (due 31/05); June carried + resolvedLate
  { code: 'O', received: '30/05/2022 08:00', due: '31/05/2022 17:00', ended: '01/06/2022 00:00' },
  // no channel, no field, open, no due date: May receivedTotal only + pendingOnTime; June carried + pendingOnTime
  { code: 'P', channel: '', field: '', received: '15/05/2022 09:00' },
  // commune, Bảo hiểm xã hội, online, early: May receivedOnline + resolvedEarly
  { code: 'X1', unit: COMMUNE, field: 'Bảo hiểm xã hội', channel: 'Trực tuyến', received: '05/05/2022 08:00', due: '10/05/2022 17:00', ended: '09/05/2022 08:00' },
  // commune, open, due 30/06: May receivedDirect + pendingOnTime; June carried + pendingOnTime
  { code: 'X2', unit: COMMUNE, received: '06/05/2022 08:00', due: '30/06/2022 17:00' },
];

// Reporting periods (15th of the month before to the 14th; a year from 15/12 to 14/12) at the commune.
export const REPORTING: ExportRow[] = [
  // received 14/04 23:59, ended 15/04 00:00 on its due day: reporting May carriedOver + resolvedOnTime
  { code: 'R1', received: '14/04/2022 23:59', due: '15/04/2022 17:00', ended: '15/04/2022 00:00' },
  // received 15/04 00:00 online, open, no due: reporting May receivedOnline + pendingOnTime
  { code: 'R2', channel: 'Trực tuyến', received: '15/04/2022 00:00' },
  // received 14/05 23:59, open, due 20/05: reporting May received + pendingOnTime
  { code: 'R3', received: '14/05/2022 23:59', due: '20/05/2022 17:00' },
  // received 15/05 00:00: reporting June, not May
  { code: 'R4', received: '15/05/2022 00:00', due: '25/05/2022 17:00' },
  // ended 14/04 23:59: before reporting May
  { code: 'R5', received: '10/04/2022 08:00', due: '13/04/2022 17:00', ended: '14/04/2022 23:59' },
  // ended 14/05 23:59, due 10/05: reporting May received + resolvedLate
  { code: 'R6', received: '01/05/2022 08:00', due: '10/05/2022 17:00', ended: '14/05/2022 23:59' },
  // due on the last day (14/05), open: reporting May received + pendingOnTime
  { code: 'R7', received: '01/05/2022 08:00', due: '14/05/2022 17:00' },
  // due the day before the last, open: reporting May received + pendingOverdue
  { code: 'R8', received: '01/05/2022 08:00', due: '13/05/2022 17:00' },
  // reporting year 2022 (15/12/2021–14/12/2022): R9 carried over; R10 and R11 received; R12 not in it
  { code: 'R9', received: '14/12/2021 23:59' },
  { code: 'R10', received: '15/12/2021 00:00' },
  { code: 'R11', received: '14/12/2022 23:59' },
  { code: 'R12', received: '15/12/2022 00:00' },
].map((row) => ({ ...row, unit: COMMUNE }));
