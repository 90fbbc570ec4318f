import type { LiveCamera, LiveIncident, LiveKpi, LiveReport, LiveSegment } from '@ioc/contracts';
import type { LocalizedName } from '../../src/wall/wall.types';

/** The wall speaks Vietnamese by default and English one click away. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

const vi = {
  title: 'Trung tâm điều hành thông minh',
  'lang.switch': 'English',
  'lang.switchTitle': 'Switch to English',
  'conn.connecting': 'Đang kết nối…',
  'conn.live': 'Trực tuyến',
  'conn.reconnecting': 'Mất kết nối, đang kết nối lại…',
  'conn.resyncing': 'Đang đồng bộ lại…',
  'conn.offline': 'Ngoại tuyến',
  'conn.unauthorised': 'Chưa đăng nhập',
  'conn.expired': 'Phiên đăng nhập đã hết hạn',
  'conn.since': 'cập nhật {time}',
  'login.title': 'Đăng nhập',
  'login.devTitle': 'Đăng nhập phát triển',
  'login.role': 'Vai trò',
  'login.agency': 'Cơ quan',
  'login.submit': 'Đăng nhập',
  'login.token': 'Mã truy cập (token) từ nhà cung cấp định danh',
  'login.useToken': 'Dùng token',
  'login.devOnly': 'Chỉ có ở chế độ phát triển (AUTH_MODE=dev).',
  'login.failed': 'Đăng nhập không thành công: {code}',
  'login.logout': 'Đăng xuất',
  'role.operator': 'Điều hành viên',
  'role.agency': 'Cơ quan xử lý',
  'user.operator': 'Điều hành viên',
  'user.agency': 'Cơ quan: {agency}',
  'panel.kpis': 'Chỉ số KPI',
  'panel.feed': 'Sự kiện mới nhất',
  'panel.details': 'Chi tiết',
  'panel.noKpis': 'Chưa có giá trị KPI',
  'panel.noEvents': 'Chưa có sự kiện',
  'panel.select': 'Chọn một điểm trên bản đồ để xem chi tiết',
  'kpi.target': 'Mục tiêu {value}',
  'kpi.projection': 'Dự báo {value}',
  'kpi.noTarget': 'Không có mục tiêu',
  'kpi.status.on-track': 'Đạt',
  'kpi.status.at-risk': 'Có nguy cơ',
  'kpi.status.off-track': 'Không đạt',
  'kpi.status.none': 'Chưa đánh giá',
  'map.reports': 'Phản ánh',
  'map.incidents': 'Sự cố',
  'map.cameras': 'Camera',
  'map.roads': 'Giao thông',
  'item.report': 'Phản ánh {code}',
  'item.incident': 'Sự cố {id}',
  'item.camera': 'Camera {name}',
  'item.segment': 'Tuyến đường {name}',
  'field.status': 'Trạng thái',
  'field.severity': 'Mức độ',
  'field.class': 'Loại',
  'field.category': 'Lĩnh vực',
  'field.agency': 'Cơ quan',
  'field.unit': 'Địa bàn',
  'field.channel': 'Kênh',
  'field.submittedAt': 'Tiếp nhận lúc',
  'field.dueAt': 'Hạn xử lý',
  'field.firstSeenAt': 'Phát hiện lúc',
  'field.lastSeenAt': 'Lần cuối',
  'field.count': 'Số lần phát hiện',
  'field.since': 'Từ',
  'field.speed': 'Tốc độ',
  'field.level': 'Mức ùn tắc',
  'field.overdue': 'Quá hạn',
  'action.acknowledge': 'Xác nhận sự cố',
  'action.assign': 'Giao xử lý',
  'action.done': 'Đã gửi',
  'action.failed': 'Không thực hiện được: {code}',
  'action.pickAgency': 'Chọn cơ quan',
  'common.yes': 'Có',
  'common.no': 'Không',
  'common.none': '—',
  'common.close': 'Đóng',
  'stream.reports': 'Phản ánh',
  'stream.incidents': 'Sự cố',
  'stream.cameras': 'Camera',
  'stream.traffic': 'Giao thông',
  'stream.kpi': 'KPI',
  'status.submitted': 'Mới tiếp nhận',
  'status.assigned': 'Đã giao',
  'status.acknowledged': 'Đã xác nhận',
  'status.in-progress': 'Đang xử lý',
  'status.resolved': 'Đã xử lý',
  'status.closed': 'Đã đóng',
  'status.reopened': 'Mở lại',
  'status.declined': 'Bị từ chối',
  'status.rejected': 'Không tiếp nhận',
  'status.duplicate': 'Trùng lặp',
  'status.open': 'Đang mở',
  'status.cleared': 'Đã kết thúc',
  'status.online': 'Hoạt động',
  'status.offline': 'Mất tín hiệu',
  'severity.low': 'Thấp',
  'severity.medium': 'Trung bình',
  'severity.high': 'Cao',
  'severity.critical': 'Nghiêm trọng',
  'level.free': 'Thông thoáng',
  'level.slow': 'Chậm',
  'level.congested': 'Ùn tắc',
  'level.jammed': 'Tắc nghẽn',
  'class.congestion': 'Ùn tắc',
  'class.accident': 'Tai nạn',
  'class.wrong-way': 'Đi ngược chiều',
  'class.illegal-parking': 'Đỗ xe sai quy định',
  'class.flooding': 'Ngập nước',
  'class.fire-smoke': 'Cháy, khói',
  'class.crowd': 'Tụ tập đông người',
  'class.sidewalk-encroachment': 'Lấn chiếm vỉa hè',
  'class.queue-length': 'Hàng chờ dài',
  'class.other': 'Khác',
  'feed.report': '{status}: phản ánh {code}',
  'feed.incident': '{status}: {class} ({severity})',
  'feed.camera': 'Camera {name}: {status}',
  'feed.traffic': '{name}: {level}',
  'feed.kpi': '{name}: {value}',
};

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  title: 'Intelligent Operations Center',
  'lang.switch': 'Tiếng Việt',
  'lang.switchTitle': 'Chuyển sang tiếng Việt',
  'conn.connecting': 'Connecting…',
  'conn.live': 'Live',
  'conn.reconnecting': 'Connection lost, reconnecting…',
  'conn.resyncing': 'Resynchronising…',
  'conn.offline': 'Offline',
  'conn.unauthorised': 'Not signed in',
  'conn.expired': 'Session expired',
  'conn.since': 'updated {time}',
  'login.title': 'Sign in',
  'login.devTitle': 'Development sign-in',
  'login.role': 'Role',
  'login.agency': 'Agency',
  'login.submit': 'Sign in',
  'login.token': 'Access token from the identity provider',
  'login.useToken': 'Use token',
  'login.devOnly': 'Only in development mode (AUTH_MODE=dev).',
  'login.failed': 'Sign-in failed: {code}',
  'login.logout': 'Sign out',
  'role.operator': 'Operator',
  'role.agency': 'Agency',
  'user.operator': 'Operator',
  'user.agency': 'Agency: {agency}',
  'panel.kpis': 'KPIs',
  'panel.feed': 'Latest events',
  'panel.details': 'Details',
  'panel.noKpis': 'No KPI values yet',
  'panel.noEvents': 'No events yet',
  'panel.select': 'Select a marker on the map to see the item',
  'kpi.target': 'Target {value}',
  'kpi.projection': 'Projected {value}',
  'kpi.noTarget': 'No target',
  'kpi.status.on-track': 'On track',
  'kpi.status.at-risk': 'At risk',
  'kpi.status.off-track': 'Off track',
  'kpi.status.none': 'Not judged',
  'map.reports': 'Reports',
  'map.incidents': 'Incidents',
  'map.cameras': 'Cameras',
  'map.roads': 'Traffic',
  'item.report': 'Report {code}',
  'item.incident': 'Incident {id}',
  'item.camera': 'Camera {name}',
  'item.segment': 'Road {name}',
  'field.status': 'Status',
  'field.severity': 'Severity',
  'field.class': 'Kind',
  'field.category': 'Category',
  'field.agency': 'Agency',
  'field.unit': 'Area',
  'field.channel': 'Channel',
  'field.submittedAt': 'Submitted',
  'field.dueAt': 'Due',
  'field.firstSeenAt': 'First seen',
  'field.lastSeenAt': 'Last seen',
  'field.count': 'Detections',
  'field.since': 'Since',
  'field.speed': 'Speed',
  'field.level': 'Congestion',
  'field.overdue': 'Overdue',
  'action.acknowledge': 'Acknowledge incident',
  'action.assign': 'Assign',
  'action.done': 'Sent',
  'action.failed': 'Could not be done: {code}',
  'action.pickAgency': 'Choose an agency',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.none': '—',
  'common.close': 'Close',
  'stream.reports': 'Reports',
  'stream.incidents': 'Incidents',
  'stream.cameras': 'Cameras',
  'stream.traffic': 'Traffic',
  'stream.kpi': 'KPI',
  'status.submitted': 'Submitted',
  'status.assigned': 'Assigned',
  'status.acknowledged': 'Acknowledged',
  'status.in-progress': 'In progress',
  'status.resolved': 'Resolved',
  'status.closed': 'Closed',
  'status.reopened': 'Reopened',
  'status.declined': 'Declined',
  'status.rejected': 'Rejected',
  'status.duplicate': 'Duplicate',
  'status.open': 'Open',
  'status.cleared': 'Cleared',
  'status.online': 'Online',
  'status.offline': 'Offline',
  'severity.low': 'Low',
  'severity.medium': 'Medium',
  'severity.high': 'High',
  'severity.critical': 'Critical',
  'level.free': 'Free flow',
  'level.slow': 'Slow',
  'level.congested': 'Congested',
  'level.jammed': 'Jammed',
  'class.congestion': 'Congestion',
  'class.accident': 'Accident',
  'class.wrong-way': 'Wrong way',
  'class.illegal-parking': 'Illegal parking',
  'class.flooding': 'Flooding',
  'class.fire-smoke': 'Fire or smoke',
  'class.crowd': 'Crowd',
  'class.sidewalk-encroachment': 'Sidewalk encroachment',
  'class.queue-length': 'Long queue',
  'class.other': 'Other',
  'feed.report': '{status}: report {code}',
  'feed.incident': '{status}: {class} ({severity})',
  'feed.camera': 'Camera {name}: {status}',
  'feed.traffic': '{name}: {level}',
  'feed.kpi': '{name}: {value}',
};

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { vi, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The other language, for the one-click switch. */
export function otherLocale(locale: Locale): Locale {
  return locale === 'vi' ? 'en' : 'vi';
}

/** A message with its `{name}` placeholders filled; an unknown placeholder is left as written. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = MESSAGES[locale][key] ?? MESSAGES[DEFAULT_LOCALE][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

type EnumKey = `${'status' | 'severity' | 'level' | 'class'}.${string}`;

/** The label of a status, severity, congestion level or detection class; the raw value when unknown. */
export function label(
  locale: Locale,
  kind: 'status',
  value: LiveReport['status'] | LiveIncident['status'] | LiveCamera['status'],
): string;
export function label(locale: Locale, kind: 'severity', value: LiveIncident['severity']): string;
export function label(locale: Locale, kind: 'level', value: LiveSegment['level']): string;
export function label(locale: Locale, kind: 'class', value: LiveIncident['class']): string;
export function label(
  locale: Locale,
  kind: 'status' | 'severity' | 'level' | 'class',
  value: string,
): string {
  const key = `${kind}.${value}` as EnumKey;
  return key in MESSAGES[locale] ? MESSAGES[locale][key as MessageKey] : value;
}

/** A reference-data name in the wall's language. */
export function nameIn(locale: Locale, names: LocalizedName | undefined, fallback: string): string {
  return names?.[locale] || names?.vi || fallback;
}

/** A KPI value with its unit, in the locale's number format. */
export function formatKpiValue(locale: Locale, value: number, unit: string | undefined): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  const number = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
  if (unit === '%' || unit === 'percent') return `${number}%`;
  if (unit === 'hours') return `${number} ${locale === 'vi' ? 'giờ' : 'h'}`;
  if (unit === 'rank') return `#${number}`;
  return number;
}

/** A date-time in the city's zone, as operators read it on the wall (24-hour clock). */
export function formatTime(locale: Locale, iso: string | undefined, timeZone: string): string {
  if (iso === undefined) return translate(locale, 'common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return translate(locale, 'common.none');
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    day: '2-digit',
    month: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** The KPI status label key, `none` when the value has no target to be judged against. */
export function kpiStatusKey(status: LiveKpi['current']['status']): MessageKey {
  return status === undefined ? 'kpi.status.none' : `kpi.status.${status}`;
}
