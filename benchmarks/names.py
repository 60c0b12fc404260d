"""Word and syllable lists for synthetic but plausible names, each Chinese form paired with its English.

Characters used to build place and brand names each have a distinct toneless pinyin, so two different
generated names never share a slug. Organisation kinds follow the forms the real article uses (区X局,
区X局机关第一党支部, X图书馆, X公司党委).
"""

from __future__ import annotations

#: (character, pinyin) for place names: every pinyin distinct, none forming a province name.
PLACE_CHARS: tuple[tuple[str, str], ...] = (
    ("龙", "long"), ("华", "hua"), ("江", "jiang"), ("新", "xin"), ("安", "an"), ("宁", "ning"),
    ("丰", "feng"), ("源", "yuan"), ("兴", "xing"), ("平", "ping"), ("城", "cheng"), ("海", "hai"),
    ("山", "shan"), ("湖", "hu"), ("阳", "yang"), ("泉", "quan"), ("溪", "xi"), ("河", "he"),
    ("石", "shi"), ("桥", "qiao"), ("东", "dong"), ("南", "nan"), ("北", "bei"), ("金", "jin"),
    ("云", "yun"), ("岭", "ling"), ("台", "tai"), ("梅", "mei"), ("桂", "gui"), ("容", "rong"),
    ("莞", "guan"), ("顺", "shun"), ("德", "de"), ("清", "qing"), ("沙", "sha"), ("田", "tian"),
    ("塘", "tang"), ("浦", "pu"), ("滨", "bin"), ("恩", "en"), ("高", "gao"), ("明", "ming"),
    ("禅", "chan"), ("三", "san"), ("水", "shui"), ("增", "zeng"), ("番", "pan"), ("白", "bai"),
    ("越", "yue"), ("秀", "xiu"), ("茂", "mao"), ("港", "gang"), ("湾", "wan"), ("林", "lin"),
    ("竹", "zhu"), ("松", "song"), ("柳", "liu"), ("莲", "lian"), ("荔", "li"), ("坂", "ban"),
)
#: (character, pinyin) for enterprise brands.
BRAND_CHARS: tuple[tuple[str, str], ...] = (
    ("鸿", "hong"), ("达", "da"), ("盛", "sheng"), ("鑫", "xin"), ("泰", "tai"), ("创", "chuang"),
    ("隆", "long"), ("嘉", "jia"), ("恒", "heng"), ("康", "kang"), ("利", "li"), ("宝", "bao"),
    ("美", "mei"), ("荣", "rong"), ("威", "wei"), ("博", "bo"), ("凯", "kai"), ("德", "de"),
    ("瑞", "rui"), ("通", "tong"), ("发", "fa"), ("万", "wan"), ("富", "fu"), ("和", "he"),
    ("聚", "ju"), ("远", "yuan"), ("星", "xing"), ("科", "ke"), ("汇", "hui"), ("永", "yong"),
    ("百", "bai"), ("骏", "jun"), ("捷", "jie"), ("奥", "ao"), ("伦", "lun"), ("迪", "di"),
    ("诺", "nuo"), ("田", "tian"), ("豪", "hao"), ("金", "jin"), ("华", "hua"), ("丰", "feng"),
)
#: (zh, en, short zh) industries: 广东鸿达精密机械有限公司 is called 鸿达精密公司 in running text.
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("精密机械", "Precision Machinery", "精密"), ("智能科技", "Intelligent Technology", "智能"),
    ("电器", "Electrical Appliances", "电器"), ("环境工程", "Environmental Engineering", "环境"),
    ("家居用品", "Home Furnishings", "家居"), ("涂料", "Coatings", "涂料"),
    ("五金制品", "Hardware Products", "五金"), ("物流", "Logistics", "物流"),
    ("纺织", "Textiles", "纺织"), ("食品", "Foods", "食品"), ("包装材料", "Packaging Materials", "包装"),
    ("光电", "Optoelectronics", "光电"), ("医疗器械", "Medical Devices", "医疗"),
    ("新材料", "New Materials", "材料"), ("模具", "Moulds", "模具"), ("起重机械", "Crane Machinery", "起重"),
    ("厨卫", "Kitchen and Bathroom", "厨卫"), ("照明", "Lighting", "照明"), ("印刷", "Printing", "印刷"),
    ("电子", "Electronics", "电子"), ("汽车配件", "Auto Parts", "汽配"), ("塑料制品", "Plastic Products", "塑料"),
)
#: (zh, en) company suffixes.
COMPANY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("有限公司", "Co., Ltd."), ("股份有限公司", "Co., Ltd. (joint-stock)"), ("集团有限公司", "Group Co., Ltd."),
)
#: (zh, en) provinces.
PROVINCES: tuple[tuple[str, str], ...] = (
    ("广东", "Guangdong"), ("浙江", "Zhejiang"), ("江苏", "Jiangsu"), ("山东", "Shandong"), ("福建", "Fujian"),
    ("湖北", "Hubei"), ("湖南", "Hunan"), ("四川", "Sichuan"), ("河南", "Henan"), ("安徽", "Anhui"),
)
#: (zh short, slug, en) district bureaus: 区教育局 is the Education Bureau of the district.
BUREAUS: tuple[tuple[str, str, str], ...] = (
    ("教育局", "education-bureau", "Education Bureau"),
    ("民政局", "civil-affairs-bureau", "Civil Affairs Bureau"),
    ("人社局", "human-resources-bureau", "Human Resources and Social Security Bureau"),
    ("财政局", "finance-bureau", "Finance Bureau"),
    ("市监局", "market-supervision-bureau", "Market Supervision Administration Bureau"),
    ("发改局", "development-reform-bureau", "Development and Reform Bureau"),
    ("城管执法局", "urban-management-bureau", "Urban Management and Law Enforcement Bureau"),
    ("交通运输局", "transport-bureau", "Transport Bureau"),
    ("住建局", "housing-construction-bureau", "Housing and Urban-Rural Development Bureau"),
    ("卫健局", "health-bureau", "Health Bureau"),
    ("文广旅体局", "culture-tourism-bureau", "Culture, Radio, Television, Tourism and Sports Bureau"),
    ("司法局", "justice-bureau", "Justice Bureau"),
    ("应急管理局", "emergency-management-bureau", "Emergency Management Bureau"),
    ("科技局", "science-technology-bureau", "Science and Technology Bureau"),
    ("经济促进局", "economic-promotion-bureau", "Economic Promotion Bureau"),
    ("统计局", "statistics-bureau", "Statistics Bureau"),
    ("审计局", "audit-bureau", "Audit Bureau"),
    ("农业农村局", "agriculture-bureau", "Agriculture and Rural Affairs Bureau"),
)
#: (zh, slug, en, parent bureau slug or "") public institutions. With a parent the text names the chain
#: (区人社局公共就业服务中心党支部: branch -> centre -> bureau, a host chain); without, the district's name
#: stands before it (龙华图书馆党支部), as 顺德图书馆 does in the real article.
INSTITUTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("图书馆", "library", "Library", ""),
    ("文化馆", "cultural-centre", "Cultural Centre", ""),
    ("人民医院", "peoples-hospital", "People's Hospital", ""),
    ("职业技术学校", "vocational-school", "Vocational and Technical School", ""),
    ("疾病预防控制中心", "cdc", "Center for Disease Control and Prevention", "health-bureau"),
    ("公共就业服务中心", "employment-centre", "Public Employment Service Centre", "human-resources-bureau"),
    ("城市更新发展中心", "urban-renewal-centre", "Urban Renewal and Development Centre", "housing-construction-bureau"),
    ("市场监管检测中心", "inspection-centre", "Market Supervision Testing Centre", "market-supervision-bureau"),
)
#: Chinese ordinals for 第N党支部 and 第N期.
ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
ENGLISH_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
                    "Eleventh", "Twelfth")
#: (character, pinyin) surnames and given-name characters.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"),
    ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"),
    ("冯", "Feng"), ("邓", "Deng"), ("曾", "Zeng"), ("彭", "Peng"), ("练", "Lian"), ("舒", "Shu"),
)
GIVEN_CHARS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("敏", "min"), ("静", "jing"), ("强", "qiang"), ("磊", "lei"),
    ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("建", "jian"), ("文", "wen"), ("志", "zhi"), ("海", "hai"), ("鹏", "peng"), ("辉", "hui"),
    ("玲", "ling"), ("宇", "yu"), ("欣", "xin"), ("婷", "ting"), ("浩", "hao"), ("凯", "kai"),
    ("斌", "bin"), ("峰", "feng"), ("云", "yun"), ("杏", "xing"), ("仪", "yi"), ("东", "dong"),
)
#: (zh, en, part zh, part en) what a branch secretary reports the pairing achieved, with a part of it.
OUTCOMES: tuple[tuple[str, str, str, str], ...] = (
    ("帮助企业成功招聘新入职员工{n}人", "Helped the enterprise recruit {n} new employees",
     "其中{m}人为应届高校毕业生", "{m} of them new university graduates"),
    ("为企业解决融资难题{n}项", "Solved {n} financing problems for the enterprise",
     "其中{m}项涉及技术改造", "{m} of them on technical upgrading"),
    ("组织党员志愿服务{n}次", "Organised {n} party-member volunteer services",
     "其中{m}次走进企业车间", "{m} of them in the enterprise's workshops"),
    ("为企业申请政府补贴{n}万元", "Obtained {n}0,000 yuan of government subsidies for the enterprise",
     "其中{m}万元用于人才引进", "{m}0,000 yuan of it for attracting talent"),
    ("联合开展主题党日活动{n}场", "Held {n} joint thematic party-day activities",
     "其中{m}场在企业举行", "{m} of them held at the enterprise"),
)
#: (zh, en) what a speaker says about a pairing.
REMARKS: tuple[tuple[str, str], ...] = (
    ("结对共建是双方资源共享、优势互补,接下来将创新方式,在结对共建方面去突破、尝试和探索",
     "Pairing means sharing resources and complementing strengths; next we will innovate and explore."),
    ("双方将在“动”和“融”方面努力,积极主动,推动开放融合形成强大合力",
     "The two sides will work on action and integration and form a strong joint force."),
    ("通过结对共建,员工对相关政策充分了解,减少了很多埋怨",
     "Through the pairing, employees fully understand the relevant policies, with far fewer complaints."),
    ("机关党组织要充分发挥各自的政策和资源优势,服务企业,解决企业发展难题",
     "Party organisations of organs should use their policy and resource advantages to serve enterprises."),
    ("开展活动一定要注重实效,要保证党组织的领导核心作用",
     "The activities must stress practical results and keep the party organisation's leading role."),
    ("要学习企业的艰苦奋斗优良作风和快速灵活应对市场变化的机制",
     "We should learn from enterprises' hard-working style and quick response to market changes."),
)
#: (zh, slug, en) the “六个共建” activities.
ACTIVITIES: tuple[tuple[str, str, str], ...] = (
    ("共上党课", "joint-party-lectures", "Jointly attending party lectures"),
    ("共办主题党日活动", "joint-theme-party-days", "Jointly holding thematic party-day activities"),
    ("共商发展难题", "joint-development-problem-solving", "Jointly discussing development problems"),
    ("共建党建阵地", "joint-party-building-sites", "Jointly building party-building venues"),
    ("共开组织生活会", "joint-organisational-life-meetings", "Jointly holding organisational-life meetings"),
    ("共评党员情况", "joint-member-evaluation", "Jointly evaluating party members"),
)
