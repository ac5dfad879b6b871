# idx: (label, deciding_sentence (verbatim substring of the text), hard_case note)
# Relabelled 2026-12-06b (LABELLING.md, addition 2026-12-06b: analysing or processing data counts): 31, 38, 62, 181,
# 198 (real_0040, real_0047, real_0070, real_0188, real_0204), each 0 -> 1, its note says why. No other label changes.
L = {}
L[0] = (1, "Опыт работы с Битрикс 24 (знание функционала, настройка, администрирование, бизнес-процессы);", "")
L[1] = (1, "Владение навыками работы как минимум с одним из следующих языков - Python, R", "")
L[2] = (
    1,
    "Проектирование ИТ решений: моделей бизнес-процессов, схем потоков данных, моделей данных, описание контрактов взаимодействия",
    "",
)
L[3] = (
    1,
    "знание Excel, Oracle BI, Colvir, PowerPoint, навыки визуализации, понимание Big Data технологий, Power BI, SQL",
    "",
)
L[4] = (
    1,
    "Навыки работы на компьютере и другой офисной техникой, на ПО Microsoft office, (Word, Excel), Outlook, E-mail, Internet, автоматизированных банковских информационных системах.",
    "",
)
L[5] = (1, "уверенный пользователь ПК, умение работать с ПО MS Word", "")
L[6] = (1, "Отличные знания SQL, Python, BI-инструментов, статистики, методов анализа данных.", "")
L[7] = (1, "Знание принципов построения баз данных и языка SQL.", "")
L[8] = (1, "Обязателен опыт работы с GIS API и базами данных.", "")
L[9] = (
    1,
    "'MS Excel'",
    "digital skill appears only in the hh.kz key-skills field (MS Word/Excel/PowerPoint/Outlook); description itself lists no digital requirement; duty 'выработке предложений по ее оптимизации и автоматизации' alone would be weak",
)
L[10] = (1, "Разрабатывать и оптимизировать SQL-запросы", "")
L[11] = (1, "Продвинутый пользователь Excel, Oracle BI, MS Power Query.", "")
L[12] = (
    1,
    "Опыт работы с Python, SQL и BI-инструментами будет преимуществом.",
    "digital skill specified as an advantage ('будет преимуществом'), also in key skills; counted as specified",
)
L[13] = (1, "опыт подготовки презентаций, владение MS Office Word, Excel, Power Point;", "")
L[14] = (1, "Базовые знания SQL (чтение простых SELECT-запросов, понимание структуры БД)", "")
L[15] = (1, "Опыт работы с BI-инструментами (Power BI, Tableau и др.), Big Data, системами аналитики.", "")
L[16] = (1, "Отличное знание Python", "")
L[17] = (1, "Знания Excel – на продвинутом уровне;", "")
L[18] = (1, "Опыт работы с системами контроля версий (например, Git) и опыт работы с CI/CD.", "")
L[19] = (
    1,
    "желательно продвинутый уровень владение MS Excel",
    "only in hh key-skills field and only 'желательно'; description requirements have no digital skill",
)
L[20] = (0, "", "")
L[21] = (1, "владение Python и SQL;", "")
L[22] = (1, "Глубокие знания SQL, Python и опыт написания Data Pipeline;", "")
L[23] = (1, "Опыт работы с SQL и системами хранения данных.", "")
L[24] = (1, "знание основ языков программирования;", "")
L[25] = (1, "Глубокие знания операционных систем (Windows, Linux);", "")
L[26] = (
    1,
    "Владение навыками работы с Eхcel для разработки Дэшбордов, Power BI.",
    "'Eхcel' is written with a Cyrillic 'х' (mixed script) - Latin-only patterns miss it; 'Навыки работы с системой SAP.' also decides",
)
L[27] = (1, "Знание и использование Advanced Excel, SQL (Power BI, Python).", "")
L[28] = (0, "", "")
L[29] = (
    1,
    "Отличное знание PostgreSQL, включая PL/pgSQL, DML/DDL.",
    "benefit line 'Участие в масштабных проектах цифровизации' does not count; decided by requirements",
)
L[30] = (1, "Уверенное владение Excel, STATA или аналогами, Power Point и другими информационными ресурсами.", "")
L[31] = (
    1,
    'Умение моделировать финансовые данные и принимать решения на основе сложных расчётов.',
    'relabelled 0 -> 1 by LABELLING.md 2026-12-06b (modelling data; «Анализ данных» also in the key-skills field); was: financial modelling without a named digital tool',
)
L[32] = (
    1,
    "1C: Бухгалтерия",
    "only in hh key-skills field ('1C: Бухгалтерия'); description has no digital requirement",
)
L[33] = (1, "Проектирование информационных систем и архитектуры баз данных, приложений;", "")
L[34] = (1, "Опыт работы с Power BI и аналогичными BI-инструментами не менее 5 лет", "")
L[35] = (
    1,
    "осуществляет внедрение автоматизированной системы бюджетирования и планирования;",
    "decided by duties only (automated budgeting system; posting the plan on the state-registry portal; maintaining an economic database); requirements section lists no digital skill",
)
L[36] = (
    1,
    "Участие в разработке, наполнении и актуализации цифровых дашбордов, в том числе стратегического дашборда.",
    "decided by duties (ML algorithms, digital dashboards); the requirements section itself is generic",
)
L[37] = (1, "Уверенное знание Linux (AlmaLinux, Ubuntu, RHEL)", "")
L[38] = (
    1,
    'умение и навыки проводить интенсивный, масштабный сбор и анализ данных;',
    "relabelled 0 -> 1 by LABELLING.md 2026-12-06b (analysing data counts, DigComp 1.2); was: 'сбор и анализ данных' without a digital tool, not a digital skill",
)
L[39] = (1, "Владение Excel", "")
L[40] = (1, "Умение работать с аналитическими инструментами: Excel, SQL, Power BI, Tableau, Python (желательно).", "")
L[41] = (1, "MS PowerPoint", "only in hh key-skills field (MS PowerPoint); description has no digital requirement")
L[42] = (
    1,
    "'MS Excel'",
    "only in hh key-skills field (MS Outlook/Word/Excel/PowerPoint); description has no digital requirement",
)
L[43] = (1, "Знание программ 1С, Excel, PowerPoint;", "")
L[44] = (1, "Знание языка программирования на DAX, SQL, PYTHON", "")
L[45] = (1, "Знать SQL", "")
L[46] = (
    1,
    "навыки работы с Excel, SQL, Power BI, Python",
    "skill statement sits in the intro/duties block ('Приветствуется ...'), requirements block itself only says 'инструментов анализа данных'",
)
L[47] = (
    0,
    "Погружение в специфику работы IT-интегратора и реальных бизнес-проектов.",
    "employer is an IT integrator ('проводник в мире данных и технологий'); the PM role itself requires no digital/IT skill -> 0",
)
L[48] = (
    1,
    "Глубокий респект Excel и финансовому анализу",
    "informal phrasing in the candidate-profile block ('Если это о вас'); key skills oddly include 'Этичный хакинг'",
)
L[49] = (1, "Владение Excel на уровне построения бизнес-планов и моделей;", "")
L[50] = None  # EXCLUDED: near-duplicate of #40 (same requirements block, BI Group vs BI Education)
L[51] = (
    1,
    "Уверенный пользователь ПК",
    "only in hh key-skills field; employer self-description as data/research company ('Data Hunters') does not count by itself",
)
L[52] = (
    0,
    "Опыт управления бизнесом или коммерческим подразделением с P&L-ответственностью от 3 лет (желательно в e-commerce, b2c бизнесах, маркетплейсах, рознице);",
    "sector experience in e-commerce/marketplaces is not a digital skill; 'любви к цифрам' = love of numbers ('цифр' stem trap)",
)
L[53] = (1, "Отличное знание SQL и уверенное обращение с большими объёмами данных;", "")
L[54] = (
    1,
    "Уверенный пользователь компьютерной техники, знания и практический опыт работы с операционными системами Windows и Linux",
    "",
)
L[55] = (
    1,
    "Обеспечивать создание базы данных по рынку труда (получение, введение, обработку, анализ, классификацию, оценку, сверку и хранение информации), координировать извлечение и использование информации из баз данных;",
    "decided by duties only (building a labour-market database, searching via information bases and the internet); requirements section has none",
)
L[56] = (
    1,
    "Желателен опыт внедрения или работы с crm-системами, знание технических решений для программ лояльности, современных цифровых технологий и инструментов в ритейле.",
    "",
)
L[57] = (1, "Базовое понимание работы мобильных приложений, веб-сервисов, API-интеграций", "")
L[58] = (1, "Уверенный пользователь ПК: AutoCAD, MS Office, сметные программы.", "")
L[59] = (1, "владение Excel, знание 1С (или другой учётной системы)", "")
L[60] = (1, "Уверенное владение Excel, Power BI или Google Data Studio", "")
L[61] = (1, "имеете навыки работы в CRM.", "")
L[62] = (
    1,
    'Обработка требуемых отчетов и ввод данных, аналитика, систематизация процессов, данных;',
    'relabelled 0 -> 1 by LABELLING.md 2026-12-06b (entering and structuring data, DigComp 1.3); was: borderline, coded 0',
)
L[63] = (1, "Отличное знание 1С и уверенное владение приложениями MS Office.", "")
L[64] = (
    1,
    "Навыки пользователя ПК;",
    "'Планшеты' in the 'В помощь прилагается' (equipment/benefit) block does not count",
)
L[65] = (1, "Уверенное владение Excel, знание 1С будет преимуществом.", "")
L[66] = (0, "", "")
L[67] = (1, "Отличное знание инструментов: Meta Ads, Google Ads, Яндекс Директ, Google Analytics, Tag Manager;", "")
L[68] = (
    1,
    "1С, ЗУП, Телеграмм, СЭД (система электронного документооборота) Документолог",
    "employer self-description (software, AI, computer vision) does not count; decided by the 1C / EDMS requirement",
)
L[69] = (1, "Свободное владение инструментами прототипирования и дизайна Figma, Adobe Photoshop и др.", "")
L[70] = (1, "Уверенные знания инструментов интернет-продвижения (SEO, контекстная реклама, SMM-платформы);", "")
L[71] = (1, "Хорошее знание Excel, умение работать с таблицами и формулами, ведение отчетности на базе Excel;", "")
L[72] = (1, "Продвинутый пользователь MS office (Excel - уверенный пользователь, PowerPoint).", "")
L[73] = (
    0,
    "Среднее специальное образование, предпочтительно в области математики, статистики, анализа данных, программирования, экономики.",
    "preferred FIELD of education (programming, data analysis) is not a skill requirement; salary paid 'на карту банков Kaspi.kz' is a condition",
)
L[74] = (
    1,
    "Уверенные навыки работы с инструментами искусственного интеллекта (например, ChatGPT, Copilot и др.), понимание принципов prompt engineering;",
    "",
)
L[75] = (
    1,
    "Таргетолога с опытом от 2 лет, который хорошо ориентируется в механизмах рекламных платформ Facebook, и со знанием контекстной рекламы",
    "",
)
L[76] = (
    0,
    "Человека с опытом в инфобизнесе, диджитале или креативных индустриях",
    "sector experience 'в диджитале' and an online-business employer description are not a digital-skill requirement for this finance role",
)
L[77] = (1, "Понимание сквозной аналитики и работа с BI-дашбордами", "")
L[78] = (1, "Ты уверенно владеешь Power Point, Power BI, Power Query.", "")
L[79] = (1, "Сильные аналитические скиллы, Excel, BI, прогнозирование, оборачиваемость, ABC/XYZ", "")
L[80] = (1, "Реализация ТЗ в MS Power BI по графическому отображению отчетов.", "")
L[81] = (
    1,
    "Цифровой маркетинг — развитие интернет-маркетинга (SEO, SMM, контекстная реклама, email-маркетинг).",
    "employer self-description as an IT company does not count; decided by the digital-marketing duty/requirement",
)
L[82] = (1, "Владение инструментами пентеста (Nmap, Nessus, Metasploit, Burp Suite).", "")
L[83] = (1, "Владение SQL, Power BI.", "")
L[84] = (
    1,
    "Поиск, отбор и оценка AI-инструментов и новых фич для пилотных внедрений в строительные проекты",
    "requirements give only an IT education field / IT-company experience; decided by the AI-tools duty",
)
L[85] = None  # EXCLUDED: near-duplicate of #60 (same GAISSINA posting text)
L[86] = (1, "MS Excel;", "")
L[87] = (1, "Уверенно владеете 1С: Предприятие.", "")
L[88] = (
    1,
    "Анализ систем web-аналитики: составление выводов и рекомендаций на основе полученных данных;",
    "employer is a website-builder IT product; 'Опыт ... в IT-продукте' is sector experience; decided by the web-analytics duty",
)
L[89] = (1, "Знание Excel на продвинутом уровне;", "")
L[90] = (
    1,
    "Продвинутые навыки работы в 1C8 УТП;",
    "employer name 'Мук-Компьютерс' and 'Опыт работы в ИТ компаниях (желательно)' are not themselves digital skills",
)
L[91] = (1, "Уверенное владение ПК , в т.ч. пакет MS: Excel, Word, Power point.", "")
L[92] = (0, "", "")
L[93] = (1, "Знание Excel - на уровне уверенного пользователя.", "")
L[94] = (
    1,
    "Знание нейросети и как с ним работать в HR;",
    "employer self-description 'IT-стартап'/marketplace and 'Опыт в IT рекрутинге' do not count; decided by the neural-network (AI tool) requirement",
)
L[95] = (
    1,
    "Контроль эффективности работы сайта: посещаемость, SEO, актуальность",
    "decided by website/SEO duty; 'любовь к цифрам' is a 'цифр' stem trap",
)
L[96] = (1, "Опыт ведения и продвижения соцсетей (Instagram, Telegram и др.);", "")
L[97] = (
    1,
    "формирование, ведение и хранение базы данных бухгалтерской информации в информационной системе, применяемой в работе Бухгалтерии;",
    "decided by a duty (accounting information system); requirements section lists no digital skill; key skills list 1C",
)
L[98] = (
    1,
    "Масштабирование системы мониторинга на всю ИТ-инфраструктуру, включая облачные технологии и блокчейн-компоненты.",
    "",
)
L[99] = (
    1,
    "1С: Управление Закупками",
    "only in hh key-skills field; 'Заработная плата на карту банка' is a condition, not a skill",
)
L[100] = (1, "опыт внедрения CRM-систем и веб-платформ", "")
L[101] = (1, "Работа с ПО: MS Office, 1с", "")
L[102] = (1, "знание MS Office: Excel и Power Point (опытный пользователь).", "")
L[103] = (1, "1С: Предприятие 8", "only in hh key-skills field; description requirements have no digital skill")
L[104] = (
    1,
    "Ведение баз данных",
    "weakest positive: the only digital cue is the duty 'Ведение баз данных' (and 'Размещение вакансий'); a stricter coder could code 0",
)
L[105] = (
    1,
    "Умение программировать и конфигурировать системы управления ABB с использованием инструментов программирования (например, Control Builder M) и знание языков программирования, таких как IEC 61131-3.",
    "",
)
L[106] = (1, "Знание инструментов аналитики: Google Analytics, Яндекс.Метрика, Ads Manager, Meta.", "")
L[107] = (1, "Умение писать SQL-запросы;", "")
L[108] = (
    1,
    "Владение Excel и/или BI-инструментами на уровне уверенного пользователя — PowerPoint, кстати, тоже нужен.",
    "'разделить батл с Excel' in the benefits block would not count on its own",
)
L[109] = (
    1,
    "Совершенствование текущих моделей оценки риска и автоматизация внутренних процессов (VBA, Python, R);",
    "decided by a duty; requirements section lists no digital skill",
)
L[110] = (1, "Владение Excel, PowerPoint, Canva, Figma.", "")
L[111] = (1, "Знание 1С ЗУП", "")
L[112] = (1, "Уверенное владение программами для бухгалтерии и финансового анализа (1С, Excel, другие).", "")
L[113] = (1, "Навык работы в 1C: Документооборот", "")
L[114] = (
    1,
    "Навыки работы с данными: умение анализировать информацию, готовить отчеты и визуализировать результаты (Excel, Power BI, Tableau, SQL, Python – будет преимуществом);",
    "",
)
L[115] = (
    1,
    "Опыт работы и знания в области АБИС, процессинга карточных операций, SQL, анализа больших данных и применения аналитических процедур.",
    "",
)
L[116] = (1, "Знание SQL, Python, VBA, опыт с DAX, MDX", "")
L[117] = (1, "BI и визуализация: уверенное владение BI-инструментами (Power BI, Tableau, Qlik).", "")
L[118] = (1, "Хорошее знание Excel, включая сводные таблицы, макросы и формулы.", "")
L[119] = (1, "продвинутые навыки работы с PL/SQL, Python (pandas, sklearn, NumPy), Scikit-learn.", "")
L[120] = (1, "Администрирование серверных систем Windows/Linux/Unix с ясным пониманием их архитектуры;", "")
L[121] = (1, "Уверенное знание Python и базовых библиотек;", "")
L[122] = (1, "Знание и опыт работы с BI-системами (в т.ч. Oracle BI), SQL;", "")
L[123] = (1, "Уверенный пользователь ПК, MS Office, Google Таблиц;", "")
L[124] = (1, "Навыки программирования на Python, опыт работы с Git", "")
L[125] = (1, "Практический опыт написания SQL запросов", "")
L[126] = (1, "Опыт работы с Excel, 1С;", "")
L[127] = (1, "Опыт разработки на Python;", "")
L[128] = (
    1,
    "Разработка решений для платформы aCPA;",
    "no named tool in requirements (IT-specialty student, 'Базовые знания системного анализа'); decided by the platform-development duty",
)
L[129] = (1, "Глубокая экспертиза в аналитике, AI, ML и работе с большими данными;", "")
L[130] = (1, "Уверенное владение ML стеком на Python, в т.ч. MLops.", "")
L[131] = (1, "Знание DL фреймворка (PyTorch, TensorFlow)", "")
L[132] = (1, "Продвинутое знание SQL, опыт работы с реляционными базами данных (Oracle, Greenplum)", "")
L[133] = (1, "Опыт работы с Excel.", "")
L[134] = (
    1,
    "Знание программного обеспечения для анализа данных (Excel на продвинутом уровне), знание Power BI, Tableau, SPSS, SQL, Python будет преимуществом",
    "",
)
L[135] = (1, "Навыки уверенного пользователя MS Office (Word, Excel, Power Point, Outlook).", "")
L[136] = (1, "Опыт программирования в MS SQL / PL SQL, знания структуры баз данных", "")
L[137] = (
    1,
    "Навыки анализа данных: базовое понимание структур данных, SQL или инструментов анализа данных для оценки требований к данным и проверки целостности данных.",
    "",
)
L[138] = (1, "Ожидаем хорошие знания Excel, Power BI", "")
L[139] = (1, "сильное знание Excel и PowerPoint, хорошее знание 1С приветствуется;", "")
L[140] = (1, "навыки работы с базами данных, SQL, PySpark", "")
L[141] = (
    1,
    "Уверенные знания SQL, умение работать с базами данных;",
    "employer self-description 'Мы IT-компания' does not decide; requirements do",
)
L[142] = (1, "Опыт работы с большими наборами данных и базами данных SQL.", "")
L[143] = (1, "Знание .NET Core/.NET 5+.", "")
L[144] = (1, "Знание Python, OOП;", "")
L[145] = (1, "умение работать с XML, SQL, UML, MS Visio, Balsamiq, Confluence, Jira;", "")
L[146] = (1, "Опыт работы с Python (библиотеки pandas, numpy, matplotlib, seaborn);", "")
L[147] = (1, "Знание SQL и основ Apache Spark.", "")
L[148] = (1, "DevOps: Docker, Kubernetes, CI/CD (GitHub Actions, GitLab CI/CD, Jenkins).", "")
L[149] = (1, "Продвинутые знания Python, Oracle PL/SQL;", "")
L[150] = (1, "Знания GIT, CI/CD, GitLab", "")
L[151] = (1, "Обязательно: Опытный пользователь MS Office, 1С, знание английского языка (желательно).", "")
L[152] = (
    1,
    "Знание инструментов для анализа данных (например, Excel, Power BI, Tableau) и моделирования бизнес-процессов.",
    "",
)
L[153] = (
    1,
    "Технологический стек: Python, Jupyter, pyTorch, Keras, TensorFlow, PostgreSQL, Git, Graylog, Docker, Kubernetes",
    "",
)
L[154] = (1, "Знание 1С Бухгалтерия 8.3;", "")
L[155] = (1, "3) Power BI", "")
L[156] = (
    1,
    "Уверенная работа с таблицами и таск-менеджерами",
    "employer is a BI/Power-BI training business; decided by requirement and duties (Zoom, Google Sheets, Tilda/GetCourse)",
)
L[157] = (
    1,
    "Свободное владение функционалом порталов",
    "'порталов' = e-procurement portals (goszakup / Samruk-Kazyna), also duty 'Мониторинг сайтов Государственных закупок'; no named office software",
)
L[158] = (1, "Навыки анализа рекламы в Google Analytics 4, ЯндексМетрика, Power BI, Appsflyer, Amplitude;", "")
L[159] = (
    1,
    "Экспертиза в маркетинговых инструментах: Performance-маркетинг; Digital-стратегии; Социальные медиа; CRM и партнерства.",
    "'говорит на языке цифр' = numbers ('цифр' stem trap); decided by digital-marketing/CRM expertise",
)
L[160] = (1, "Владение инструментами аналитики (например: MS Excel, Power BI)", "")
L[161] = (
    0,
    "Aktobe Steklo — первый в Центральной Азии завод стеклянной тары, управляемый полностью цифровыми решениями и искусственным интеллектом.",
    "employer self-description (digital factory, AI, software-engineer hiring banner) does not count; the chief facilities engineer role requires no digital skill",
)
L[162] = (
    1,
    "Анализ и запрос на расширение VPN каналов (регионы).",
    "telecom transport-network engineering (VPN channels, router swap, Linux in key skills) counted as IT competence; requirements list only education/experience",
)
L[163] = (
    0,
    "Работа с базами данных",
    "only cue is the hh key-skill tag 'Работа с базами данных' for a realtor (client/property base); 'Доступ к собственной базе недвижимости, + РБД + Iagent' is a benefit -> coded 0 (borderline)",
)
L[164] = (1, "Опыт автоматизации клиентских коммуникаций, работы с Big Data и SaaS/B2B-продуктами.", "")
L[165] = (1, "Работа с инструментами аналитики (Google Analytics, Яндекс.Метрика, Power BI).", "")
L[166] = (1, "Опыт работы с системами виртуализации (KVM, VMware, Hyper-V, OpenNebula);", "")
L[167] = (1, "Знание CI/CD, devops-процессов, понимание принципов работы Kubernetes (желательно).", "")
L[168] = (
    0,
    "Выполнять работы, носящие аналитико-конструктивный и информационно-технический характер в рамках стратегии по продажам в сегменте b2b;",
    "'информационно-технический характер' is clerical boilerplate; 'организация необходимых доступов во внутренние системы Компании' is arranging access for others, not a digital-skill requirement -> 0 (borderline)",
)
L[169] = (
    1,
    "Ведение клиентских данных в простой и понятной CRM-системе.",
    "equipment line 'Ноутбук/компьютер (ОС WINDOWS не ниже 10 версии ...)' and department name 'отдел BIG Data' do not decide; CRM duty does",
)
L[170] = (
    0,
    "Контроль качества сбора данных, взаимодействие с отделом контроля",
    "survey field-data collection is not a digital skill",
)
L[171] = (
    1,
    "Необходим опыт работы с системами аналитики - обязательно Google Analytics, Яндекс Метрика, MyTarget;",
    "",
)
L[172] = (1, "Уверенное владение CRM (желательно Битрикс24), Excel, аналитикой;", "")
L[173] = (1, "Уверенное владение Excel, PowerPoint, 1С, Power BI (желательно).", "")
L[174] = (0, "", "")
L[175] = (
    1,
    "Планировать и проводить рекламные кампании (digital и offline).",
    "weak positive: digital advertising duty plus key skills (Интернет-маркетинг, SMM-стратегия, Таргетинг); 'делать выводы на основе цифр' is a 'цифр' (numbers) trap",
)
L[176] = (0, "", "")
L[177] = (1, "Уверенное владение Excel и финансовыми программами (1С и др.)", "")
L[178] = (1, "Уверенное владение цифровыми инструментами (Google, Excel, Canva, Telegram, Notion)", "")
L[179] = (1, "Ведение отчётности в CRM системе.", "")
L[180] = (1, "Умение писать простые SELECT – запросы для выборки данных", "")
L[181] = (
    1,
    'Умение работать с числовой информацией анализ данных',
    'relabelled 0 -> 1 by LABELLING.md 2026-12-06b (analysing data, DigComp 1.2); the employer selling computer equipment is still not a cue',
)
L[182] = (1, "Владение Figma и понимание принципов работы с дизайн-системами;", "")
L[183] = (1, "MS Excel", "only in hh key-skills field; description requirements have no digital skill")
L[184] = (
    1,
    "Продвинутый навык работы в Ехсеl, быстрое оперирование формулами и",
    "'Ехсеl' is written with Cyrillic Е,х,с,е + Latin l (mixed script) - Latin-only patterns miss it; also 'Умение работать с с базами данных и аналитическими инструментами.'",
)
L[185] = (1, "Владение 1С, MS Excel (продвинутый уровень);", "")
L[186] = (1, "Знание сервисов рассылок: сможете объяснить, как они работают и почему их используете", "")
L[187] = (1, "Знание МСФО, СОНО, программ: 1С, R-keeper, Shelter.", "")
L[188] = (1, "Умение работать с системами мониторинга Grafana, Zabbix", "")
L[189] = None  # EXCLUDED: near-duplicate of #83 (same NOMAPAY anti-fraud posting)
L[190] = (1, "Владение Excel, CRM, BI, digital-аналитикой — обязательны", "")
L[191] = (1, "Отличные навыки работы с Excel, Google Docs и презентациями", "")
L[192] = (1, "Уверенное владение Python, SQL.", "")
L[193] = (1, "Отличное знание Excel (сводные таблицы, формулы, макросы).", "")
L[194] = (1, "Опыт работы с MS Office (Excel, PowerPoint), 1C,Power BI, CRM, Trello/Asana.", "")
L[195] = (
    1,
    "Microsoft Office, программный комплекс АВС-4 по выпуску сметной документации.",
    "employer name 'AKASHI Data Center' is not itself a cue; decided by the software requirement",
)
L[196] = (1, "Знание MS Office, уверенный уровень владения Excel", "")
L[197] = (0, "", "")
L[198] = (
    1,
    'анализ данных по персоналу(текучесть, вовлеченность, эффективность)',
    'relabelled 0 -> 1 by LABELLING.md 2026-12-06b (analysing HR data, DigComp 1.2); the recruitment portals / social networks as sourcing channels alone would still be 0',
)
