// The demo survey `satisfaction-2026`: five scored core items, two diagnostic items, a single
// and a multiple choice, and an optional comment, in every supported language.
import type { QuestionKind } from "../../app/domain/questions";

type Names = Record<string, string>;

export interface SeedQuestion {
  key: string;
  kind: QuestionKind;
  required: boolean;
  allowNa: boolean;
  texts: Names;
  helps?: Names;
  options?: { value: string; labels: Names }[];
  maxLength?: number;
}

export const survey = {
  slug: "satisfaction-2026",
  titles: {
    "zh-Hans": "2026年度群众满意度调查",
    ug: "2026-يىللىق ئاممىنىڭ رازىلىقىنى تەكشۈرۈش",
    kk: "2026-جىلعى بۇقارانىڭ ريزاشىلىعىن انىقتاۋ ساۋالناماسى",
    en: "2026 Public Satisfaction Survey",
  } as Names,
  intros: {
    "zh-Hans": "请根据您最近一次办事的亲身感受作答。",
    ug: "يېقىندا ئىش بېجىرگەندىكى ئۆز ھېسسىياتىڭىز بويىچە جاۋاب بېرىڭ.",
    kk: "وسى مەكەمەدە سوڭعى رەت ٴىسىڭىزدى بىتىرگەندەگى ٴوز تاجىريبەڭىزگە سۇيەنىپ جاۋاپ بەرىڭىز.",
    en: "Please answer from your own experience the last time you dealt with this office.",
  } as Names,
};

export const questions: SeedQuestion[] = [
  {
    key: "efficiency",
    kind: "grade_core",
    required: true,
    allowNa: true,
    texts: {
      "zh-Hans": "办事效率：办理时间和等候时间是否合理？",
      ug: "ئىش ئۈنۈمى: ئىش بېجىرىش ۋە ساقلاش ۋاقتى مۇۋاپىقمۇ؟",
      kk: "جۇمىس تيىمدىلىگى: ٴىس ٴبىتىرۋ مەن كۇتۋ ۋاقىتى ورىندى بولدى ما؟",
      en: "Efficiency: were the processing and waiting times reasonable?",
    },
  },
  {
    key: "attitude",
    kind: "grade_core",
    required: true,
    allowNa: false,
    texts: {
      "zh-Hans": "服务态度：工作人员是否热情、耐心、尊重人？",
      ug: "مۇلازىمەت پوزىتسىيىسى: خادىملار قىزغىن، سەۋرچان ۋە ھۆرمەتلىك بولدىمۇ؟",
      kk: "قىزمەت كورسەتۋ مادەنيەتى: قىزمەتكەرلەر ىقىلاستى، سابىرلى جانە سىپايى بولدى ما؟",
      en: "Attitude: were the staff courteous, patient and respectful?",
    },
  },
  {
    key: "transparency",
    kind: "grade_core",
    required: true,
    allowNa: true,
    texts: {
      "zh-Hans": "办事公开：办事流程、所需材料和收费是否清楚公开？",
      ug: "ئاشكارىلىق: ئىش تەرتىپى، كېرەكلىك ماتېرىيال ۋە ھەق ئېلىش ئېنىق ئېلان قىلىندىمۇ؟",
      kk: "اشىقتىق: ٴىس ٴتارتىبى، قاجەتتى قۇجاتتار مەن الىمدار انىق جاريالاندى ما؟",
      en: "Transparency: were the procedure, required documents and fees clearly published?",
    },
  },
  {
    key: "integrity",
    kind: "grade_core",
    required: true,
    allowNa: true,
    texts: {
      "zh-Hans": "廉洁办事：办事过程中是否没有吃拿卡要、索取好处？",
      ug: "پاكلىق: ئىش بېجىرىش جەريانىدا سوۋغات ياكى مەنپەئەت تەلەپ قىلىنمىدىمۇ؟",
      kk: "ادالدىق: ٴىسىڭىز ەشقانداي سىيلىق نە ارتىقشىلىق سۇرالماي ٴبىتىرىلدى مە؟",
      en: "Integrity: was your matter handled without any request for gifts or favours?",
    },
    helps: {
      "zh-Hans": "“非常满意”表示完全没有此类情况。",
      ug: "«ناھايىتى رازى» دېگىنى بۇنداق ئەھۋال پەقەت بولمىدى دېگەنلىك.",
      kk: "«وتە رازى» مۇنداي جاعدايدىڭ مۇلدە بولماعانىن بىلدىرەدى.",
      en: "“Very satisfied” means there was nothing of the kind.",
    },
  },
  {
    key: "overall",
    kind: "grade_core",
    required: true,
    allowNa: false,
    texts: {
      "zh-Hans": "总体评价：您对该单位的总体满意程度如何？",
      ug: "ئومۇمىي باھا: بۇ ئورۇندىن ئومۇمىي جەھەتتىن قانچىلىك رازى؟",
      kk: "جالپى باعا: بۇل مەكەمەگە جالپى العاندا قانشالىقتى رازىسىز؟",
      en: "Overall: how satisfied are you with this office overall?",
    },
  },
  {
    key: "guidance",
    kind: "grade_diagnostic",
    required: true,
    allowNa: true,
    texts: {
      "zh-Hans": "咨询指引：窗口或网上的办事指引是否清楚易懂？",
      ug: "يېتەكچىلىك: كۆزنەك ياكى تور يېتەكچىلىكى ئېنىق ۋە چۈشىنىشلىكمۇ؟",
      kk: "نۇسقاۋ: قىزمەت تەرەزەسىندەگى نەمەسە ينتەرنەتتەگى نۇسقاۋلار انىق ٴارى تۇسىنىكتى بولدى ما؟",
      en: "Guidance: was the advice at the counter or online clear and easy to follow?",
    },
  },
  {
    key: "facilities",
    kind: "grade_diagnostic",
    required: false,
    allowNa: true,
    texts: {
      "zh-Hans": "办事环境：办事场所和设施是否方便？",
      ug: "مۇھىت: ئىش بېجىرىش ئورنى ۋە ئەسلىھەلىرى قولايلىقمۇ؟",
      kk: "ورتا: ٴىس بىتىرەتىن ورىن مەن جابدىقتار ىڭعايلى بولدى ما؟",
      en: "Facilities: were the premises and facilities convenient?",
    },
  },
  {
    key: "visits",
    kind: "single",
    required: false,
    allowNa: false,
    texts: {
      "zh-Hans": "为办成这件事，您一共跑了几次？",
      ug: "بۇ ئىشنى پۈتتۈرۈش ئۈچۈن جەمئىي قانچە قېتىم كەلدىڭىز؟",
      kk: "بۇل ٴىستى ٴبىتىرۋ ٴۇشىن بارلىعى نەشە رەت كەلدىڭىز؟",
      en: "How many visits did it take to get this done?",
    },
    options: [
      { value: "one", labels: { "zh-Hans": "1次", ug: "بىر قېتىم", kk: "ٴبىر رەت", en: "Once" } },
      { value: "two", labels: { "zh-Hans": "2次", ug: "ئىككى قېتىم", kk: "ەكى رەت", en: "Twice" } },
      { value: "three_plus", labels: { "zh-Hans": "3次及以上", ug: "ئۈچ قېتىم ياكى ئۇنىڭدىن كۆپ", kk: "ٴۇش رەت نەمەسە ودان كوپ", en: "Three times or more" } },
    ],
  },
  {
    key: "channels",
    kind: "multiple",
    required: false,
    allowNa: false,
    texts: {
      "zh-Hans": "您是通过哪些方式办理的？（可多选）",
      ug: "قايسى يوللار ئارقىلىق بېجىردىڭىز؟ (بىر نەچچىنى تاللاشقا بولىدۇ)",
      kk: "ٴىسىڭىزدى قانداي جولمەن ٴبىتىردىڭىز؟ (بىرنەشەۋىن تاڭداۋعا بولادى)",
      en: "How did you deal with the office? (choose all that apply)",
    },
    options: [
      { value: "counter", labels: { "zh-Hans": "窗口办理", ug: "كۆزنەكتە", kk: "قىزمەت تەرەزەسىندە", en: "At the counter" } },
      { value: "online", labels: { "zh-Hans": "网上办理", ug: "توردا", kk: "ينتەرنەتتە", en: "Online" } },
      { value: "phone", labels: { "zh-Hans": "电话咨询", ug: "تېلېفوندا", kk: "تەلەفونمەن", en: "By phone" } },
    ],
  },
  {
    key: "comment",
    kind: "text",
    required: false,
    allowNa: false,
    maxLength: 500,
    texts: {
      "zh-Hans": "意见和建议",
      ug: "پىكىر ۋە تەكلىپ",
      kk: "پىكىر مەن ۇسىنىس",
      en: "Comments and suggestions",
    },
    helps: {
      "zh-Hans": "请勿填写姓名、电话等个人信息。",
      ug: "ئىسىم، تېلېفون قاتارلىق شەخسىي ئۇچۇرلارنى يازماڭ.",
      kk: "اتى-ٴجونىڭىز، تەلەفون ٴنومىرىڭىز سياقتى جەكە مالىمەتتەردى جازباڭىز.",
      en: "Please do not write your name, phone number or other personal details.",
    },
  },
];

export const demoComments: Record<string, string[]> = {
  "zh-Hans": ["窗口人员很耐心，一次就办好了。", "排队时间太长，希望增加窗口。", "网上办理很方便。", "材料要求没有提前说清楚，跑了两趟。"],
  ug: ["خادىملار ناھايىتى سەۋرچان ئىكەن، بىر قېتىمدىلا بېجىرىلدى.", "ئۆچىرەت ۋاقتى بەك ئۇزۇن.", "توردا بېجىرىش ناھايىتى قولايلىق."],
  kk: ["قىزمەتكەرلەر وتە سابىرلى ەكەن، ٴىسىم ٴبىر كەلگەندە-اق ٴبىتتى.", "كەزەك كۇتۋ ۋاقىتى تىم ۇزاق.", "ينتەرنەت ارقىلى ٴبىتىرۋ وتە ىڭعايلى."],
  en: ["Quick and friendly service.", "The waiting time was too long."],
};
