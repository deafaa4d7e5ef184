import type { Level } from '../../src/domain/levels.ts';
import { cumulate, prng, type Random } from './prng.ts';

// A province shaped like Phú Thọ before the 2025 reform: 20 province-level bodies, 13 district-level units and
// 225 communes, with the procedures each level carries out. Volumes per level follow the order of magnitude of
// the published reports: the three levels receive comparable totals, spread over very different unit counts.

export interface ProcedureSpec {
  name: string;
  field: string;
  /** Working days the procedure's rules allow; 0 = the same day. */
  days: number;
  /** Share of this procedure's dossiers that come in through an inter-level link (liên thông). */
  lienThong?: number;
}

export interface BenchUnit {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
  /** Agency part of the dossier codes (TT 04/2025/TT-VPCP shape AGENCY-YYMMDD-SEQ). */
  agency: string;
  procedures: ProcedureSpec[];
  /** Cumulative weights over procedures. */
  procedureWeights: number[];
}

export interface Province {
  units: BenchUnit[];
  /** Cumulative weights over units: how dossiers spread across them. */
  unitWeights: number[];
}

const LEVEL_VOLUME: Record<Level, number> = { tinh: 0.3, huyen: 0.35, xa: 0.35 };

const PROVINCE_BODIES: Array<[string, ProcedureSpec[]]> = [
  ['Sở Tư pháp', [p('Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam', 'Lý lịch tư pháp', 10), p('Đăng ký hoạt động của Văn phòng công chứng', 'Công chứng', 10)]],
  ['Sở Kế hoạch và Đầu tư', [p('Đăng ký thành lập doanh nghiệp tư nhân', 'Thành lập và hoạt động của doanh nghiệp', 3), p('Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 'Thành lập và hoạt động của doanh nghiệp', 3)]],
  ['Sở Tài nguyên và Môi trường', [p('Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', 'Đất đai', 10), p('Cấp giấy phép khai thác nước dưới đất', 'Tài nguyên nước', 20)]],
  ['Sở Xây dựng', [p('Cấp giấy phép xây dựng công trình', 'Hoạt động xây dựng', 20), p('Cấp chứng chỉ hành nghề hoạt động xây dựng', 'Hoạt động xây dựng', 20)]],
  ['Sở Giao thông vận tải', [p('Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp', 'Đường bộ', 5), p('Cấp phù hiệu xe ô tô kinh doanh vận tải', 'Đường bộ', 2)]],
  ['Sở Công Thương', [p('Cấp Giấy phép bán lẻ sản phẩm rượu', 'Lưu thông hàng hóa trong nước', 10), p('Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm', 'An toàn thực phẩm', 15)]],
  ['Sở Nông nghiệp và Phát triển nông thôn', [p('Cấp chứng chỉ hành nghề thú y', 'Thú y', 5), p('Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản', 'Quản lý chất lượng nông lâm sản và thủy sản', 15)]],
  ['Sở Lao động - Thương binh và Xã hội', [p('Cấp giấy phép lao động cho người lao động nước ngoài', 'Việc làm', 5), p('Giải quyết chế độ trợ cấp một lần đối với người có công', 'Người có công', 12)]],
  ['Sở Y tế', [p('Cấp chứng chỉ hành nghề dược', 'Dược phẩm', 20), p('Cấp giấy phép hoạt động đối với phòng khám chuyên khoa', 'Khám bệnh, chữa bệnh', 30)]],
  ['Sở Giáo dục và Đào tạo', [p('Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 'Văn bằng, chứng chỉ', 1), p('Chỉnh sửa nội dung văn bằng, chứng chỉ', 'Văn bằng, chứng chỉ', 5)]],
  ['Sở Văn hoá, Thể thao và Du lịch', [p('Cấp Giấy phép tổ chức biểu diễn nghệ thuật', 'Nghệ thuật biểu diễn', 5), p('Công nhận cơ sở lưu trú du lịch hạng 1 sao', 'Du lịch', 10)]],
  ['Sở Thông tin và Truyền thông', [p('Cấp giấy phép xuất bản bản tin', 'Báo chí', 15), p('Cấp giấy phép hoạt động in', 'Xuất bản, In và Phát hành', 10)]],
  ['Sở Khoa học và Công nghệ', [p('Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ', 'Hoạt động khoa học và công nghệ', 15), p('Cấp giấy phép tiến hành công việc bức xạ', 'An toàn bức xạ và hạt nhân', 10)]],
  ['Sở Tài chính', [p('Đăng ký mã số đơn vị có quan hệ với ngân sách', 'Tin học - Thống kê', 2), p('Thẩm định quyết toán vốn đầu tư dự án hoàn thành', 'Quản lý công sản', 30)]],
  ['Sở Nội vụ', [p('Thành lập hội', 'Tổ chức phi chính phủ', 30), p('Công nhận ban vận động thành lập hội', 'Tổ chức phi chính phủ', 30)]],
  ['Ban Quản lý các khu công nghiệp tỉnh Phú Thọ', [p('Cấp Giấy chứng nhận đăng ký đầu tư', 'Đầu tư tại Việt Nam', 15), p('Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp', 'Việc làm', 5)]],
  ['Ban Dân tộc tỉnh Phú Thọ', [p('Công nhận người có uy tín trong đồng bào dân tộc thiểu số', 'Công tác dân tộc', 10)]],
  ['Công an tỉnh Phú Thọ', [p('Cấp hộ chiếu phổ thông', 'Xuất nhập cảnh', 8), p('Đăng ký xe', 'Đăng ký, quản lý phương tiện giao thông', 2)]],
  ['Trung tâm Phục vụ hành chính công tỉnh Phú Thọ', [p('Cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho tổ chức', 'Đất đai', 20), p('Đăng ký thành lập hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3)]],
  ['Bảo hiểm xã hội tỉnh Phú Thọ', [p('Giải quyết hưởng chế độ ốm đau', 'Bảo hiểm xã hội', 6), p('Cấp lại thẻ bảo hiểm y tế', 'Bảo hiểm xã hội', 2)]],
];

const DISTRICTS = [
  'UBND thành phố Việt Trì', 'UBND thị xã Phú Thọ', 'UBND huyện Cẩm Khê', 'UBND huyện Đoan Hùng', 'UBND huyện Hạ Hoà',
  'UBND huyện Lâm Thao', 'UBND huyện Phù Ninh', 'UBND huyện Tam Nông', 'UBND huyện Tân Sơn', 'UBND huyện Thanh Ba',
  'UBND huyện Thanh Sơn', 'UBND huyện Thanh Thuỷ', 'UBND huyện Yên Lập',
];
const COMMUNES = 225;

const DISTRICT_PROCEDURES: ProcedureSpec[] = [
  p('Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', 'Đất đai', 10),
  p('Cấp Giấy chứng nhận quyền sử dụng đất lần đầu', 'Đất đai', 30),
  p('Đăng ký thành lập hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3),
  p('Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3),
  p('Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Hoạt động xây dựng', 15),
  p('Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan nước ngoài cấp', 'Chứng thực', 0),
  p('Đăng ký khai sinh có yếu tố nước ngoài', 'Hộ tịch', 15),
  p('Giải quyết hưởng chế độ ốm đau', 'Bảo hiểm xã hội', 6),
  p('Cấp lại thẻ bảo hiểm y tế', 'Bảo hiểm xã hội', 2),
  p('Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng', 'Bảo trợ xã hội', 20),
];
const DISTRICT_PROCEDURE_WEIGHTS = [30, 6, 10, 4, 6, 10, 1, 10, 8, 5];

const COMMUNE_PROCEDURES: ProcedureSpec[] = [
  p('Đăng ký khai sinh', 'Hộ tịch', 0),
  p('Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi', 'Hộ tịch', 10, 0.8),
  p('Đăng ký kết hôn', 'Hộ tịch', 0),
  p('Đăng ký khai tử', 'Hộ tịch', 0),
  p('Cấp bản sao Trích lục hộ tịch', 'Hộ tịch', 0),
  p('Cấp Giấy xác nhận tình trạng hôn nhân', 'Hộ tịch', 3),
  p('Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp', 'Chứng thực', 0),
  p('Chứng thực chữ ký trong các giấy tờ, văn bản', 'Chứng thực', 0),
  p('Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất', 'Chứng thực', 2),
  p('Hòa giải tranh chấp đất đai', 'Đất đai', 45),
  p('Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình', 'Bảo trợ xã hội', 5),
];
const COMMUNE_PROCEDURE_WEIGHTS = [10, 6, 4, 3, 8, 6, 40, 10, 6, 1, 2];

// Syllables of Vietnamese place names, for commune names that look real and are all different.
const SYLLABLES = [
  'An', 'Bảo', 'Bình', 'Cao', 'Chân', 'Chí', 'Chuế', 'Đại', 'Đan', 'Đồng', 'Gia', 'Hà', 'Hải', 'Hậu', 'Hiền', 'Hương',
  'Hùng', 'Khải', 'Lâm', 'Lang', 'Lệ', 'Liên', 'Minh', 'Mỹ', 'Ngọc', 'Phú', 'Phúc', 'Phương', 'Quân', 'Quang', 'Sơn',
  'Tân', 'Thạch', 'Thanh', 'Thượng', 'Tiên', 'Trung', 'Tứ', 'Vân', 'Văn', 'Vĩnh', 'Vụ', 'Xạ', 'Xuân', 'Yên', 'Ấm',
  'Cẩm', 'Động', 'Lương', 'Khê',
];

function p(name: string, field: string, days: number, lienThong?: number): ProcedureSpec {
  return { name, field, days, ...(lienThong ? { lienThong } : {}) };
}

export function buildProvince(seed: number): Province {
  const random = prng(seed ^ 0x5eed);
  const units: BenchUnit[] = [];
  const weights: number[] = [];
  const add = (unit: BenchUnit, weight: number) => {
    units.push(unit);
    weights.push(weight);
  };

  PROVINCE_BODIES.forEach(([name, procedures], i) => {
    const code = `T${pad(i + 1, 2)}`;
    // The provincial service centre takes far more dossiers than a single department.
    const share = name.startsWith('Trung tâm') ? 6 : name.startsWith('Công an') ? 3 : 1;
    add(unit(code, name, 'tinh', null, `000.00.${pad(i + 1, 2)}.H45`, procedures, procedures.map(() => 1)), share);
  });
  const tinhTotal = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] / tinhTotal) * LEVEL_VOLUME.tinh;

  DISTRICTS.forEach((name, i) => {
    const code = `H${pad(i + 1, 2)}`;
    add(unit(code, name, 'huyen', null, `000.${pad(i + 1, 2)}.00.H45`, DISTRICT_PROCEDURES, DISTRICT_PROCEDURE_WEIGHTS), LEVEL_VOLUME.huyen / DISTRICTS.length);
  });

  const used = new Set<string>();
  for (let i = 0; i < COMMUNES; i++) {
    const district = i % DISTRICTS.length;
    let place: string;
    do place = `${pick(random)} ${pick(random)}`;
    while (used.has(place) || place.split(' ')[0] === place.split(' ')[1]);
    used.add(place);
    // Cities have wards; every district has one township (thị trấn).
    const kind = district < 2 && i % 3 === 0 ? 'phường' : i < DISTRICTS.length ? 'thị trấn' : 'xã';
    const code = `X${pad(i + 1, 3)}`;
    add(
      unit(code, `UBND ${kind} ${place}`, 'xa', `H${pad(district + 1, 2)}`, `${pad(i + 1, 3)}.${pad(district + 1, 2)}.00.H45`, COMMUNE_PROCEDURES, COMMUNE_PROCEDURE_WEIGHTS),
      LEVEL_VOLUME.xa / COMMUNES,
    );
  }
  return { units, unitWeights: cumulate(weights) };

  function pick(r: Random) {
    return SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  }
}

function unit(code: string, name: string, level: Level, parentCode: string | null, agency: string, procedures: ProcedureSpec[], w: number[]): BenchUnit {
  return { code, name, level, parentCode, agency, procedures, procedureWeights: cumulate(w) };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
