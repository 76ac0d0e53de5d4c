/**
 * One message catalogue for the calculation books, in Chinese (the standard terms of the Chinese calculation
 * suites: 需要系数法, 计算负荷, 同期系数, 电压损失, 载流量 …) and English. Every text a book shows comes from here
 * or from the result it renders; numbers are formatted by `format.ts`.
 */
import type { BookLang } from './model.js';

const MESSAGES = {
  'book.demand.title': {
    'zh-CN': '施工临时用电负荷计算书',
    en: 'Construction temporary power: demand calculation book',
  },
  'book.feeder.title': {
    'zh-CN': '配电线路（电缆、电压损失、保护）计算书',
    en: 'Feeder calculation book: cable, voltage drop and protection',
  },
  'book.site.title': { 'zh-CN': '施工现场临时用电计算书', en: 'Site temporary power calculation book' },
  'site.subject': {
    'zh-CN': '{points} 个供电点，{loads} 项用电申请',
    en: '{points} supply points, {loads} connection requests',
  },
  'site.name': { 'zh-CN': '施工现场', en: 'Site' },
  'site.horizon': { 'zh-CN': '临时用电期限', en: 'Horizon' },
  'site.cap': { 'zh-CN': '批准临时用电容量', en: 'Approved temporary capacity' },
  'site.points': { 'zh-CN': '供电点（10/0.4 kV 变压器）', en: 'Supply points (10/0.4 kV transformers)' },
  'site.point': { 'zh-CN': '供电点', en: 'Point' },
  'site.rating': { 'zh-CN': '额定容量 (kVA)', en: 'Rating (kVA)' },
  'site.limit': { 'zh-CN': '允许负荷 β·SN (kVA)', en: 'Limit β·SN (kVA)' },
  'site.energised': { 'zh-CN': '送电日期', en: 'Energised from' },
  'site.status': { 'zh-CN': '状态', en: 'Status' },
  'site.capacity_rule': { 'zh-CN': '供电点逐时容量校核', en: 'hourly capacity check of a supply point' },
  'site.section.schedule': {
    'zh-CN': '三、分阶段负荷表（各供电点峰值负荷）',
    en: '3. Load schedule per supply point and construction phase (peak load)',
  },
  'site.schedule_note': {
    'zh-CN': '表中为各施工阶段内已批准与待批准负荷之和的逐时峰值（kVA）；末行为全场同时峰值。',
    en: 'Hourly peak of reserved plus pending load within each phase (kVA); the last row is the site-wide coincident peak.',
  },
  'site.coincident': { 'zh-CN': '全场同时峰值', en: 'Site coincident peak' },
  'site.section.loading': { 'zh-CN': '四、变压器负载率', en: '4. Transformer loading' },
  'site.peak_reserved': { 'zh-CN': '已批准峰值 (kVA)', en: 'Reserved peak (kVA)' },
  'site.peak_total': { 'zh-CN': '含待批峰值 (kVA)', en: 'With pending (kVA)' },
  'site.peak_at': { 'zh-CN': '峰值时刻', en: 'Peak at' },
  'site.of_limit': { 'zh-CN': '占允许负荷 (%)', en: 'Of limit (%)' },
  'site.headroom': { 'zh-CN': '裕量 (kVA)', en: 'Headroom (kVA)' },
  'site.section.loads': { 'zh-CN': '五、用电负荷（申请）', en: '5. Loads (applications)' },
  'site.load': { 'zh-CN': '申请', en: 'Request' },
  'site.organisation': { 'zh-CN': '单位', en: 'Organisation' },
  'site.window': { 'zh-CN': '用电期间', en: 'Window' },
  'site.state': { 'zh-CN': '状态', en: 'State' },
  'site.section.feeders': { 'zh-CN': '六、配电线路', en: '6. Feeders' },
  'site.feeder_ok': { 'zh-CN': '合格', en: 'OK' },
  'site.section.summary': { 'zh-CN': '七、组织设计汇总', en: '7. Summary for the organisation design' },
  'site.rating_sum': { 'zh-CN': '变压器容量合计 / 批准容量', en: 'Sum of ratings / approved capacity' },
  'site.points_over': { 'zh-CN': '超过允许负荷的供电点', en: 'Points above their limit' },
  'site.violations': { 'zh-CN': '不符合项', en: 'Violations' },
  'site.conclusion': {
    'zh-CN':
      '{points} 个供电点容量合计 {rating}（批准 {cap}）；超过允许负荷的供电点 {over} 个；规范不符合项 {violations} 项。',
    en: '{points} supply points rated {rating} in all (approved {cap}); {over} point(s) above their limit; {violations} rule violation(s).',
  },
  'cover.project': { 'zh-CN': '工程名称', en: 'Project' },
  'cover.site': { 'zh-CN': '施工现场', en: 'Site' },
  'cover.subject': { 'zh-CN': '计算对象', en: 'Subject' },
  'cover.author': { 'zh-CN': '编制（密钥）', en: 'Prepared by (key)' },
  'cover.date': { 'zh-CN': '编制日期', en: 'Date' },
  'cover.project_default': { 'zh-CN': '施工临时用电', en: 'Construction temporary power' },
  'cover.subject_demand': { 'zh-CN': '用电设备清单（{count} 台）', en: 'Equipment list ({count} devices)' },
  'cover.subject_feeder': { 'zh-CN': '配电线路 {length}', en: 'Feeder {length}' },

  'section.inputs': { 'zh-CN': '一、计算依据与输入', en: '1. Basis and inputs' },
  'section.method': { 'zh-CN': '二、计算方法', en: '2. Method' },
  'section.steps': { 'zh-CN': '三、计算过程', en: '3. Calculation' },
  'section.results': { 'zh-CN': '四、计算结果', en: '4. Results' },
  'section.findings': { 'zh-CN': '五、规范检查', en: '5. Rule checks' },
  'section.conclusion': { 'zh-CN': '六、结论', en: '6. Conclusion' },
  'section.provenance': { 'zh-CN': '附：可追溯信息', en: 'Appendix: provenance' },

  'method.demand_coefficient': { 'zh-CN': '需要系数法', en: 'demand-coefficient method' },
  'method.handbook_a': { 'zh-CN': '估算公式（手册 A）', en: 'handbook estimate A' },
  'method.handbook_b': { 'zh-CN': '估算公式（手册 B）', en: 'handbook estimate B' },
  'method.intro_demand': {
    'zh-CN':
      '按 JGJ 46 第 3.1.2 条要求进行负荷计算，采用需要系数法：先将各设备的额定容量换算为设备容量 Pe，按设备类别分组乘以需要系数 Kx 得计算负荷，再以同期系数 K∑ 汇总。',
    en: 'Load calculation as JGJ 46 §3.1.2 requires, by the demand-coefficient method: each device’s rating is converted to its equipment capacity Pe, each group’s Pe is multiplied by its demand coefficient Kx to give the design load, and groups are combined with the simultaneity factor K∑.',
  },
  'method.intro_feeder': {
    'zh-CN':
      '按计算电流选择电缆截面并校验载流量（GB 50054 第 3.2 节）、电压损失（JGJ 46 第 7.2 节 / GB 50052）及保护电器的配合（GB 50054 第 6.3.3 条：Ib ≤ In ≤ Iz，I2 ≤ 1.45 Iz）。',
    en: 'The cable section is chosen for the design current and checked for ampacity (GB 50054 §3.2), voltage drop (JGJ 46 §7.2 / GB 50052) and coordination with its protective device (GB 50054 §6.3.3: Ib ≤ In ≤ Iz, I2 ≤ 1.45 Iz).',
  },
  'formula.pe_motor': { 'zh-CN': '连续工作制电动机', en: 'continuous-duty motors' },
  'formula.pe_crane': { 'zh-CN': '起重机械换算到 JC = 25 %', en: 'cranes and hoists converted to JC = 25 %' },
  'formula.pe_welder': { 'zh-CN': '交流电焊机换算到 JC = 100 %', en: 'AC welders converted to JC = 100 %' },
  'formula.group': { 'zh-CN': '分组计算负荷', en: 'design load of a group' },
  'formula.total': {
    'zh-CN': '总计算负荷（两组及以上时乘同期系数）',
    en: 'total design load (K∑ when two or more groups combine)',
  },
  'formula.current': { 'zh-CN': '计算电流', en: 'design current' },
  'formula.vd': { 'zh-CN': '三相线路电压损失', en: 'voltage drop of a three-phase circuit' },
  'formula.coordination': { 'zh-CN': '保护电器与导体的配合', en: 'coordination of device and conductor' },

  'col.item': { 'zh-CN': '序号', en: 'No.' },
  'col.type': { 'zh-CN': '设备类别', en: 'Equipment type' },
  'col.quantity': { 'zh-CN': '台数', en: 'Qty' },
  'col.conversion': { 'zh-CN': '设备容量换算', en: 'Conversion to Pe' },
  'col.pe': { 'zh-CN': '设备容量 Pe (kW)', en: 'Pe (kW)' },
  'col.group': { 'zh-CN': '计算组', en: 'Group' },
  'col.kx': { 'zh-CN': '需要系数 Kx', en: 'Kx' },
  'col.cos': { 'zh-CN': '功率因数 cos φ', en: 'cos φ' },
  'col.tan': { 'zh-CN': 'tan φ', en: 'tan φ' },
  'col.pjs': { 'zh-CN': '有功计算负荷 Pjs (kW)', en: 'Pjs (kW)' },
  'col.qjs': { 'zh-CN': '无功计算负荷 Qjs (kvar)', en: 'Qjs (kvar)' },
  'col.sjs': { 'zh-CN': '视在计算负荷 Sjs (kVA)', en: 'Sjs (kVA)' },
  'col.ijs': { 'zh-CN': '计算电流 Ijs (A)', en: 'Ijs (A)' },
  'col.quantity_name': { 'zh-CN': '量', en: 'Quantity' },
  'col.value': { 'zh-CN': '数值', en: 'Value' },
  'col.unit': { 'zh-CN': '单位', en: 'Unit' },
  'col.source': { 'zh-CN': '依据', en: 'Source' },
  'col.severity': { 'zh-CN': '等级', en: 'Severity' },
  'col.finding': { 'zh-CN': '检查结果', en: 'Finding' },
  'col.clause': { 'zh-CN': '条款', en: 'Clause' },

  'input.rule_set': { 'zh-CN': '规范版本', en: 'Rule set' },
  'input.method': { 'zh-CN': '计算方法', en: 'Method' },
  'input.voltage': { 'zh-CN': '额定电压', en: 'Nominal voltage' },
  'input.simultaneity': { 'zh-CN': '同期系数 K∑', en: 'Simultaneity factor K∑' },
  'input.loading_cap': { 'zh-CN': '变压器负载率上限 β', en: 'Transformer loading cap β' },
  'input.load_p': { 'zh-CN': '有功功率 P', en: 'Active power P' },
  'input.load_q': { 'zh-CN': '无功功率 Q', en: 'Reactive power Q' },
  'input.length': { 'zh-CN': '线路长度 L', en: 'Route length L' },
  'input.installation': { 'zh-CN': '敷设方式', en: 'Installation method' },
  'input.material': { 'zh-CN': '导体材料', en: 'Conductor' },
  'input.declared_section': { 'zh-CN': '设计截面', en: 'Declared section' },
  'input.vd_budget': { 'zh-CN': '允许电压损失', en: 'Voltage-drop budget' },
  'input.breaker': { 'zh-CN': '断路器额定电流 In', en: 'Breaker rating In' },
  'input.none': { 'zh-CN': '（由计算选择）', en: '(chosen by the calculation)' },

  'result.pjs': { 'zh-CN': '总有功计算负荷 Pjs', en: 'Total design active power Pjs' },
  'result.qjs': { 'zh-CN': '总无功计算负荷 Qjs', en: 'Total design reactive power Qjs' },
  'result.sjs': { 'zh-CN': '总视在计算负荷 Sjs', en: 'Total design apparent power Sjs' },
  'result.ijs': { 'zh-CN': '总计算电流 Ijs', en: 'Total design current Ijs' },
  'result.cos': { 'zh-CN': '总功率因数 cos φ', en: 'Overall power factor cos φ' },
  'result.installed': { 'zh-CN': '设备总容量（铭牌）', en: 'Installed capacity (nameplate)' },
  'result.devices': { 'zh-CN': '设备台数', en: 'Devices' },
  'result.transformer': { 'zh-CN': '推荐变压器容量', en: 'Recommended transformer rating' },
  'result.transformer_loading': { 'zh-CN': '变压器负载率', en: 'Transformer loading' },
  'result.design_current': { 'zh-CN': '计算电流 Ib', en: 'Design current Ib' },
  'result.cable': { 'zh-CN': '电缆截面', en: 'Cable section' },
  'result.ampacity': { 'zh-CN': '修正后载流量 Iz', en: 'Derated ampacity Iz' },
  'result.vd': { 'zh-CN': '电压损失 ΔU', en: 'Voltage drop ΔU' },
  'result.breaker': { 'zh-CN': '断路器额定电流 In', en: 'Breaker rating In' },
  'result.none': { 'zh-CN': '无', en: 'none' },
  'result.org_design_required': {
    'zh-CN': '需编制施工现场临时用电组织设计（{clause}）',
    en: 'a temporary-electricity organisation design is required ({clause})',
  },
  'result.org_design_not_required': {
    'zh-CN': '无需编制临时用电组织设计（{clause}）',
    en: 'no organisation design is required ({clause})',
  },

  'severity.error': { 'zh-CN': '不符合', en: 'violation' },
  'severity.warning': { 'zh-CN': '注意', en: 'warning' },
  'severity.info': { 'zh-CN': '提示', en: 'note' },
  'findings.none': { 'zh-CN': '未发现不符合项。', en: 'No finding.' },

  'conclusion.demand': {
    'zh-CN': '计算负荷 Sjs = {sjs}，计算电流 Ijs = {ijs}；{transformer}。',
    en: 'Design load Sjs = {sjs}, design current Ijs = {ijs}; {transformer}.',
  },
  'conclusion.transformer': {
    'zh-CN': '可选 {rating} 变压器，负载率 {loading}',
    en: 'a {rating} transformer carries it at {loading}',
  },
  'conclusion.no_transformer': {
    'zh-CN': '超过标准系列最大容量，需多台变压器',
    en: 'it exceeds the largest standard rating: several transformers are needed',
  },
  'conclusion.feeder_ok': {
    'zh-CN': '所选电缆与保护电器满足载流量、电压损失及配合要求。',
    en: 'The cable and its protective device meet ampacity, voltage-drop and coordination requirements.',
  },
  'conclusion.feeder_not_ok': {
    'zh-CN': '存在 {count} 项不符合，需修改设计后重新计算。',
    en: '{count} violation(s): the design must be changed and recalculated.',
  },

  'prov.tpp_version': { 'zh-CN': 'tpp 版本', en: 'tpp version' },
  'prov.engine_version': { 'zh-CN': '计算引擎版本', en: 'Engine version' },
  'prov.rule_set': { 'zh-CN': '规则集', en: 'Rule set' },
  'prov.edition': { 'zh-CN': '规范版次', en: 'Edition' },
  'prov.catalogue': { 'zh-CN': '数据目录版本', en: 'Catalogue version' },
  'prov.input_sha': { 'zh-CN': '输入 SHA-256', en: 'Input SHA-256' },
  'prov.result_sha': { 'zh-CN': '结果 SHA-256', en: 'Result SHA-256' },
  'prov.newer_edition': { 'zh-CN': '新版规范', en: 'Newer edition' },
  'prov.newer_changes': {
    'zh-CN': '按 {edition} 计算结果将改变',
    en: 'the result would change under {edition}',
  },
  'prov.newer_same': { 'zh-CN': '按 {edition} 计算结果不变', en: 'the result is the same under {edition}' },
  'prov.newer_none': { 'zh-CN': '无更新版次', en: 'no newer edition' },
  'prov.reproduce': {
    'zh-CN': '将本计算书的 JSON 提交至 POST /v1/calculation-books/verify 即可复核：重新计算并比对结果哈希。',
    en: 'Submit this book’s JSON to POST /v1/calculation-books/verify to reproduce it: the result is recomputed and its hash compared.',
  },
  'page.of': { 'zh-CN': '第 {page} 页 / 共 {pages} 页', en: 'Page {page} of {pages}' },
} as const satisfies Record<string, Record<BookLang, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** The message `key` in `lang`, with `{name}` placeholders replaced from `params`. */
export function msg(lang: BookLang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** Every key of the catalogue (tests check both languages are complete). */
export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];
export const MESSAGE_TABLE: Readonly<Record<string, Record<BookLang, string>>> = MESSAGES;
