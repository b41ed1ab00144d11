// Demo region: a fictional prefecture with counties/cities and departments, named in every
// supported language. Codes are stable: they are printed in links and QR codes.

type Names = Record<string, string>;

export const region = {
  code: "REG",
  names: { "zh-Hans": "天山地区", ug: "تەڭرىتاغ ۋىلايىتى", kk: "تيانشان ايماعى", en: "Tianshan Prefecture" } as Names,
};

export const counties: { code: string; names: Names }[] = [
  { code: "C01", names: { "zh-Hans": "北湖市", ug: "بېيخۇ شەھىرى", kk: "بەيحۋ قالاسى", en: "Beihu City" } },
  { code: "C02", names: { "zh-Hans": "南山县", ug: "نەنشەن ناھىيىسى", kk: "نانشان اۋدانى", en: "Nanshan County" } },
  { code: "C03", names: { "zh-Hans": "东河县", ug: "دۇڭخې ناھىيىسى", kk: "دۇڭحە اۋدانى", en: "Donghe County" } },
  { code: "C04", names: { "zh-Hans": "西原县", ug: "شىيۈەن ناھىيىسى", kk: "شيۋان اۋدانى", en: "Xiyuan County" } },
  { code: "C05", names: { "zh-Hans": "绿洲县", ug: "بوستانلىق ناھىيىسى", kk: "وازيس اۋدانى", en: "Oasis County" } },
  { code: "C06", names: { "zh-Hans": "金沙县", ug: "جىنشا ناھىيىسى", kk: "جينشا اۋدانى", en: "Jinsha County" } },
];

export const departments: { code: string; names: Names }[] = [
  { code: "D01", names: { "zh-Hans": "发展和改革委员会", ug: "تەرەققىيات ۋە ئىسلاھات كومىتېتى", kk: "دامۋ جانە رەفورما كوميتەتى", en: "Development and Reform Commission" } },
  { code: "D02", names: { "zh-Hans": "农业农村局", ug: "يېزا ئىگىلىك ۋە يېزا-كەنت ئىدارىسى", kk: "اۋىل شارۋاشىلىعى جانە اۋىل ىستەرى باسقارماسى", en: "Agriculture and Rural Affairs Bureau" } },
  { code: "D03", names: { "zh-Hans": "教育局", ug: "مائارىپ ئىدارىسى", kk: "ٴبىلىم باسقارماسى", en: "Education Bureau" } },
  { code: "D04", names: { "zh-Hans": "卫生健康委员会", ug: "سەھىيە ۋە ساغلاملىق كومىتېتى", kk: "دەنساۋلىق ساقتاۋ كوميتەتى", en: "Health Commission" } },
  { code: "D05", names: { "zh-Hans": "人力资源和社会保障局", ug: "ئادەم كۈچى بايلىقى ۋە ئىجتىمائىي كاپالەت ئىدارىسى", kk: "ادام رەسۋرستارى جانە الەۋمەتتىك قامسىزداندىرۋ باسقارماسى", en: "Human Resources and Social Security Bureau" } },
  { code: "D06", names: { "zh-Hans": "市场监督管理局", ug: "بازار نازارەت باشقۇرۇش ئىدارىسى", kk: "نارىقتى قاداعالاۋ باسقارماسى", en: "Market Regulation Administration" } },
  { code: "D07", names: { "zh-Hans": "自然资源局", ug: "تەبىئىي بايلىق ئىدارىسى", kk: "تابيعي رەسۋرستار باسقارماسى", en: "Natural Resources Bureau" } },
  { code: "D08", names: { "zh-Hans": "住房和城乡建设局", ug: "تۇرالغۇ ۋە شەھەر-يېزا قۇرۇلۇش ئىدارىسى", kk: "تۇرعىن ٴۇي جانە قالا-اۋىل قۇرىلىسى باسقارماسى", en: "Housing and Urban-Rural Development Bureau" } },
  { code: "D09", names: { "zh-Hans": "交通运输局", ug: "قاتناش-تىرانسپورت ئىدارىسى", kk: "كولىك باسقارماسى", en: "Transport Bureau" } },
  { code: "D10", names: { "zh-Hans": "公安局", ug: "جامائەت خەۋپسىزلىك ئىدارىسى", kk: "قوعامدىق قاۋىپسىزدىك باسقارماسى", en: "Public Security Bureau" } },
  { code: "D11", names: { "zh-Hans": "民政局", ug: "خەلق ئىشلىرى ئىدارىسى", kk: "ازاماتتىق ىستەر باسقارماسى", en: "Civil Affairs Bureau" } },
  { code: "D12", names: { "zh-Hans": "税务局", ug: "باج ئىدارىسى", kk: "سالىق باسقارماسى", en: "Tax Bureau" } },
  { code: "D13", names: { "zh-Hans": "政务服务中心", ug: "ھۆكۈمەت ئىشلىرى مۇلازىمەت مەركىزى", kk: "ۇكىمەت قىزمەتتەرى ورتالىعى", en: "Government Service Centre" } },
];

export const period2026 = {
  code: "2026",
  names: { "zh-Hans": "2026年度", ug: "2026-يىلى", kk: "2026-جىل", en: "2026" } as Names,
  // Periods follow the region's calendar (UTC+8).
  startsOn: new Date("2026-01-01T00:00:00+08:00"),
  endsOn: new Date("2026-12-31T23:59:59+08:00"),
};

// A demo holiday calendar (region time). Replace it with the State Council's published schedule
// for a real deployment: the evaluation office edits it in the app (issue 3, staff side).
export const calendarDays: { date: string; kind: "holiday" | "workday" }[] = [
  ...["2026-01-01", "2026-01-02"].map((date) => ({ date, kind: "holiday" as const })),
  ...["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"].map((date) => ({ date, kind: "holiday" as const })),
  { date: "2026-02-14", kind: "workday" },
  { date: "2026-02-28", kind: "workday" },
  { date: "2026-04-06", kind: "holiday" },
  ...["2026-05-01", "2026-05-04", "2026-05-05"].map((date) => ({ date, kind: "holiday" as const })),
  { date: "2026-05-09", kind: "workday" },
  { date: "2026-06-19", kind: "holiday" },
  { date: "2026-09-25", kind: "holiday" },
  ...["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map((date) => ({ date, kind: "holiday" as const })),
  { date: "2026-09-27", kind: "workday" },
  { date: "2026-10-10", kind: "workday" },
  { date: "2027-01-01", kind: "holiday" },
];

/** Complaint deadlines in working days, per type (accept, reply, longest extension). */
export const deadlineRules = [
  { type: "inaction", acceptDays: 1, replyDays: 5, maxExtensionDays: 10 },
  { type: "slow_action", acceptDays: 1, replyDays: 5, maxExtensionDays: 10 },
  { type: "misconduct", acceptDays: 1, replyDays: 5, maxExtensionDays: 10 },
  { type: "attitude", acceptDays: 1, replyDays: 5, maxExtensionDays: 10 },
  { type: "integrity", acceptDays: 1, replyDays: 10, maxExtensionDays: 10 },
  { type: "other", acceptDays: 1, replyDays: 5, maxExtensionDays: 10 },
];
