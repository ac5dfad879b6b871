"""Hand labels of the sample (index in ``_sample.json`` -> label, deciding sentence, hard case).

Set by reading each card's duties, requirements and key skills (LABELLING.md of ``postings_real``), before
any coder was run on the sample. Indices not listed are 0 with nothing tempting.

Re-read 2026-12-06 against the guide's decisions on the cases it had left open (messengers, digitisation, record
databases, handheld terminals, internet and search, digital photo / video, CNC programming, Госуслуги, touch typing,
«ПК» in other senses; ``postings_real/LABELLING.md``): no label here changes. The cards on those points are WhatsApp
as a contact (172 and ``gen_0126``), «видеопродукция» (``gen_0038``), «средств оргтехники» (18), tills (167,
``gen_0035``): 0 under the old and the new text; the fresh part's four cards on them were already 1.
"""

P = {  # label 1: index -> (deciding sentence, verbatim; hard-case note or "")
    0: ("Уверенный пользователь ПК.", ""),
    8: ("Знание программных продуктов: Word, Excel, Outlook, PowerPoint", ""),
    9: ("Знание программных продуктов: Word, Excel, PowerPoint", ""),
    12: ("ПК-уверенный пользователь Excel", ""),
    13: ("Работа с компьютерной кассой", "only a computerised till as the digital duty (cf. R-keeper in LABELLING.md)"),
    14: ("Базовые знания ПК", ""),
    15: ("Работа в 1С Управление предприятием ERP", ""),
    20: ("Знание программ: 1С 8.3", ""),
    27: ("Сопровождение информационных систем в области энергосбережения", "a duty to maintain information systems"),
    28: ("Опыт работы с типовыми и нетиповыми конфигурациями 1С", ""),
    29: ("Уверенный пользователь ПК", ""),
    33: ("владение программой Microsoft Word", ""),
    38: ("Использовать компьютерные технологии", ""),
    39: ("Владение навыками работы на компьютере", ""),
    52: ("опытный пользователь ПК", ""),
    70: ("Навыки и знания владения программами", "'программы' without 'компьютерные': read as software"),
    71: ("ведение сайта музея", "digital-channel duty (web site, social networks)"),
    74: ("основы информатики и компьютерной техники", "only in the key-skills field"),
    80: ("Знание MS Office (Word, Excel) на уровне уверенного пользователя", ""),
    84: ("Продвинутый windows", "only in the key-skills field"),
    86: ("знание ПК, Word", ""),
    92: (
        "формирования единой информационной базы данных туристских ресурсов",
        "weakest: a duty to build an information database",
    ),
    93: ("работа с компьютером на уровне уверенного пользователя", "only in the key-skills field"),
    100: ("Оперативно и систематически обновляет материалы на сайте учреждения", "digital-channel duty (web site)"),
    101: ("знание компьютера, умение работать в программах", ""),
    102: ("Уверенный пользователь ПК", ""),
    111: ("заполнение сайта контроль почтовых вагонов", "weak: filling in a web system as an assisting duty"),
    113: ("Регистрация отправлений во внутренней программе", ""),
    118: ("знание 1С", ""),
    120: ("Навыки владения Word, Excel, Auto Cad", ""),
    122: ("Выполняет транзакции в 1С", ""),
    123: ("ведение социальных сетей", ""),
    127: ("Обновление типовых и нетиповых конфигураций 1С", ""),
    128: ("Умение работать в «Лоцман:PLM» с применением «Компас-3D» и «Вертикаль»", ""),
    133: ("Уверенное владение языками программирования (Fortran, C, C++)", ""),
    136: ("Знание компьютерных программ", ""),
    138: ("Уверенный пользователь ПК, Консультант плюс, Гарант, офисные программы", ""),
    139: ("Знание 1 С 8.3", ""),
    144: ("Знание ПК на уровне продвинутого пользователя", ""),
    145: ("работа с пк", "only in the key-skills field"),
    152: ("Оказывать помощь пользователям в работе с программами", ""),
    155: ("Обеспечивает инженерно-технические меры защиты информационных систем", ""),
    156: ("владение программами: MS Office, AutoCAD (обязательно)", ""),
    157: ("Знание ПК.", ""),
    160: ("Выписывать товар в компьютерной системе Axapta.", ""),
    164: ("Знание компютерных программ.", "misspelt 'компютерных' (no 'ь')"),
    168: ("Знание программно-математических средств защиты информации", ""),
    169: ("знание MS SQL (написание запросов)", ""),
    171: ("обеспечению организационных и инженерно-технических мер защиты информационных систем", ""),
}
N = {  # label 0 with a tempting sentence or a hard case: index -> (closest tempting sentence, note)
    18: ("средств оргтехники", "checking office equipment is not a skill"),
    41: ("Знание современных коммуникативных технологий", "'communication technologies' not stated as digital"),
    68: (
        "участие в разработке информационно-технического оснащения музейно-выставочных экспозиций",
        "exhibition equipment, not a digital skill",
    ),
    99: ("медиаграмотность", "media literacy, not stated as a digital skill"),
    121: (
        "Подготовка и согласование ТТ и ТЗ",
        "the department is named for automated control systems; the duty is construction paperwork",
    ),
    129: ("станков с ЧПУ", "CNC machine operation: a machining skill, not a digital one"),
    134: ("фрезерных станков с ЧПУ", "CNC machine setting: a machining skill, not a digital one"),
    166: ("обработки информации с использованием современных технических средств", "vague key-skills phrase"),
    167: ("работа с кассовой техникой,терминалом", "till and card terminal, not named as a computer system"),
    172: ("WhatsApp", "a contact channel"),
}

# Relabelled 2026-12-06b (``postings_real/LABELLING.md``, addition 2026-12-06b: analysing or processing data counts;
# a title counts when it names data analysis or a digital tool as the job's content). Applied to the second fresh part
# by ``build_fresh2.py`` over the blind labels, which ``fresh2_labels.csv`` keeps as they were given. Every other label
# of the parts read so far was re-read on these points and stays (LABELLING.md lists the ones that do not change).
RELABEL = {  # id -> (label, deciding sentence verbatim, why)
    "fresh2_0037": (1, "Сбор, обработка и анализ данных", "blind 0; analysing and processing data (DigComp 1.2, 1.3)"),
    "fresh2_0053": (
        1,
        "Аналитик-координатор анализа полетных данных",
        "blind 0; title: the job's content is analysing (flight) data (DigComp 1.2)",
    ),
    "fresh2_0068": (
        1,
        "Специалист, который работает с данными: собирает их, обрабатывает, изучает и интерпретирует.",
        "blind 0; processing and interpreting data (DigComp 1.2, 1.3); the IT domain of decisions is still no cue",
    ),
    "fresh2_0082": (1, "Анализировать данные и показатели", "blind 0; analysing data (DigComp 1.2)"),
    "fresh2_0090": (
        1,
        "Сбор, обработка и анализ количественных данных с Московской биржи (MOEX)",
        "blind 0; analysing and processing data (DigComp 1.2, 1.3)",
    ),
}
